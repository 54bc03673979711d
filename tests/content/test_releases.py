"""Publishing content from git: checked, atomic, previewable, and re-gradable."""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from lms import content
from lms.content import releases, webhook
from lms.extensions import db
from lms.models import ContentRelease, Submission, SubmissionStatus
from lms.submissions import operations
from tests.content.builder import make_content, write

GOOD_LESSON = '+++\ntitle = "Nouvelle leçon"\n+++\n# Nouvelle leçon publiée\n'


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.email=t@t", "-c", "user.name=t", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


@pytest.fixture
def repo(app, tmp_path) -> Path:
    root = make_content(tmp_path / "content")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first")
    app.config["LMS_CONTENT_DIR"] = str(root)
    content.reload(app)
    return root


def commit_change(repo: Path, relative: str, text: str, message: str = "change") -> str:
    write(repo, relative, text)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD")


def publish(app, repo: Path, ref: str = "HEAD") -> ContentRelease:
    return releases.publish(repo, ref, releases.releases_root(app.instance_path), grade_check=False)


def test_a_published_release_is_served_from_its_snapshot(app, repo):
    head = commit_change(repo, "curricula/demo/01-base/03-nouvelle.md", GOOD_LESSON)
    release = publish(app, repo)
    assert release.status == "live" and release.commit == head
    served = content.reload(app)
    assert served.commit == head
    assert served.lesson("demo/01-base/03-nouvelle") is not None
    assert Path(release.content_dir).is_dir()
    # Edits to the checkout after publishing do not reach learners.
    write(repo, "curricula/demo/01-base/03-nouvelle.md", "cassé")
    assert content.reload(app).lesson("demo/01-base/03-nouvelle") is not None


def test_a_release_that_fails_its_check_is_refused_and_the_previous_stays_live(app, repo):
    good = publish(app, repo)
    bad = commit_change(repo, "curricula/demo/01-base/01-intro.md", "pas de front matter")
    with pytest.raises(releases.ReleaseRefused) as refused:
        publish(app, repo)
    assert any("missing front matter" in p for p in refused.value.problems)
    rows = {
        r.commit: r.status for r in db.session.query(ContentRelease) if r.status != "working-tree"
    }
    assert rows == {good.commit: "live", bad: "refused"}
    assert content.reload(app).commit == good.commit


def test_an_unknown_ref_is_a_clear_error(app, repo):
    with pytest.raises(releases.ReleaseError, match="rev-parse"):
        publish(app, repo, "no-such-branch")
    with pytest.raises(releases.ReleaseError, match="not a branch"):
        publish(app, repo, "--upload-pack=evil")


def test_snapshots_are_complete_or_absent(app, repo):
    root = releases.releases_root(app.instance_path)
    head = git(repo, "rev-parse", "HEAD")
    releases.snapshot(repo, head, root)
    assert sorted(p.name for p in root.iterdir()) == [head]
    assert (root / head / "exercises/demo/somme/tests/test_somme.py").is_file()


def test_other_processes_pick_up_a_new_live_release(app, repo, monkeypatch):
    served = content.current()
    publish(app, repo, "HEAD")
    monkeypatch.setattr(content, "RECHECK_SECONDS", 0.0)
    assert content.current() is not served
    assert content.current().commit == git(repo, "rev-parse", "HEAD")


def signed(secret: str, body: bytes) -> dict[str, str]:
    """A delivery's headers, signed now with a new delivery id, as a sender makes them."""
    return {
        "Content-Type": "application/json",
        **webhook.signed_headers(secret, body, int(time.time()), uuid.uuid4().hex),
    }


def test_the_webhook_needs_a_secret_and_a_valid_signature(app, client, repo):
    body = json.dumps({"ref": "main"}).encode()
    headers = {"Content-Type": "application/json"}
    assert client.post("/api/v1/content/webhook", data=body, headers=headers).status_code == 404
    app.config["LMS_WEBHOOK_SECRET"] = "s3cret"
    wrong = signed("other", body)
    assert client.post("/api/v1/content/webhook", data=body, headers=wrong).status_code == 401
    bad_ref = json.dumps({"ref": "--help"}).encode()
    response = client.post(
        "/api/v1/content/webhook", data=bad_ref, headers=signed("s3cret", bad_ref)
    )
    assert response.status_code == 400


