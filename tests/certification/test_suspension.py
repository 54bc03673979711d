"""Suspending a certificate a re-grade flagged: an auditor or admin suspends it with a reason,
the learner is told (in the app and by e-mail), the public page, the API and the status list
say it is not valid; an admin lifts the suspension and it is valid again. Each step is an
event of the audit chain, which verifies after both, and catches a status changed behind the
application's back. Nobody else may suspend or lift."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text

from lms import audit
from lms.certification.auditing import regrading
from lms.certification.issuing import operations as service
from lms.certification.verification import publication
from lms.extensions import db
from lms.models import AuditEvent, CertificateStatus, Notification, RegradeRun

QUIZ_1, QUIZ_2 = "demo/verifier-bases", "demo/etat-des-lieux"
REASON = "Re-graded: the quiz answers earn 0/3, not the 3/3 recorded"


@pytest.fixture
def app_config(app_config, smtp_sink) -> dict:
    return {
        **app_config,
        "LMS_SMTP_HOST": "127.0.0.1",
        "LMS_SMTP_PORT": smtp_sink.port,
        "LMS_MAIL_SYNC": True,
    }


@pytest.fixture(autouse=True)
def english_pages(client):
    client.set_cookie("locale", "en")


@pytest.fixture
def auditor(create_user):
    return create_user("auditor", email="auditrice@programme.ma", name="Auditrice")


@pytest.fixture
def admin(create_user):
    return create_user("admin", email="admin@programme.ma", name="Admin")


@pytest.fixture
def flagged(quiz_world):
    """A certificate issued on a forged 3/3 (the answers earn 0/3), an honest one, and the
    finished re-grade run that flagged the first."""
    recorded = {QUIZ_1: 3, QUIZ_2: 2}
    forged = quiz_world.certified("Forgée", {QUIZ_1: 0, QUIZ_2: 2}, recorded)
    honest = quiz_world.certified("Honnête", {QUIZ_1: 3, QUIZ_2: 2}, recorded)
    worker = regrading.worker_name()
    run = regrading.work(regrading.begin(None, worker).id, worker, None)
    assert [f["certificate_id"] for f in run.flagged] == [forged.id]
    return forged, honest, run


def _suspend(client, auth, run: RegradeRun, certificate, reason: str = REASON):
    page = f"/audit/regrade/{run.id}"
    return client.post(
        f"{page}/certificates/{certificate.id}/suspend",
        data={"csrf_token": auth.csrf_token(page), "reason": reason},
    )


def _lift(client, auth, certificate, reason: str = "Checked by hand: the answers are right"):
    page = f"/audit/certificates/{certificate.id}"
    return client.post(
        f"{page}/lift-suspension", data={"csrf_token": auth.csrf_token(page), "reason": reason}
    )


def _status_bits(client) -> set[int]:
    bits = publication.decode_bitstring(
        client.get("/status/revocation").json["credentialSubject"]["encodedList"]
    )
    return {i for i in range(len(bits) * 8) if publication.is_set(bits, i)}


def _mails_to(smtp_sink, address: str) -> list:
    return [
        message
        for (recipients, _), message in zip(smtp_sink.received, smtp_sink.messages, strict=True)
        if address in recipients
    ]


# Suspending ------------------------------------------------------------------------------------


def test_an_auditor_suspends_a_flagged_certificate_and_the_learner_is_told(
    client, auth, auditor, flagged, smtp_sink
):
    forged, _, run = flagged
    auth.login(auditor.email)
    response = _suspend(client, auth, run, forged)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/audit/regrade/{run.id}#certificate-{forged.id}")
    db.session.expire_all()
    assert forged.status == CertificateStatus.SUSPENDED
    suspension = forged.suspension
    assert (suspension.reason, suspension.suspended_by_id, suspension.regrade_run_id) == (
        REASON,
        auditor.id,
        run.id,
    )
    notice = db.session.scalars(
        select(Notification).where(Notification.user_id == forged.learner_id)
    ).one()
    assert notice.kind == "certificate_suspended" and REASON in notice.body
    assert notice.link == f"/certificates/{forged.public_id}"
    mails = _mails_to(smtp_sink, forged.learner.email)
    assert len(mails) == 1 and "suspendu" in mails[0]["Subject"], "in the learner's language"
    html = client.get(f"/audit/regrade/{run.id}").get_data(as_text=True)
    section = html[html.index(f'id="certificate-{forged.id}"') :]
    assert 'data-status="suspended"' in section and "suspend-form" not in section


def test_a_suspended_certificate_is_not_valid_on_its_page_in_the_api_and_in_the_status_list(
    client, auth, auditor, flagged, api_token
):
    forged, honest, run = flagged
    auth.login(auditor.email)
    _suspend(client, auth, run, forged)
    auth.logout()

    html = client.get(f"/certificates/{forged.public_id}").get_data(as_text=True)
    assert re.search(r'id="certificate" data-status="suspended"', html)
    assert re.search(r'id="verdict"[^>]*>\s*SUSPENDED', html)
    assert REASON in html
    assert forged.suspension.suspended_at.strftime("%Y-%m-%d") in html
    listed = client.get("/api/v1/certificates", headers=api_token(forged.learner)).json
    assert [(c["id"], c["status"]) for c in listed] == [(forged.public_id, "suspended")]
    assert _status_bits(client) == {forged.status_index}
    credential = client.get(f"/certificates/{forged.public_id}/credential").json
    assert credential["credentialStatus"]["statusListIndex"] == str(forged.status_index)
    assert service.verify_credential(credential).ok, "the credential itself is unchanged"
    assert client.get(f"/certificates/{honest.public_id}").status_code == 200
    assert 'data-status="valid"' in client.get(f"/certificates/{honest.public_id}").get_data(
        as_text=True
    )


def test_only_a_certificate_the_run_flagged_can_be_suspended(client, auth, auditor, flagged):
    _, honest, run = flagged
    auth.login(auditor.email)
    assert _suspend(client, auth, run, honest).status_code == 404
    db.session.expire_all()
    assert honest.status == CertificateStatus.ISSUED


def test_a_suspension_needs_a_reason_and_an_issued_certificate(client, auth, auditor, flagged):
    forged, _, run = flagged
    auth.login(auditor.email)
    response = _suspend(client, auth, run, forged, reason="  ")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not suspended: say why the certificate is suspended" in page
    db.session.expire_all()
    assert forged.status == CertificateStatus.ISSUED and forged.suspensions == []
    _suspend(client, auth, run, forged)
    response = _suspend(client, auth, run, forged)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not suspended: only an issued certificate can be suspended" in page
    db.session.expire_all()
    assert len(forged.suspensions) == 1


@pytest.mark.parametrize("role", ["learner", "company", "trainer"])
def test_no_other_role_may_suspend(client, auth, create_user, flagged, role):
    forged, _, run = flagged
    auth.login(create_user(role).email)
    page = f"/audit/regrade/{run.id}/certificates/{forged.id}/suspend"
    response = client.post(page, data={"csrf_token": auth.csrf_token("/"), "reason": REASON})
    assert response.status_code == 403
    db.session.expire_all()
    assert forged.status == CertificateStatus.ISSUED


def test_the_certificates_own_learner_may_not_suspend_or_lift_it(client, auth, flagged):
    forged, _, run = flagged
    auth.login(forged.learner.email)
    token = auth.csrf_token("/")
    suspend = f"/audit/regrade/{run.id}/certificates/{forged.id}/suspend"
    assert client.post(suspend, data={"csrf_token": token, "reason": "x"}).status_code == 403
    lift = f"/audit/certificates/{forged.id}/lift-suspension"
    assert client.post(lift, data={"csrf_token": token, "reason": "x"}).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in_and_a_form_without_its_token_refused(
    client, auth, auditor, flagged
):
    forged, _, run = flagged
    page = f"/audit/regrade/{run.id}/certificates/{forged.id}/suspend"
    token = auth.csrf_token("/login")
    response = client.post(page, data={"csrf_token": token, "reason": REASON})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.login(auditor.email)
    assert client.post(page, data={"reason": REASON}).status_code == 400
    db.session.expire_all()
    assert forged.status == CertificateStatus.ISSUED


# Lifting ---------------------------------------------------------------------------------------


def test_an_admin_lifts_a_suspension_and_the_certificate_is_valid_again(
    client, auth, auditor, admin, flagged, smtp_sink
):
    forged, _, run = flagged
    auth.login(auditor.email)
    _suspend(client, auth, run, forged)
    auth.logout()
    auth.login(admin.email)
    page = client.get(f"/audit/certificates/{forged.id}").get_data(as_text=True)
    assert 'id="lift-suspension"' in page and REASON in page
    response = _lift(client, auth, forged)
    assert response.status_code == 302
    db.session.expire_all()
    assert forged.status == CertificateStatus.ISSUED and forged.suspension is None
    lifted = forged.suspensions[0]
    assert (lifted.lifted_by_id, lifted.lift_reason) == (
        admin.id,
        "Checked by hand: the answers are right",
    )
    auth.logout()
    html = client.get(f"/certificates/{forged.public_id}").get_data(as_text=True)
    assert 'data-status="valid"' in html
    assert _status_bits(client) == set(), "the bit is cleared"
    kinds = [
        n.kind
        for n in db.session.scalars(
            select(Notification)
            .where(Notification.user_id == forged.learner_id)
            .order_by(Notification.id)
        )
    ]
    assert kinds == ["certificate_suspended", "certificate_reinstated"]
    assert len(_mails_to(smtp_sink, forged.learner.email)) == 2


def test_an_auditor_may_suspend_but_not_lift(client, auth, auditor, flagged):
    forged, _, run = flagged
    auth.login(auditor.email)
    _suspend(client, auth, run, forged)
    page = client.get(f"/audit/certificates/{forged.id}").get_data(as_text=True)
    assert 'id="lift-suspension"' not in page
    assert _lift(client, auth, forged).status_code == 403
    db.session.expire_all()
    assert forged.status == CertificateStatus.SUSPENDED


def test_lifting_needs_a_reason_and_a_suspended_certificate(client, auth, admin, flagged):
    forged, _, run = flagged
    auth.login(admin.email)
    response = _lift(client, auth, forged)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Suspension not lifted: only a suspended certificate can be reinstated" in page
    _suspend(client, auth, run, forged)
    response = _lift(client, auth, forged, reason="")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Suspension not lifted: say why the suspension is lifted" in page
    db.session.expire_all()
    assert forged.status == CertificateStatus.SUSPENDED


# The audit chain -------------------------------------------------------------------------------


def test_the_audit_chain_verifies_after_suspending_lifting_and_suspending_again(
    client, auth, admin, flagged, runner
):
    forged, _, run = flagged
    auth.login(admin.email)
    _suspend(client, auth, run, forged)
    _lift(client, auth, forged)
    _suspend(client, auth, run, forged, reason="Second look: still wrong")
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.kind.like("certificate.suspen%"))
        .order_by(AuditEvent.seq)
    ).all()
    assert [(e.kind, e.actor_id) for e in events] == [
        ("certificate.suspended", admin.id),
        ("certificate.suspension_lifted", admin.id),
        ("certificate.suspended", admin.id),
    ]
    assert events[0].data["reason"] == REASON and events[0].data["public_id"] == forged.public_id
    assert events[0].data["regrade_run_id"] == run.id
    db.session.expire_all()  # the command shares this test's session: see the pages' changes
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "audit chain OK" in result.output


def test_a_suspension_undone_behind_the_applications_back_is_caught(client, auth, auditor, flagged):
    forged, _, run = flagged
    auth.login(auditor.email)
    _suspend(client, auth, run, forged)
    db.session.execute(
        text("UPDATE certificates SET status = 'issued' WHERE id = :id"), {"id": forged.id}
    )
    db.session.commit()
    report = audit.verify(db.session)
    assert not report.ok and "under suspension" in report.reason and "issued" in report.reason


def test_a_suspension_or_a_lifting_edited_in_the_database_is_caught(client, auth, admin, flagged):
    forged, _, run = flagged
    auth.login(admin.email)
    _suspend(client, auth, run, forged)
    db.session.execute(text("UPDATE certificate_suspensions SET reason = 'Rien'"))
    db.session.commit()
    report = audit.verify(db.session)
    assert not report.ok and "reason" in report.reason
    db.session.execute(text("UPDATE certificate_suspensions SET reason = :r"), {"r": REASON})
    db.session.execute(
        text("UPDATE certificate_suspensions SET lifted_at = suspended_at, lift_reason = 'x'")
    )
    db.session.execute(text("UPDATE certificates SET status = 'issued'"))
    db.session.commit()
    report = audit.verify(db.session)
    assert not report.ok and "no certificate.suspension_lifted event" in report.reason


def test_a_certificate_marked_suspended_without_a_suspension_is_caught(flagged):
    forged, _, _ = flagged
    db.session.execute(
        text("UPDATE certificates SET status = 'suspended' WHERE id = :id"), {"id": forged.id}
    )
    db.session.commit()
    report = audit.verify(db.session)
    assert not report.ok and "says suspended but no suspension is in force" in report.reason
