"""Certificates in the audit log: issuing and revoking are chained events, and editing a
certificate behind the application's back is caught by ``lms audit verify``; checkpoints are
signed with the issuer's key and published."""

from __future__ import annotations

from sqlalchemy import text

from lms import audit
from lms.certification.auditing import checkpoints
from lms.certification.issuing import operations as service
from lms.extensions import db


def _issued(record, company_user):
    certificate = service.issue(record.meet_everything(company_user))
    db.session.commit()
    return certificate


def test_an_untouched_certificate_verifies(record, company_user, runner):
    _issued(record, company_user)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "audit chain OK" in result.output


def test_a_manifest_edited_in_the_database_is_caught(record, company_user, runner):
    certificate = _issued(record, company_user)
    forged = {**certificate.manifest, "policy_commit": "0" * 40}
    db.session.execute(
        text("UPDATE certificates SET manifest = :m WHERE id = :id"),
        {"m": __import__("json").dumps(forged), "id": certificate.id},
    )
    db.session.commit()
    report = audit.verify(db.session)
    assert not report.ok and "manifest" in report.reason
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN" in result.output


def test_an_unrevoked_certificate_is_caught(record, company_user):
    certificate = _issued(record, company_user)
    service.revoke(certificate, record.trainer, "Fraude")
    db.session.commit()
    db.session.execute(
        text("UPDATE certificates SET status = 'issued' WHERE id = :id"), {"id": certificate.id}
    )
    db.session.commit()
    report = audit.verify(db.session)
    assert not report.ok and "status" in report.reason


def test_checkpoints_are_signed_with_the_issuer_key_and_published(
    app, record, company_user, client, runner
):
    _issued(record, company_user)
    result = runner.invoke(args=["audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    published = client.get("/issuer/audit-checkpoints").json["checkpoints"]
    assert len(published) == 1 and published[0]["verification_method"].startswith(
        "https://lms.example.ma/issuer#key-"
    )
    report = audit.verify(db.session, checkpoints.verifier())
    assert report.ok and report.checkpoints == 1
    assert checkpoints.make_if_due() is None, "the head has not moved"
