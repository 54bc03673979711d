"""What the audit chain records about certificates and attendance, and how it checks it later.

Registered at :func:`lms.create_app`.
"""

from __future__ import annotations

from lms import signals
from lms.audit import ChainOnly, FactSource, kinds
from lms.certification.issuing.operations import canonical_sha256, verify_credential
from lms.models import Attendance
from lms.models.certification import Certificate, CertificateStatus, CertificateSuspension


def issued_facts(certificate: Certificate) -> dict:
    """What never changes once a certificate is issued."""
    return {
        "public_id": certificate.public_id,
        "learner_id": certificate.learner_id,
        "track": certificate.track,
        "policy_commit": certificate.policy_commit,
        "manifest_sha256": certificate.manifest_sha256,
        "key_id": certificate.key_id,
        "issued_at": certificate.issued_at.isoformat() if certificate.issued_at else None,
    }


def issued_problem(certificate: Certificate) -> str | None:
    if canonical_sha256(certificate.manifest) != certificate.manifest_sha256:
        return f"certificate {certificate.public_id}'s evidence manifest was changed"
    if certificate.credential and not verify_credential(certificate.credential).ok:
        return f"certificate {certificate.public_id}'s credential no longer verifies"
    if certificate.status == CertificateStatus.SUSPENDED and certificate.suspension is None:
        # suspended behind the application's back: no suspension row, so no event either
        return f"certificate {certificate.public_id} says suspended but no suspension is in force"
    return None


def revoked_facts(certificate: Certificate) -> dict:
    return {
        "public_id": certificate.public_id,
        "status": str(certificate.status),
        "reason": certificate.revocation_reason,
    }


def suspended_facts(suspension: CertificateSuspension) -> dict:
    """What never changes once a certificate is suspended (lifting adds its own event)."""
    return {
        "suspension": suspension.id,
        "public_id": suspension.certificate.public_id,
        "reason": suspension.reason,
        "suspended_by_id": suspension.suspended_by_id,
        "suspended_at": suspension.suspended_at.isoformat(),
        "regrade_run_id": suspension.regrade_run_id,
    }


#: What a certificate may be while one of its suspensions is in force (revoking one under
#: suspension is final).
_UNDER_SUSPENSION = {CertificateStatus.SUSPENDED, CertificateStatus.REVOKED}


def suspension_problem(suspension: CertificateSuspension) -> str | None:
    status = suspension.certificate.status
    if suspension.lifted_at is None and status not in _UNDER_SUSPENSION:
        return (
            f"certificate {suspension.certificate.public_id} is under suspension "
            f"{suspension.id} but its status says {status}"
        )
    return None


def lifted_facts(suspension: CertificateSuspension) -> dict:
    return {
        "suspension": suspension.id,
        "public_id": suspension.certificate.public_id,
        "reason": suspension.lift_reason,
        "lifted_by_id": suspension.lifted_by_id,
        "lifted_at": suspension.lifted_at.isoformat() if suspension.lifted_at else None,
    }


def attendance_data(attendance: Attendance, previous: bool | None) -> dict:
    """A change of attendance, with the value it replaced (None the first time)."""
    return {
        "session_id": attendance.session_id,
        "learner_id": attendance.learner_id,
        "present": attendance.present,
        "previous": previous,
    }


AUDITED = {
    kinds.CERTIFICATE_ISSUED: FactSource(
        Certificate,
        "certificate",
        issued_facts,
        lambda: Certificate.issued_at.is_not(None),
        issued_problem,
        (Certificate.suspensions,),
        signal=signals.certificate_issued,
    ),
    kinds.CERTIFICATE_REVOKED: FactSource(
        Certificate,
        "certificate",
        revoked_facts,
        lambda: Certificate.status == CertificateStatus.REVOKED,
        signal=signals.certificate_revoked,
    ),
    # A row per suspension, not the certificate: a certificate suspended twice has two events,
    # each of which must keep matching what it recorded.
    kinds.CERTIFICATE_SUSPENDED: FactSource(
        CertificateSuspension,
        "suspension",
        suspended_facts,
        lambda: CertificateSuspension.id.is_not(None),
        suspension_problem,
        (CertificateSuspension.certificate,),
        signal=signals.certificate_suspended,
    ),
    kinds.CERTIFICATE_SUSPENSION_LIFTED: FactSource(
        CertificateSuspension,
        "suspension",
        lifted_facts,
        lambda: CertificateSuspension.lifted_at.is_not(None),
        load=(CertificateSuspension.certificate,),
        signal=signals.certificate_suspension_lifted,
    ),
    kinds.ATTENDANCE_CHANGED: ChainOnly(
        signals.attendance_changed,
        subject=lambda attendance: f"attendance:{attendance.id}",
        data=attendance_data,
    ),
}
