"""Attendance recorded by trainers (web grid and CSV import, every change audited), the
trainer's and the learner's certification pages, and ``lms certificates evaluate``."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import select

from lms.certification.attendance import operations as attendance
from lms.certification.issuing import policy as policies
from lms.extensions import db
from lms.models import AuditEvent, CertificateStatus
from lms.models.certification import Attendance, Certificate, CohortSession


@pytest.fixture(autouse=True)
def english_pages(client):
    """These pages are read in English here (the language switcher's cookie); the French
    catalogue is checked in tests/test_pages.py."""
    client.set_cookie("locale", "en")


@pytest.fixture
def cohort(record):
    return record.cohort


@pytest.fixture
def classmate(create_user, cohort):
    from lms.admin import operations as ops

    user = create_user("learner", email="karim@test.ma", name="Karim")
    ops.enrol(cohort, user)
    db.session.commit()
    return user


def _events(kind: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.kind == kind)))


def _fresh():
    # Requests run in their own session: forget what this one cached.
    db.session.expire_all()


# The service -----------------------------------------------------------------------------------


def test_an_attendance_change_is_audited_with_the_value_it_replaces(record, cohort):
    session = attendance.add_session(cohort, date(2026, 9, 1), "Jour 1")
    attendance.set_attendance(session, record.learner, True, record.trainer)
    attendance.set_attendance(session, record.learner, True, record.trainer)  # no change
    attendance.set_attendance(session, record.learner, False, record.trainer)
    db.session.commit()
    events = _events("attendance.changed")
    assert [(e.data["present"], e.data["previous"]) for e in events] == [
        (True, None),
        (False, True),
    ]
    assert events[0].data["session_id"] == session.id
    assert events[0].data["learner_id"] == record.learner.id
    assert events[0].actor_id == record.trainer.id


def test_attendance_is_refused_for_a_learner_not_in_the_cohort(record, cohort, create_user):
    outsider = create_user("learner", email="out@test.ma")
    session = attendance.add_session(cohort, date(2026, 9, 1))
    with pytest.raises(attendance.AttendanceError, match="not enrolled"):
        attendance.set_attendance(session, outsider, True, record.trainer)


def test_a_good_csv_creates_the_sessions_and_records_every_line(record, cohort, classmate):
    text = (
        "date,email,present\n"
        "2026-09-01,salma@test.ma,1\n"
        "2026-09-01,KARIM@test.ma,absent\n"
        "2026-09-02,salma@test.ma,oui\n"
        "2026-09-02,karim@test.ma,non\n"
    )
    report = attendance.import_csv(cohort, text, record.trainer)
    db.session.commit()
    assert (report.created_sessions, report.recorded, report.errors) == (2, 4, [])
    grid = attendance.attendance_grid(cohort)
    assert [s.held_on for s in grid.sessions] == [date(2026, 9, 1), date(2026, 9, 2)]
    assert grid.rate(record.learner) == 1.0 and grid.rate(classmate) == 0.0
    assert len(_events("attendance.changed")) == 4


def test_bad_csv_lines_are_reported_by_number_and_the_good_ones_kept(record, cohort, create_user):
    create_user("learner", email="elsewhere@test.ma")
    text = (
        "date;email;present\n"
        "2026-09-01;salma@test.ma;yes\n"
        "01/09/2026;salma@test.ma;1\n"
        "2026-09-03;nobody@test.ma;1\n"
        "2026-09-04;elsewhere@test.ma;1\n"
        "2026-09-05;salma@test.ma;peut-être\n"
        "2026-09-01;salma@test.ma;no\n"
    )
    report = attendance.import_csv(cohort, text, record.trainer)
    db.session.commit()
    assert report.recorded == 1 and report.created_sessions == 1
    assert [e.split(":")[0] for e in report.errors] == [
        "line 3",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
    ]
    assert "bad date" in report.errors[0]
    assert "nobody@test.ma is not a known learner" in report.errors[1]
    assert "elsewhere@test.ma is not enrolled" in report.errors[2]
    assert "same session and learner as line 2" in report.errors[4]
    assert db.session.scalar(select(Attendance.present)) is True


def test_a_csv_without_its_header_is_refused_whole(record, cohort):
    report = attendance.import_csv(cohort, "2026-09-01,salma@test.ma,1\n", record.trainer)
    assert report.recorded == 0 and report.errors[0].startswith("line 1: header")
    assert db.session.scalar(select(CohortSession.id)) is None


def test_a_file_that_is_not_utf8_or_too_large_is_refused():
    with pytest.raises(attendance.AttendanceError, match="not UTF-8"):
        attendance.decode_csv("date,email,present\n2026-09-01,é@x.ma,1\n".encode("latin-1"))
    with pytest.raises(attendance.AttendanceError, match="larger than 1 kB"):
        attendance.decode_csv(b"x" * 2000, limit=1024)
    assert attendance.decode_csv("\ufeffdate".encode()) == "date"


# The attendance page ---------------------------------------------------------------------------


def test_the_trainer_ticks_the_grid_and_each_change_is_audited(client, auth, record, cohort):
    session = attendance.add_session(cohort, date(2026, 9, 1), "Jour 1")
    db.session.commit()
    auth.login(record.trainer.email)
    path = f"/trainer/cohorts/{cohort.id}/attendance"
    page = client.get(path)
    assert page.status_code == 200 and "Jour 1" in page.get_data(as_text=True)
    response = client.post(
        path,
        data={
            "csrf_token": auth.csrf_token(path),
            "action": "save",
            "session": str(session.id),
            "learner": str(record.learner.id),
            f"present-{session.id}-{record.learner.id}": "on",
        },
    )
    assert response.status_code == 302
    _fresh()
    assert db.session.scalar(select(Attendance.present)) is True
    assert len(_events("attendance.changed")) == 1


def test_the_trainer_adds_a_session_and_imports_a_csv(client, auth, record, cohort):
    auth.login(record.trainer.email)
    path = f"/trainer/cohorts/{cohort.id}/attendance"
    client.post(
        path,
        data={
            "csrf_token": auth.csrf_token(path),
            "action": "add_session",
            "held_on": "2026-09-01",
            "title": "Jour 1",
        },
    )
    csv_file = b"date,email,present\n2026-09-02,salma@test.ma,1\n2026-09-03,x@y.ma,1\n"
    response = client.post(
        path,
        data={
            "csrf_token": auth.csrf_token(path),
            "action": "import",
            "file": (io.BytesIO(csv_file), "presence.csv"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "line 3: x@y.ma is not a known learner" in html
    _fresh()
    assert len(attendance.sessions_of(cohort)) == 2


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("date,email,present\n2026-09-01,sé@x.ma,1\n".encode("latin-1"), "not UTF-8"),
        (b"date,email,present\n" + b"2026-09-01,salma@test.ma,1\n" * 25_000, "larger than"),
    ],
)
def test_an_unreadable_upload_is_refused_with_a_clear_message(
    client, auth, record, cohort, payload, message
):
    auth.login(record.trainer.email)
    path = f"/trainer/cohorts/{cohort.id}/attendance"
    response = client.post(
        path,
        data={
            "csrf_token": auth.csrf_token(path),
            "action": "import",
            "file": (io.BytesIO(payload), "presence.csv"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    _fresh()
    assert db.session.scalar(select(CohortSession.id)) is None


def test_only_the_cohorts_trainers_may_record_attendance(client, auth, record, cohort, create_user):
    path = f"/trainer/cohorts/{cohort.id}/attendance"
    other = create_user("trainer", email="other@test.ma")
    auditor = create_user("auditor", email="auditor@test.ma")
    auth.login(other.email)
    assert client.get(path).status_code == 404
    assert client.get(f"/trainer/cohorts/{cohort.id}/certification").status_code == 404
    auth.logout()
    auth.login(auditor.email)
    assert client.get(path).status_code == 200
    token = auth.csrf_token(path)
    add = {"csrf_token": token, "action": "add_session", "held_on": "2026-09-01"}
    assert client.post(path, data=add).status_code == 403
    assert client.get(f"/trainer/cohorts/{cohort.id}/certification").status_code == 200
    auth.logout()
    auth.login(record.learner.email)
    assert client.get(path).status_code == 403
    assert client.post(path, data={**add, "csrf_token": auth.csrf_token("/")}).status_code == 403


# The certification pages -----------------------------------------------------------------------


def test_the_learner_sees_what_is_met_and_what_is_missing(client, auth, record):
    record.sessions(held=5, attended=5)
    record.graded("python-backend/prix-ttc", 1.0)
    auth.login(record.learner.email)
    html = client.get("/certification").get_data(as_text=True)
    assert 'class="threshold threshold-attendance met"' in html
    assert 'class="threshold threshold-exercises missing"' in html
    assert 'class="threshold threshold-projects missing"' in html
    never_passed = record.loaded.exercises["python-backend/cotisations-cnss"].title
    assert str(escape(never_passed)) in html and "company-reviewed project" in html
    assert "/certificates/" not in html
    assert client.get("/certification").status_code == 200
    auth.logout()
    auth.login(record.trainer.email)
    assert client.get("/certification").status_code == 403


def test_the_learner_page_links_to_their_certificate(client, auth, record, company_user):
    from lms.certification.issuing import operations as service

    certificate = service.issue(record.meet_everything(company_user))
    db.session.commit()
    auth.login(record.learner.email)
    html = client.get("/certification").get_data(as_text=True)
    assert f'href="/certificates/{certificate.public_id}"' in html


def _post(client, auth, page: str, action: str, **data):
    return client.post(action, data={"csrf_token": auth.csrf_token(page), **data})


def test_the_trainer_issues_approves_and_revokes_from_the_page(
    client, auth, record, company_user, monkeypatch
):
    real_load = policies.load
    monkeypatch.setattr(
        policies,
        "load",
        lambda content, track: dataclasses.replace(real_load(content, track), approval="trainer"),
    )
    record.meet_everything(company_user)
    cohort, learner = record.cohort, record.learner
    page = f"/trainer/cohorts/{cohort.id}/certification"
    auth.login(record.trainer.email)
    html = client.get(page).get_data(as_text=True)
    assert "policy met" in html and "Issue" in html

    issue = f"/trainer/cohorts/{cohort.id}/certification/{learner.id}/issue"
    assert _post(client, auth, page, issue).status_code == 302
    _fresh()
    certificate = db.session.scalar(select(Certificate))
    assert certificate.status == CertificateStatus.PENDING

    _post(client, auth, page, f"/trainer/certificates/{certificate.id}/approve")
    _fresh()
    assert certificate.status == CertificateStatus.ISSUED
    assert certificate.approved_by_id == record.trainer.id

    revoke = f"/trainer/certificates/{certificate.id}/revoke"
    refused = client.post(
        revoke, data={"csrf_token": auth.csrf_token(page), "reason": " "}, follow_redirects=True
    )
    assert "say why" in refused.get_data(as_text=True)
    _fresh()
    assert certificate.status == CertificateStatus.ISSUED
    _post(client, auth, page, revoke, reason="Plagiat avéré")
    _fresh()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revocation_reason == "Plagiat avéré"


def test_an_auditor_and_another_trainer_cannot_act_on_certificates(
    client, auth, record, company_user, create_user
):
    from lms.certification.issuing import operations as service

    certificate = service.issue(record.meet_everything(company_user))
    db.session.commit()
    page = f"/trainer/cohorts/{record.cohort.id}/certification"
    revoke = f"/trainer/certificates/{certificate.id}/revoke"
    auth.login(create_user("auditor", email="auditor@test.ma").email)
    html = client.get(page).get_data(as_text=True)
    assert "Revoke" not in html
    assert _post(client, auth, page, revoke, reason="x").status_code == 403
    auth.logout()
    auth.login(create_user("trainer", email="other@test.ma").email)
    assert _post(client, auth, "/", revoke, reason="x").status_code == 404
    _fresh()
    assert certificate.status == CertificateStatus.ISSUED


def test_an_unmet_policy_cannot_be_issued_from_the_page(client, auth, record):
    auth.login(record.trainer.email)
    page = f"/trainer/cohorts/{record.cohort.id}/certification"
    issue = f"/trainer/cohorts/{record.cohort.id}/certification/{record.learner.id}/issue"
    response = client.post(issue, data={"csrf_token": auth.csrf_token(page)}, follow_redirects=True)
    assert "not every threshold is met" in response.get_data(as_text=True)
    _fresh()
    assert db.session.scalar(select(Certificate.id)) is None


# The command -----------------------------------------------------------------------------------


def test_the_cli_evaluates_then_issues_to_those_who_meet_the_policy(
    runner, record, company_user, classmate
):
    record.meet_everything(company_user)
    evaluated = runner.invoke(args=["certificates", "evaluate", "--cohort", record.cohort.name])
    assert evaluated.exit_code == 0, evaluated.output
    assert "salma@test.ma: MET" in evaluated.output
    assert "karim@test.ma: not met" in evaluated.output
    assert "2 learner(s) evaluated, 1 meet the policy, 0 certificate(s) issued" in evaluated.output
    assert db.session.scalar(select(Certificate.id)) is None

    issued = runner.invoke(args=["certificates", "evaluate", "--issue"])
    assert issued.exit_code == 0, issued.output
    assert "1 certificate(s) issued, 0 pending approval" in issued.output
    _fresh()
    certificate = db.session.scalar(select(Certificate))
    assert certificate.learner_id == record.learner.id
    assert certificate.status == CertificateStatus.ISSUED

    again = runner.invoke(args=["certificates", "evaluate", "--issue"])
    assert "0 certificate(s) issued" in again.output and "[certificate issued]" in again.output


def test_the_cli_makes_trainer_policies_pending(runner, record, company_user, monkeypatch):
    real_load = policies.load
    monkeypatch.setattr(
        policies,
        "load",
        lambda content, track: dataclasses.replace(real_load(content, track), approval="trainer"),
    )
    record.meet_everything(company_user)
    result = runner.invoke(args=["certificates", "evaluate", "--issue"])
    assert "0 certificate(s) issued, 1 pending approval" in result.output, result.output


def test_the_cli_names_an_unknown_cohort(runner, record):
    result = runner.invoke(args=["certificates", "evaluate", "--cohort", "Nope"])
    assert result.exit_code == 1 and "Nope" in result.output
