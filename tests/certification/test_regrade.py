"""Re-grading what certificates cite: every cited submission graded again under the current
graders (quizzes here, graded for real in the application; a real container at the end), the
results kept beside the recorded scores, the certificates whose evidence no longer meets
their policy listed with what changed and why; a run resumes where it stopped, reports its
progress, and runs in the background when an auditor starts it from the page. The auditor's
re-run of one submission says plainly whether the current graders agree."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from lms import audit
from lms.certification.auditing import regrading
from lms.certification.issuing import operations as service
from lms.extensions import db
from lms.models import RegradeResult, RegradeRun, Submission, SubmissionStatus
from lms.models.base import utcnow
from lms.submissions import operations

QUIZ_1, QUIZ_2 = "demo/verifier-bases", "demo/etat-des-lieux"  # 3 and 2 questions


@pytest.fixture(autouse=True)
def english_pages(client):
    client.set_cookie("locale", "en")


@pytest.fixture
def auditor(create_user):
    return create_user("auditor", email="auditrice@programme.ma", name="Auditrice")


@pytest.fixture
def certified(quiz_world):
    """Four certificates issued on recorded scores of 3/3 and 2/2; what the answers are worth:

    - forged: no right answer to the first quiz (0/3 now): 0.5 on average, below 0.7;
    - slipped: 2 right of 3 (2/3 now): 0.83 on average, still enough;
    - honest: every answer right;
    - revoked: like forged, but revoked already.
    """
    recorded = {QUIZ_1: 3, QUIZ_2: 2}

    def certify(name: str, right_first: int):
        return quiz_world.certified(name, {QUIZ_1: right_first, QUIZ_2: 2}, recorded)

    certificates = {
        "forged": certify("Forgée", 0),
        "slipped": certify("Glissée", 2),
        "honest": certify("Honnête", 3),
        "revoked": certify("Révoquée", 0),
    }
    service.revoke(certificates["revoked"], quiz_world.trainer, "Fraude établie")
    db.session.commit()
    return certificates


def _submission_of(certificate, exercise_id: str) -> int:
    return next(
        item["id"]
        for threshold in certificate.manifest["thresholds"]
        for item in threshold["evidence"]
        if item["exercise"] == exercise_id
    )


def _run_to_the_end(report=None) -> RegradeRun:
    worker = regrading.worker_name()
    run = regrading.begin(None, worker)
    return regrading.work(run.id, worker, None, report)


def _results(run: RegradeRun) -> dict[int, RegradeResult]:
    rows = db.session.scalars(select(RegradeResult).where(RegradeResult.run_id == run.id))
    return {r.submission_id: r for r in rows}


# What a run finds ------------------------------------------------------------------------------


def test_a_certificate_whose_cited_submission_now_scores_below_the_threshold_is_flagged(
    certified,
):
    run = _run_to_the_end()
    assert run.finished_at is not None
    assert [flag["certificate_id"] for flag in run.flagged] == [certified["forged"].id]
    flag = run.flagged[0]
    assert flag["changes"] == [
        {
            "submission": _submission_of(certified["forged"], QUIZ_1),
            "exercise": QUIZ_1,
            "old_score": 3,
            "old_max": 3,
            "new_score": 0,
            "new_max": 3,
        }
    ]
    assert flag["failing"] == [
        {"name": "exercises", "required": 0.7, "recorded": 1.0, "now": 0.5, "missing": []}
    ]
    assert run.unchecked == [] and run.failed == 0


def test_a_changed_score_that_still_meets_the_policy_is_not_flagged(certified):
    run = _run_to_the_end()
    slipped = _results(run)[_submission_of(certified["slipped"], QUIZ_1)]
    assert (slipped.recorded_score, slipped.new_score, slipped.new_max) == (3, 2, 3)
    assert slipped.changed
    assert certified["slipped"].id not in {f["certificate_id"] for f in run.flagged}


def test_every_cited_submission_is_regraded_once_and_revoked_certificates_are_left_out(
    certified,
):
    run = _run_to_the_end()
    standing = [certified[name] for name in ("forged", "slipped", "honest")]
    cited = {_submission_of(c, q) for c in standing for q in (QUIZ_1, QUIZ_2)}
    assert set(_results(run)) == cited
    assert (run.total, run.done, run.failed) == (6, 6, 0)
    revoked = _submission_of(certified["revoked"], QUIZ_1)
    assert revoked not in _results(run)
    honest = _results(run)[_submission_of(certified["honest"], QUIZ_1)]
    assert not honest.changed and honest.new_digest == "in-app:quiz"
    assert [t["outcome"] for t in honest.tests] == ["passed"] * 3


def test_the_recorded_scores_are_evidence_and_stay_as_they_were(certified):
    before = db.session.execute(select(Submission.id, Submission.score, Submission.result)).all()
    _run_to_the_end()
    db.session.expire_all()
    assert db.session.execute(select(Submission.id, Submission.score, Submission.result)).all() == (
        before
    )
    assert audit.verify(db.session).ok


# Interrupted and resumed -----------------------------------------------------------------------


def test_an_interrupted_run_resumes_without_regrading_what_it_graded(certified, runner):
    worker = regrading.worker_name()
    run = regrading.begin(None, worker)
    seen = []

    def ctrl_c_after_two(run, result):
        if result is not None:
            seen.append(result.submission_id)
            if len(seen) == 2:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        regrading.work(run.id, worker, None, ctrl_c_after_two)
    db.session.expire_all()
    run = db.session.get(RegradeRun, run.id)
    assert run.finished_at is None and run.worker is None, "unfinished, free to resume"
    first = {r.submission_id: (r.id, r.graded_at) for r in _results(run).values()}
    assert sorted(first) == sorted(seen)

    result = runner.invoke(args=["audit", "regrade"])
    assert f"re-grade run #{run.id}: 4 of 6 submission(s) to grade (2 already re-graded)" in (
        result.output
    )
    db.session.expire_all()
    results = _results(db.session.get(RegradeRun, run.id))
    assert len(results) == 6
    assert {i: (results[i].id, results[i].graded_at) for i in first} == first, "not graded again"
    assert db.session.get(RegradeRun, run.id).finished_at is not None
    assert db.session.scalar(select(db.func.count(RegradeRun.id))) == 1, "the same run"


def test_a_run_someone_is_working_on_is_not_taken_over_until_it_stalls(certified, runner):
    busy = regrading.begin(None, "other-host:1:busy")
    result = runner.invoke(args=["audit", "regrade"])
    assert result.exit_code == 1
    assert f"re-grade run #{busy.id} is in progress (other-host:1:busy" in result.output
    stalled = utcnow() - regrading.STALE_AFTER - timedelta(seconds=1)
    db.session.execute(update(RegradeRun).values(heartbeat_at=stalled))
    db.session.commit()
    result = runner.invoke(args=["audit", "regrade"])
    assert f"run #{busy.id} finished: 6 re-graded, 0 failed" in result.output


def test_a_failed_grading_is_recorded_and_tried_again_when_the_run_resumes(certified, quiz_world):
    honest = _submission_of(certified["honest"], QUIZ_2)
    db.session.execute(
        update(Submission).where(Submission.id == honest).values(content_commit="0" * 40)
    )  # a commit nobody has: its exercise cannot be read, so it cannot be graded
    db.session.commit()
    worker = regrading.worker_name()
    run = regrading.begin(None, worker)
    with pytest.raises(KeyboardInterrupt):
        regrading.work(run.id, worker, None, _interrupt_at(honest))
    failed = _results(run)[honest]
    assert failed.new_score is None and "no snapshot of content commit" in failed.error
    db.session.execute(
        update(Submission)
        .where(Submission.id == honest)
        .values(content_commit=quiz_world.loaded.commit)
    )
    db.session.commit()
    run = _run_to_the_end()
    retried = _results(run)[honest]
    assert retried.id == failed.id and retried.error is None and retried.new_score == 2
    assert (run.done, run.failed) == (6, 0)


def _interrupt_at(submission_id: int):
    def report(run, result):
        if result is not None and result.submission_id == submission_id:
            raise KeyboardInterrupt

    return report


# The command -----------------------------------------------------------------------------------


def test_the_command_reports_progress_then_lists_the_flagged_certificates(certified, runner):
    result = runner.invoke(args=["audit", "regrade", "--every", "2"])
    assert result.exit_code == 1, "a flagged certificate is a finding"
    lines = result.output.splitlines()
    assert lines[0].endswith("6 of 6 submission(s) to grade (0 already re-graded)")
    progress = [line for line in lines if re.fullmatch(r"\d/6 re-graded, 0 failed", line)]
    assert progress == [
        "2/6 re-graded, 0 failed",
        "4/6 re-graded, 0 failed",
        "6/6 re-graded, 0 failed",
    ]
    forged = certified["forged"]
    quiz = _submission_of(forged, QUIZ_1)
    assert f"  submission #{quiz} {QUIZ_1}: recorded 3/3, now 0/3" in lines
    flagged = lines.index(f"FLAGGED {forged.public_id} {forged.learner.email} demo [issued]")
    assert lines[flagged + 1] == f"  submission #{quiz} {QUIZ_1}: 3/3 -> 0/3"
    assert lines[flagged + 2] == "  exercises not met: requires 0.7, 1.0 at issuance, 0.5 now"
    assert "1 certificate(s) no longer meet their policy, 0 could not be checked" in result.output


def test_a_second_command_after_a_finished_run_starts_a_new_one(certified, runner):
    runner.invoke(args=["audit", "regrade"])
    runner.invoke(args=["audit", "regrade"])
    runs = list(db.session.scalars(select(RegradeRun).order_by(RegradeRun.id)))
    assert len(runs) == 2 and all(run.finished_at for run in runs)


# The auditor's page ----------------------------------------------------------------------------


def _start_from_the_page(app, client, auth) -> int:
    response = client.post("/audit/regrade", data={"csrf_token": auth.csrf_token("/audit/regrade")})
    assert response.status_code == 302
    run_id = int(re.search(r"/audit/regrade/(\d+)$", response.headers["Location"]).group(1))
    app.extensions[regrading.THREAD].join(timeout=60)
    return run_id


def test_an_auditor_starts_a_run_in_the_background_and_sees_what_it_flagged(
    app, client, auth, auditor, certified
):
    auth.login(auditor.email)
    run_id = _start_from_the_page(app, client, auth)
    html = client.get(f"/audit/regrade/{run_id}").get_data(as_text=True)
    assert 'data-state="finished"' in html and 'http-equiv="refresh"' not in html
    assert "6 of 6 submissions re-graded" in html
    forged = certified["forged"]
    section = html[html.index(f'id="certificate-{forged.id}"') :]
    assert "Forgée" in section and "demo" in section
    quiz = _submission_of(forged, QUIZ_1)
    assert re.search(
        rf'data-submission="{quiz}">.*?3/3</td>\s*<td class="new-score">0/3', section, re.S
    )
    assert "Graded exercises (average best score): requires 70 %; 100 % at issuance, 50 % now" in (
        section
    )
    assert html.count('class="card flagged-certificate"') == 1
    changed = html[html.index('id="changed-results"') :]
    slipped = _submission_of(certified["slipped"], QUIZ_1)
    assert f'class="changed-result" data-submission="{slipped}"' in changed
    assert f'id="certificate-{certified["slipped"].id}"' not in html, "still meets its policy"
    assert db.session.get(RegradeRun, run_id).started_by_id == auditor.id


def test_a_running_run_shows_its_progress_and_reloads_itself(client, auth, auditor, certified):
    run = regrading.begin(auditor, "web:1:thread")  # held by a worker that is alive
    auth.login(auditor.email)
    html = client.get(f"/audit/regrade/{run.id}").get_data(as_text=True)
    assert 'data-state="running"' in html
    assert '<meta http-equiv="refresh" content="5">' in html
    listing = client.get("/audit/regrade").get_data(as_text=True)
    assert re.search(rf'data-id="{run.id}">.*?running', listing, re.S)


def test_an_interrupted_run_shows_how_far_it_got_and_resumes_from_the_page(
    app, client, auth, auditor, certified
):
    worker = regrading.worker_name()
    run = regrading.begin(auditor, worker)
    with pytest.raises(KeyboardInterrupt):
        regrading.work(
            run.id, worker, None, _interrupt_at(_submission_of(certified["forged"], QUIZ_1))
        )
    auth.login(auditor.email)
    html = client.get(f"/audit/regrade/{run.id}").get_data(as_text=True)
    assert 'data-state="interrupted"' in html and 'http-equiv="refresh"' not in html
    assert '<progress max="6" value="1">' in html and "1 of 6 submissions re-graded" in html
    assert 'id="regrade-resume"' in html
    assert _start_from_the_page(app, client, auth) == run.id, "the same run, resumed"
    html = client.get(f"/audit/regrade/{run.id}").get_data(as_text=True)
    assert 'data-state="finished"' in html and "6 of 6 submissions re-graded" in html


def test_a_run_in_progress_is_not_started_twice_from_the_page(client, auth, auditor, certified):
    regrading.begin(auditor, "web:1:thread")
    auth.login(auditor.email)
    response = client.post(
        "/audit/regrade",
        data={"csrf_token": auth.csrf_token("/audit/regrade")},
        follow_redirects=True,
    )
    assert "No re-grade started: re-grade run #1 is in progress" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(RegradeRun.id))) == 1


@pytest.mark.parametrize("role", ["learner", "trainer", "company"])
def test_only_auditors_and_admins_see_or_start_runs(client, auth, create_user, certified, role):
    run = _run_to_the_end()
    auth.login(create_user(role).email)
    token = auth.csrf_token("/")
    assert client.get("/audit/regrade").status_code == 403
    assert client.get(f"/audit/regrade/{run.id}").status_code == 403
    assert client.post("/audit/regrade", data={"csrf_token": token}).status_code == 403
    assert db.session.scalar(select(db.func.count(RegradeRun.id))) == 1


def test_anonymous_visitors_are_sent_to_log_in(client, certified):
    for response in (client.get("/audit/regrade"), client.post("/audit/regrade")):
        assert response.status_code in (302, 400)
    assert client.get("/audit/regrade").headers["Location"].startswith("/login")


# One submission re-run -------------------------------------------------------------------------


def _rerun(client, auth, submission_id: int) -> str:
    token = auth.csrf_token(f"/audit/submissions/{submission_id}")
    response = client.post(f"/audit/submissions/{submission_id}/rerun", data={"csrf_token": token})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_rerun_says_plainly_when_the_current_graders_give_another_score(
    client, auth, auditor, certified
):
    auth.login(auditor.email)
    html = _rerun(client, auth, _submission_of(certified["forged"], QUIZ_1))
    assert 'data-verdict="score"' in html
    assert "The current graders give 0/3 where 3/3 was recorded." in html
    assert html.count('class="test-row mismatch"') == 3, "each test passed then, fails now"
    assert html.count("<td>passed 1/1</td>\n      <td>failed 0/1</td>") == 3
    assert "in the application (quiz)" in html


def test_a_rebuilt_image_with_the_same_score_is_not_a_different_score(
    client, auth, auditor, quiz_world, create_user
):
    learner = create_user("learner")
    files = quiz_world.answers(QUIZ_1, 3)
    submission = quiz_world.recorded(learner, QUIZ_1, files, 3)
    db.session.execute(
        update(Submission)
        .where(Submission.id == submission.id)
        .values(image_digest="sha256:" + "a" * 64)
    )  # as graded by an older image
    db.session.commit()
    auth.login(auditor.email)
    html = _rerun(client, auth, submission.id)
    assert 'data-verdict="image"' in html
    assert "Same score (3/3), different grader image." in html
    assert "The current graders give" not in html


# A real grader ---------------------------------------------------------------------------------


@pytest.mark.docker
def test_forged_python_submissions_are_caught_by_the_real_grader(app, record, company_user, runner):
    from tests.certification.test_auditor import _ensure_snapshot

    loaded = record.loaded
    forged = list(record.policy().exercises)[:3]
    for exercise_id in record.policy().exercises:
        exercise = loaded.exercises[exercise_id]
        files = exercise.starter() if exercise_id in forged else exercise.solution()
        submission = operations.submit(record.learner, exercise, files, loaded.commit, 10**6)
        submission.status, submission.score = SubmissionStatus.GRADED, exercise.max_score
        submission.image_digest, submission.finished_at = "sha256:" + "0" * 64, utcnow()
        audit.record_fact("submission.graded", submission)  # as an old, fooled grader did
        db.session.commit()
    record.sessions(held=5, attended=5)
    record.project(1.0, company_user)
    certificate = service.issue(record.evaluate())
    db.session.commit()
    _ensure_snapshot(app, loaded)

    result = runner.invoke(args=["audit", "regrade"])
    assert result.exit_code == 1, result.output
    assert f"FLAGGED {certificate.public_id}" in result.output
    run = db.session.scalars(select(RegradeRun)).one()
    changed = {c["exercise"] for c in run.flagged[0]["changes"]}
    assert changed == set(forged)
    assert {r.new_digest.startswith("sha256:") for r in _results(run).values()} == {True}
