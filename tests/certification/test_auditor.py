"""The auditor's pages: only auditors and admins get in; certificates browsed by filters; each
piece of evidence checked again (tampering shows); a recorded submission re-graded in the real
grader reproduces its score; the exported bundle verifies offline and names a tampered file."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update

from lms import content
from lms.admin import operations as ops
from lms.certification.issuing import operations as service
from lms.content import releases
from lms.extensions import db
from lms.models import Review, Submission, SubmissionStatus
from lms.models.certification import Certificate, CertificateStatus
from lms.submissions import operations


@pytest.fixture(autouse=True)
def english_pages(client):
    """These pages are read in English here (the language switcher's cookie); the French
    catalogue is checked in tests/test_pages.py."""
    client.set_cookie("locale", "en")


@pytest.fixture
def auditor(create_user):
    return create_user("auditor", email="auditrice@programme.ma", name="Auditrice")


def _evidence(certificate: Certificate, kind: str) -> list[dict]:
    return [
        item
        for threshold in certificate.manifest["thresholds"]
        for item in threshold["evidence"]
        if item["type"] == kind
    ]


# Who gets in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["learner", "trainer", "company"])
def test_only_auditors_and_admins_may_open_the_audit_pages(client, auth, create_user, issued, role):
    user = create_user(role)
    auth.login(user.email)
    submission_id = _evidence(issued, "submission")[0]["id"]
    for path in (
        "/audit/certificates",
        f"/audit/certificates/{issued.id}",
        f"/audit/submissions/{submission_id}",
        f"/audit/certificates/{issued.id}/bundle.zip",
    ):
        assert client.get(path).status_code == 403, path


def test_an_auditor_and_an_admin_get_in_and_anonymous_visitors_are_sent_to_log_in(
    client, auth, create_user, auditor, issued
):
    response = client.get("/audit/certificates")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.login(auditor.email)
    assert client.get("/audit/certificates").status_code == 200
    assert client.get(f"/audit/certificates/{issued.id}").status_code == 200
    auth.logout()
    admin = create_user("admin")
    auth.login(admin.email)
    assert client.get("/audit/certificates").status_code == 200


def test_the_rerun_form_is_refused_to_a_learner(client, auth, issued, record):
    auth.login(record.learner.email)
    submission_id = _evidence(issued, "submission")[0]["id"]
    token = auth.csrf_token("/")
    response = client.post(f"/audit/submissions/{submission_id}/rerun", data={"csrf_token": token})
    assert response.status_code == 403


# Browsing --------------------------------------------------------------------------------------


def _other_certificate(create_user) -> Certificate:
    """A second certificate, elsewhere: another operator, region and status."""
    operator = ops.create_organization("Opérateur Oriental", "operator")
    cohort = ops.create_cohort(
        "Cohorte Oujda",
        operator,
        "python-backend",
        "L'Oriental",
        date(2026, 9, 1),
        date(2027, 2, 1),
        set(content.current().tracks),
    )
    learner = create_user("learner", name="Karim")
    certificate = Certificate(
        public_id="other-certificate",
        learner_id=learner.id,
        cohort_id=cohort.id,
        track="python-backend",
        status=CertificateStatus.REVOKED,
        policy_commit="0" * 40,
        policy={},
        evaluation=[],
        manifest={"thresholds": []},
        manifest_sha256=service.canonical_sha256({"thresholds": []}),
        status_index=1000,
    )
    db.session.add(certificate)
    db.session.commit()
    return certificate


def _listed(client, query: str) -> set[int]:
    html = client.get(f"/audit/certificates?{query}").get_data(as_text=True)
    return {int(n) for n in re.findall(r'class="certificate-row" data-id="(\d+)"', html)}


def test_certificates_are_browsed_by_cohort_operator_region_track_and_status(
    client, auth, auditor, issued, create_user
):
    other = _other_certificate(create_user)
    auth.login(auditor.email)
    assert _listed(client, "") == {issued.id, other.id}
    assert _listed(client, f"cohort={issued.cohort_id}") == {issued.id}
    assert _listed(client, f"operator={other.cohort.operator_id}") == {other.id}
    assert _listed(client, "region=L%27Oriental") == {other.id}
    assert _listed(client, "region=Casablanca-Settat&status=issued") == {issued.id}
    assert _listed(client, "status=revoked") == {other.id}
    assert _listed(client, "track=python-backend") == {issued.id, other.id}
    assert _listed(client, "track=nothing") == set()


# One certificate and its evidence --------------------------------------------------------------


def test_the_certificate_page_rechecks_manifest_proof_and_audit_chain_and_links_evidence(
    client, auth, auditor, issued
):
    auth.login(auditor.email)
    html = client.get(f"/audit/certificates/{issued.id}").get_data(as_text=True)
    assert issued.manifest_sha256 in html and issued.policy_commit in html
    assert re.search(r'id="manifest-check" class="ok"', html)
    assert re.search(r'id="proof-check">\s*valid', html)
    assert re.search(r'id="audit-check" class="ok">OK', html)
    for item in _evidence(issued, "submission"):
        assert f"/audit/submissions/{item['id']}" in html
    review_id = _evidence(issued, "review")[0]["id"]
    assert f"/audit/reviews/{review_id}" in html


def test_a_manifest_edited_in_the_database_shows_as_a_mismatch(client, auth, auditor, issued):
    tampered = {**issued.manifest, "track": "autre"}
    db.session.execute(
        update(Certificate).where(Certificate.id == issued.id).values(manifest=tampered)
    )
    db.session.commit()
    auth.login(auditor.email)
    html = client.get(f"/audit/certificates/{issued.id}").get_data(as_text=True)
    assert 'id="manifest-check" class="mismatch"' in html


def test_the_drill_down_shows_the_code_and_its_recomputed_hash(client, auth, auditor, issued):
    item = _evidence(issued, "submission")[0]
    submission = db.session.get(Submission, item["id"])
    auth.login(auditor.email)
    html = client.get(f"/audit/submissions/{submission.id}").get_data(as_text=True)
    assert 'id="hash-check" class="ok"' in html
    assert html.count(submission.code_hash) == 2  # stored and recomputed
    for name in submission.files:
        assert f"<code>{name}</code>" in html
    assert 'class="highlight"' in html
    assert 'id="no-snapshot"' not in html or "+" in submission.content_commit


def test_files_tampered_in_the_database_show_a_hash_mismatch(client, auth, auditor, issued):
    item = _evidence(issued, "submission")[0]
    submission = db.session.get(Submission, item["id"])
    files = {name: text + "\n# edited afterwards\n" for name, text in submission.files.items()}
    db.session.execute(update(Submission).where(Submission.id == submission.id).values(files=files))
    db.session.commit()
    auth.login(auditor.email)
    html = client.get(f"/audit/submissions/{submission.id}").get_data(as_text=True)
    assert 'id="hash-check" class="mismatch"' in html
    assert operations.code_hash(files) in html


def test_a_commit_without_a_snapshot_is_said_to_be_unavailable(client, auth, auditor, issued):
    item = _evidence(issued, "submission")[0]
    db.session.execute(
        update(Submission)
        .where(Submission.id == item["id"])
        .values(content_commit="0123456789ab+ba9876543210")
    )
    db.session.commit()
    auth.login(auditor.email)
    html = client.get(f"/audit/submissions/{item['id']}").get_data(as_text=True)
    assert 'id="no-snapshot"' in html and "not available" in html
    response = client.post(
        f"/audit/submissions/{item['id']}/rerun",
        data={"csrf_token": auth.csrf_token(f"/audit/submissions/{item['id']}")},
    )
    assert response.status_code == 409 and "no snapshot" in response.get_data(as_text=True)


def test_the_review_page_shows_the_rubric_and_verifies_the_digest(client, auth, auditor, issued):
    review_id = _evidence(issued, "review")[0]["id"]
    auth.login(auditor.email)
    html = client.get(f"/audit/reviews/{review_id}").get_data(as_text=True)
    assert 'id="digest-check" class="ok"' in html
    assert "Fonctionnel" in html and "Transports Atlas" in html and "f" * 40 in html
    db.session.execute(update(Review).where(Review.id == review_id).values(score=0))
    db.session.commit()
    html = client.get(f"/audit/reviews/{review_id}").get_data(as_text=True)
    assert 'id="digest-check" class="mismatch"' in html


def test_auditing_writes_nothing(client, auth, auditor, issued):
    before = db.session.execute(db.select(Submission.id, Submission.score)).all()
    auth.login(auditor.email)
    client.get(f"/audit/certificates/{issued.id}")
    client.get(f"/audit/certificates/{issued.id}/bundle.zip")
    db.session.expire_all()
    assert db.session.execute(db.select(Submission.id, Submission.score)).all() == before


# Re-running a real grading ---------------------------------------------------------------------


def _ensure_snapshot(app, loaded) -> None:
    """A dirty working tree has no git commit to extract: copy it as that commit's snapshot."""
    target = releases.releases_root(app.instance_path) / loaded.commit
    if "+" in loaded.commit and not target.exists():
        for folder in ("curricula", "exercises"):
            shutil.copytree(Path(loaded.directory) / folder, target / folder)


@pytest.mark.docker
def test_a_rerun_reproduces_the_score_of_a_really_graded_submission(
    app, client, auth, auditor, learner, loaded, grade_all
):
    exercise = loaded.exercises["python-backend/prix-ttc"]
    submission = operations.submit(learner, exercise, exercise.solution(), loaded.commit, 10**6)
    db.session.commit()
    assert grade_all() == 1
    db.session.expire_all()
    graded = db.session.get(Submission, submission.id)
    assert graded.status == SubmissionStatus.GRADED and graded.score == exercise.max_score
    _ensure_snapshot(app, loaded)
    auth.login(auditor.email)
    page = client.get(f"/audit/submissions/{graded.id}").get_data(as_text=True)
    assert 'id="no-snapshot"' not in page and 'class="card code-file test-file"' in page
    response = client.post(
        f"/audit/submissions/{graded.id}/rerun",
        data={"csrf_token": auth.csrf_token(f"/audit/submissions/{graded.id}")},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert re.search(r'id="verdict" class="ok"><strong>reproduced', html)
    assert f"{graded.score}/{graded.max_score}" in html and graded.image_digest in html
    db.session.expire_all()
    assert db.session.get(Submission, graded.id).finished_at == graded.finished_at


# The evidence bundle ---------------------------------------------------------------------------


def _extract(client, certificate: Certificate, folder: Path) -> Path:
    response = client.get(f"/audit/certificates/{certificate.id}/bundle.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        archive.extractall(folder)
    return folder


def _verify(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own script, run by this interpreter
        [sys.executable, "verify_bundle.py"], cwd=folder, capture_output=True, text=True, timeout=60
    )


def test_the_exported_bundle_verifies_offline(client, auth, auditor, issued, tmp_path):
    auth.login(auditor.email)
    folder = _extract(client, issued, tmp_path / "bundle")
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {"manifest.json", "manifest.sig.json", "credential.json", "issuer.json"} <= names
    assert "verify_bundle.py" in names
    for item in _evidence(issued, "submission"):
        assert any(n.startswith(f"evidence/submission-{item['id']}/") for n in names)
    assert f"evidence/review-{_evidence(issued, 'review')[0]['id']}.json" in names
    result = _verify(folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK" in result.stdout


def test_a_tampered_evidence_file_in_the_bundle_is_named(client, auth, auditor, issued, tmp_path):
    auth.login(auditor.email)
    folder = _extract(client, issued, tmp_path / "bundle")
    item = _evidence(issued, "submission")[0]
    code = next((folder / "evidence" / f"submission-{item['id']}").iterdir())
    code.write_text(code.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    result = _verify(folder)
    assert result.returncode != 0
    assert f"evidence/submission-{item['id']}/{code.name}" in result.stdout


def test_a_tampered_review_or_manifest_in_the_bundle_fails(client, auth, auditor, issued, tmp_path):
    auth.login(auditor.email)
    folder = _extract(client, issued, tmp_path / "bundle")
    review = folder / "evidence" / f"review-{_evidence(issued, 'review')[0]['id']}.json"
    review.write_text(review.read_text(encoding="utf-8").replace("Évalué", "Excellent"))
    manifest = folder / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"track"', '"trak"'))
    result = _verify(folder)
    assert result.returncode != 0
    assert review.name in result.stdout and "manifest.json" in result.stdout
