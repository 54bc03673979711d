"""Automatic issuance: the change that completes a learner's record (their last grading, a
company's final review, their attendance) issues the certificate without anyone clicking."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from lms import content
from lms.certification.issuing import policy as policies
from lms.extensions import db
from lms.models import Certificate, CertificateStatus, CohortSession
from lms.submissions import operations


def _certificates() -> list[Certificate]:
    db.session.expire_all()
    return list(db.session.scalars(select(Certificate)))


def test_marking_the_missing_attendance_issues_the_certificate(client, auth, record, company_user):
    record.all_exercises(1.0)
    record.project(1.0, company_user)
    record.sessions(held=5, attended=3)
    assert not record.evaluate().met and _certificates() == []
    sessions = db.session.scalars(select(CohortSession).order_by(CohortSession.held_on)).all()
    page = f"/trainer/cohorts/{record.cohort.id}/attendance"
    auth.login(record.trainer.email)
    present = {f"present-{s.id}-{record.learner.id}": "on" for s in sessions[:4]}
    data = {
        "csrf_token": auth.csrf_token(page),
        "action": "save",
        "session": [str(s.id) for s in sessions],
        "learner": [str(record.learner.id)],
        **present,
    }
    assert client.post(page, data=data).status_code == 302
    [certificate] = _certificates()
    assert certificate.status == CertificateStatus.ISSUED and certificate.credential["proof"]


@pytest.mark.docker
def test_the_last_grading_issues_the_certificate(app, record, monkeypatch):
    exercise_id = "python-backend/prix-ttc"
    real_load = policies.load
    monkeypatch.setattr(
        policies,
        "load",
        lambda loaded, track: dataclasses.replace(
            real_load(loaded, track),
            exercises=(exercise_id,),
            project_count=None,
            attendance_rate=None,
        ),
    )
    loaded = content.current()
    exercise = loaded.exercises[exercise_id]
    operations.submit(record.learner, exercise, exercise.solution(), loaded.commit, 10**6)
    db.session.commit()
    assert operations.grade_next(loaded, app.config["LMS_MAX_ATTEMPTS"]) is True
    [certificate] = _certificates()
    assert certificate.status == CertificateStatus.ISSUED
    evidence = certificate.manifest["thresholds"][0]["evidence"][0]
    assert evidence["exercise"] == exercise_id and evidence["image_digest"].startswith("sha256:")


def test_a_grading_that_completes_nothing_issues_nothing(record):
    record.graded("python-backend/prix-ttc", 1.0)
    from lms.certification.issuing.automatic import issue_if_met

    assert issue_if_met([record.learner], record.loaded) == []