@pytest.mark.docker
def test_the_webhook_publishes_in_the_background(app, client, repo):
    app.config["LMS_WEBHOOK_SECRET"] = "s3cret"
    head = commit_change(repo, "curricula/demo/01-base/03-nouvelle.md", GOOD_LESSON)
    body = json.dumps({"ref": "main"}).encode()
    response = client.post(
        "/api/v1/content/webhook",
        data=body,
        headers=signed("s3cret", body),
    )
    assert response.status_code == 202
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        db.session.expire_all()
        if db.session.query(ContentRelease).filter_by(commit=head, status="live").count():
            break
        time.sleep(0.5)
    assert db.session.query(ContentRelease).filter_by(commit=head, status="live").count() == 1


@pytest.mark.docker
def test_content_sync_grades_the_release_before_publishing(app, runner, repo):
    result = runner.invoke(args=["content", "sync"])
    assert result.exit_code == 0, result.output
    assert "ok   demo/somme" in result.output and "is live" in result.output
    commit_change(
        repo, "exercises/demo/somme/solution/somme.py", "def somme(liste):\n    return 0\n"
    )
    refused = runner.invoke(args=["content", "sync"])
    assert refused.exit_code == 1
    assert "the solution scores 1/3" in refused.output
    assert "the previous release stays live" in refused.output


def test_a_trainer_previews_a_branch_without_changing_what_learners_see(
    app, client, auth, learner, trainer, repo, create_cohort
):
    git(repo, "checkout", "-qb", "brouillon")
    commit_change(repo, "curricula/demo/01-base/03-nouvelle.md", GOOD_LESSON)
    git(repo, "checkout", "-q", "main")
    auth.login(trainer.email)
    response = client.get("/trainer/preview?ref=brouillon")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nouvelle leçon" in page
    lesson = client.get(response.headers["Location"] + "/learn/demo/01-base/03-nouvelle")
    assert "Nouvelle leçon publiée" in lesson.get_data(as_text=True)
    assert content.current().lesson("demo/01-base/03-nouvelle") is None
    unknown = client.get("/trainer/preview?ref=nope", follow_redirects=True)
    assert "Aperçu impossible" in unknown.get_data(as_text=True)
    auth.logout()
    create_cohort(learners=[learner], track="demo")
    auth.login(learner.email)
    assert client.get(response.headers["Location"]).status_code == 403


def test_regrading_a_cohort_queues_copies_and_keeps_the_originals(
    app, client, auth, learner, trainer, create_user, repo, create_cohort
):
    cohort = create_cohort(trainers=[trainer], learners=[learner], track="demo")
    served = content.current()
    exercise = served.exercises["demo/somme"]
    for text in ("def somme(l):\n    return 0\n", "def somme(l):\n    return sum(l)\n"):
        original = operations.submit(learner, exercise, {"somme.py": text}, served.commit, 10_000)
        original.status, original.score = SubmissionStatus.GRADED, 1
    db.session.commit()
    auditor = create_user("auditor")
    auth.login(auditor.email)
    assert (
        client.post(
            f"/trainer/cohorts/{cohort.id}/regrade", data={"csrf_token": auth.csrf_token("/")}
        ).status_code
        == 403
    )
    auth.logout()
    auth.login(trainer.email)
    response = client.post(
        f"/trainer/cohorts/{cohort.id}/regrade",
        data={"csrf_token": auth.csrf_token("/")},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "1 soumission(s) mise(s) en file" in page
    assert "0 sur 1 terminée(s)" in page
    db.session.expire_all()
    copies = db.session.query(Submission).filter(Submission.regrade_of.is_not(None)).all()
    assert len(copies) == 1 and copies[0].files == {
        "somme.py": "def somme(l):\n    return sum(l)\n"
    }
    assert copies[0].status == SubmissionStatus.QUEUED
    assert db.session.get(Submission, copies[0].regrade_of).status == SubmissionStatus.GRADED
