"""Attendance at a cohort's sessions, and the certificates issued against a track's policy."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import enum_type, utcnow


class CohortSession(db.Model):
    """A day (or half-day) of training that attendance is taken for."""

    __tablename__ = "cohort_sessions"
    __table_args__ = (UniqueConstraint("cohort_id", "held_on", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), nullable=False, index=True)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False, default="")

    cohort = relationship("Cohort")
    attendance = relationship("Attendance", back_populates="session", cascade="all")


class Attendance(db.Model):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "learner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("cohort_sessions.id"), nullable=False)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    present: Mapped[bool] = mapped_column(nullable=False)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)

    session = relationship("CohortSession", back_populates="attendance")
    learner = relationship("User", foreign_keys=[learner_id])


class CertificateStatus(enum.StrEnum):
    #: Every threshold met; the track asks a trainer to approve before it is issued.
    PENDING = "pending"
    ISSUED = "issued"
    #: Not valid while its evidence is reviewed (a re-grade found it no longer meets the
    #: policy); an admin lifts it (issued again) or a trainer revokes it.
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("learner_id", "track", "cohort_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unguessable identifier in public URLs (the credential's id).
    public_id: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), nullable=False, index=True)
    track: Mapped[str] = mapped_column(String(100), nullable=False)
    status: Mapped[CertificateStatus] = mapped_column(enum_type(CertificateStatus), nullable=False)
    #: Content commit whose certification.toml was applied, and its thresholds.
    policy_commit: Mapped[str] = mapped_column(String(80), nullable=False)
    policy: Mapped[dict] = mapped_column(JSON, nullable=False)
    #: Each threshold: required, achieved, met.
    evaluation: Mapped[list] = mapped_column(JSON, nullable=False)
    #: The evidence behind each threshold, with digests of the exact bytes assessed.
    manifest: Mapped[dict] = mapped_column(JSON, nullable=False)
    manifest_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    #: The signed OpenBadgeCredential, once issued.
    credential: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    key_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    #: Position in the revocation status list.
    status_index: Mapped[int] = mapped_column(Integer, unique=True, nullable=False)
    #: How the learner's name shows on public pages: "full" or "initials".
    name_display: Mapped[str] = mapped_column(String(10), nullable=False, default="full")
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    revocation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    learner = relationship("User", foreign_keys=[learner_id])
    cohort = relationship("Cohort")
    suspensions = relationship(
        "CertificateSuspension",
        back_populates="certificate",
        order_by="CertificateSuspension.id",
    )

    @property
    def suspension(self) -> CertificateSuspension | None:
        """The suspension in force (reason, who, when), if any."""
        return next((s for s in self.suspensions if s.lifted_at is None), None)


class CertificateSuspension(db.Model):
    """One suspension of a certificate and, once lifted, its lifting. A row per suspension
    rather than columns on the certificate: a certificate may be suspended, reinstated and
    suspended again, and the audit log's events about each must keep matching their row."""

    __tablename__ = "certificate_suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificates.id"), nullable=False, index=True
    )
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    suspended_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    suspended_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False, default=utcnow)
    #: The re-grade run whose results showed the evidence no longer meets the policy.
    regrade_run_id: Mapped[int | None] = mapped_column(ForeignKey("regrade_runs.id"), nullable=True)
    #: Set when an admin lifts the suspension (the certificate is issued again).
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    lift_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    certificate = relationship("Certificate", back_populates="suspensions")
    suspended_by = relationship("User", foreign_keys=[suspended_by_id])
    lifted_by = relationship("User", foreign_keys=[lifted_by_id])
