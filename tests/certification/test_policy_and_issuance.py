"""Certification policies from git, evaluated threshold by threshold, and certificates issued
with their evidence manifest and a signed Open Badges 3.0 credential that verifies, also by an
independent verifier, until it is revoked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from lms.certification.issuing import operations as service
from lms.certification.issuing import policy as policies
from lms.extensions import db
from lms.models import AuditEvent, CertificateStatus
from tests.credentials.independent_verifier import (
    IndependentVerificationError,
    verify_credential,
)


def independent_verify(credential: dict, public_key_multibase: str) -> bool:
    try:
        verify_credential(credential, public_key_multibase)
    except IndependentVerificationError:
        return False
    return True


def test_every_track_policy_in_the_repository_loads(loaded):
    for track in loaded.tracks:
        policy = policies.load(loaded, track)
        assert policy.exercises or policy.project_count or policy.attendance_rate, track


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[exercises]\nmin_average_best_score = 1.5\nrequired = []\n", "between 0 and 1"),
        (
            "[exercises]\nrequired = ['python-backend/nope']\nmin_average_best_score = 0.5\n",
            "unknown exercises",
        ),
        ("[exercises]\nrequired = ['python-backend/prix-ttc']\n", "min_average_best_score"),
        ("approval = 'someone'\n[attendance]\nmin_rate = 0.5\n", "approval"),
        ("[modules]\nrequired = ['99-nothing']\n", "unknown modules"),
        ("# nothing\n", "no threshold"),
        ("[exercises\n", "certification.toml"),
        # A misspelt section would drop its threshold without a word.
        (
            "[quizzes]\nrequired = []\n[attendance]\nmin_rate = 0.5\n",
            r"unknown section\(s\) \['quizzes'\]",
        ),
    ],
)
def test_a_broken_policy_is_refused_naming_the_file(loaded, tmp_path, text, reason):
    folder = tmp_path / "curricula" / "python-backend"
    folder.mkdir(parents=True)
    (folder / "certification.toml").write_text(text)
    copy = dataclasses.replace(loaded, directory=Path(tmp_path))
    with pytest.raises(policies.PolicyError, match=reason) as refused:
        policies.load(copy, "python-backend")
    assert "curricula/python-backend/certification.toml" in str(refused.value)


def test_nothing_done_meets_nothing_and_says_what_is_missing(record):
    evaluation = record.evaluate()
    assert not evaluation.met
    by_name = {t.name: t for t in evaluation.thresholds}
    assert by_name["exercises"].achieved == 0 and len(by_name["exercises"].missing) == 8
    assert not by_name["projects"].met and not by_name["attendance"].met


def test_the_average_counts_unattempted_required_exercises_as_zero(record):
    policy = record.policy()
    for exercise_id in policy.exercises[:6]:
        record.graded(exercise_id, 1.0)
    exercises = record.evaluate().thresholds[0]
    assert exercises.achieved == pytest.approx(6 / 8)
    assert exercises.met, "6/8 = 0.75 is above 0.7"
    assert len(exercises.evidence) == 6


def test_the_best_submission_counts_not_the_latest(record):
    policy = dataclasses.replace(record.policy(), exercises=("python-backend/prix-ttc",))
    best = record.graded("python-backend/prix-ttc", 1.0)
    record.graded("python-backend/prix-ttc", 0.0)
    threshold = record.evaluate(policy).thresholds[0]
    assert threshold.achieved == 1.0 and threshold.evidence[0]["id"] == best.id


def test_attendance_is_a_rate_over_held_sessions_and_zero_sessions_meets_nothing(record):
    policy = dataclasses.replace(record.policy(), exercises=(), project_count=None)
    assert not record.evaluate(policy).met, "no session held: the rate is unknown, not 100 %"
    record.sessions(held=10, attended=8)
    attendance = record.evaluate(policy).thresholds[0]
    assert attendance.achieved == 0.8 and attendance.met
    assert len(attendance.evidence) == 8


def test_a_project_counts_only_at_or_above_the_rubric_share(record, company_user):
    policy = dataclasses.replace(record.policy(), exercises=(), attendance_rate=None)
    record.project(0.0, company_user)
    assert not record.evaluate(policy).met
    record.project(0.6, company_user)
    projects = record.evaluate(policy).thresholds[0]
    assert projects.met and projects.achieved == 1
    assert projects.evidence[0]["company"] == "Transports Atlas"


def test_a_met_policy_issues_a_signed_certificate_with_its_evidence(record, company_user):
    certificate = service.issue(record.meet_everything(company_user))
    db.session.commit()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.policy_commit == record.loaded.commit
    assert certificate.manifest_sha256 == service.canonical_sha256(certificate.manifest)
    kinds = [e["type"] for t in certificate.manifest["thresholds"] for e in t["evidence"]]
    assert kinds.count("submission") == 8 and kinds.count("review") == 1
    assert kinds.count("attendance") == 5
    submission = certificate.manifest["thresholds"][0]["evidence"][0]
    assert submission["image_digest"].startswith("sha256:") and len(submission["sha256"]) == 64
    credential = certificate.credential
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["credentialSubject"]["source"]["name"] == "Transports Atlas"
    assert len(credential["evidence"]) == 9 and all(
        e["digestMultibase"].startswith("u") for e in credential["evidence"]
    )
    assert service.verify_credential(credential).ok
    kinds = db.session.scalars(db.select(AuditEvent.kind)).all()
    assert "certificate.issued" in kinds


def test_an_independent_verifier_accepts_our_credential_and_refuses_a_forgery(record, company_user):
    certificate = service.issue(record.meet_everything(company_user))
    db.session.commit()
    key = service.key_store().get(certificate.key_id)
    assert independent_verify(certificate.credential, key.multibase)
    forged = {**certificate.credential, "name": "Autre parcours — Salma"}
    assert not independent_verify(forged, key.multibase)


def test_an_unmet_policy_issues_nothing(record):
    with pytest.raises(service.CertificationError, match="not every threshold"):
        service.issue(record.evaluate())


def test_a_trainer_approval_policy_waits_then_signs(record, company_user):
    evaluation = record.meet_everything(company_user)
    evaluation.policy = dataclasses.replace(evaluation.policy, approval="trainer")
    certificate = service.issue(evaluation)
    assert certificate.status == CertificateStatus.PENDING and certificate.credential is None
    service.approve(certificate, record.trainer)
    db.session.commit()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.approved_by_id == record.trainer.id
    assert service.verify_credential(certificate.credential).ok


def test_revocation_needs_a_reason_and_is_recorded(record, company_user):
    certificate = service.issue(record.meet_everything(company_user))
    with pytest.raises(service.CertificationError, match="say why"):
        service.revoke(certificate, record.trainer, "  ")
    service.revoke(certificate, record.trainer, "Plagiat établi sur le projet")
    db.session.commit()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revocation_reason == "Plagiat établi sur le projet"
    assert "certificate.revoked" in db.session.scalars(db.select(AuditEvent.kind)).all()


def test_old_certificates_verify_after_the_key_rotates(record, company_user):
    certificate = service.issue(record.meet_everything(company_user))
    db.session.commit()
    service.key_store().rotate()
    assert service.verify_credential(certificate.credential).ok
