"""Checking a certificate for its public page, listing the certificates a user may see, and
the learner's choice of how their name shows. Operations flush; the request commits."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms import access
from lms.certification.issuing import operations as service
from lms.errors import DomainError
from lms.extensions import db
from lms.models import Role, User, cohort_trainers
from lms.models.certification import Certificate, CertificateStatus

NAME_DISPLAYS = ("full", "initials")


class Verdict(enum.StrEnum):
    VALID = "valid"
    #: Issued, but its stored credential no longer carries a proof that holds.
    INVALID = "invalid"
    REVOKED = "revoked"
    #: Issued, but not to be trusted while its evidence is reviewed (it may be reinstated).
    SUSPENDED = "suspended"
    #: No such certificate, or one not issued yet: both look the same to the public.
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Verification:
    verdict: Verdict
    certificate: Certificate | None
    #: Why the proof fails, or ``"valid"``; empty when not checked.
    reason: str = ""


def public_certificate(public_id: str) -> Certificate | None:
    """The certificate behind a public URL, if it was ever issued (pending ones stay private)."""
    certificate = db.session.scalar(select(Certificate).where(Certificate.public_id == public_id))
    if certificate is None or certificate.credential is None:
        return None
    if certificate.status == CertificateStatus.PENDING:
        return None
    return certificate


def check(public_id: str) -> Verification:
    """Valid only when issued, signed by one of our keys, and about this very certificate."""
    certificate = public_certificate(public_id)
    if certificate is None:
        return Verification(Verdict.UNKNOWN, None)
    if certificate.status == CertificateStatus.REVOKED:
        return Verification(Verdict.REVOKED, certificate)
    if certificate.status == CertificateStatus.SUSPENDED:
        return Verification(Verdict.SUSPENDED, certificate)
    result = service.verify_credential(certificate.credential)
    if not result.ok:
        return Verification(Verdict.INVALID, certificate, result.reason)
    if certificate.credential.get("id") != verify_url(certificate):
        # a valid credential of another certificate copied over this one's
        return Verification(
            Verdict.INVALID, certificate, "the credential is of another certificate"
        )
    return Verification(Verdict.VALID, certificate, result.reason)


def verify_url(certificate: Certificate) -> str:
    return f"{service.base_url()}/certificates/{certificate.public_id}"


def credential_url(certificate: Certificate) -> str:
    return verify_url(certificate) + "/credential"


def visible_certificates(user: User) -> list[Certificate]:
    """Auditors and admins see all; trainers their cohorts'; learners their own. Companies see
    none: a company-reviewed project does not entitle them to the learner's whole record, and
    the public verification page is there for anyone the learner shows a certificate to."""
    query = select(Certificate).order_by(Certificate.id)
    if user.role in access.READ_ALL:
        pass
    elif user.role == Role.TRAINER:
        taught = select(cohort_trainers.c.cohort_id).where(cohort_trainers.c.user_id == user.id)
        query = query.where(Certificate.cohort_id.in_(taught))
    elif user.role == Role.LEARNER:
        query = query.where(Certificate.learner_id == user.id)
    else:
        return []
    return list(db.session.scalars(query))


def summary(certificate: Certificate) -> dict:
    """The API's view of a certificate; callers are entitled to the learner's full name."""
    return {
        "id": certificate.public_id,
        "learner": certificate.learner.name,
        "track": certificate.track,
        "status": certificate.status.value,
        "issued_at": (
            certificate.issued_at.isoformat(timespec="seconds") + "Z"
            if certificate.issued_at
            else None
        ),
        "credential_url": credential_url(certificate),
        "verify_url": verify_url(certificate),
    }


class NameDisplayError(DomainError, ValueError):
    """A name display the learner may not set."""


def set_name_display(certificate: Certificate, learner: User, mode: str) -> None:
    """How the learner's name shows on the public page. The signed credential is not re-signed:
    its proof covers the name as it was at issuance."""
    if certificate.learner_id != learner.id:
        raise NameDisplayError("only the learner chooses how their name shows")
    if mode not in NAME_DISPLAYS:
        raise NameDisplayError(f"name display must be one of {', '.join(NAME_DISPLAYS)}")
    certificate.name_display = mode
    db.session.flush()


#: Thresholds measured as a share (0..1), shown as percentages; the others are counts.
SHARES = {"exercises", "quizzes", "attendance"}
THRESHOLD_LABELS = {
    "exercises": _l("Graded exercises (average best score)"),
    "quizzes": _l("Quizzes (average best score)"),
    "projects": _l("Projects assessed by a partner company"),
    "attendance": _l("Attendance"),
    "modules": _l("Modules completed"),
}


@dataclass(frozen=True)
class ThresholdRow:
    name: str
    label: str
    required: str
    achieved: str
    met: bool


def threshold_rows(certificate: Certificate) -> list[ThresholdRow]:
    """Each threshold of the certificate as the public page shows it."""
    rows = []
    for threshold in certificate.evaluation:
        name = threshold["name"]
        show = _percent if name in SHARES else _count
        rows.append(
            ThresholdRow(
                name,
                str(THRESHOLD_LABELS.get(name, name)),
                show(threshold["required"]),
                show(threshold["achieved"]),
                bool(threshold["met"]),
            )
        )
    return rows


def _percent(share: float) -> str:
    return f"{share * 100:.4g} %"


def _count(number: float) -> str:
    return f"{number:g}"
