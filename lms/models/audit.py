"""The audit log: append-only events, each carrying the hash of the one before, and signed
checkpoints of the chain's head. How hashes are computed is in :mod:`lms.audit.chain`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import utcnow


class AuditEvent(db.Model):
    """One fact that matters for certification ("submission.graded"), never updated nor
    deleted (the database refuses both; see migration 0004)."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Position in the chain: 1, 2, 3... Unique, so two writers can never both append #n.
    seq: Mapped[int] = mapped_column(Integer, nullable=False, unique=True, index=True)
    at: Mapped[datetime] = mapped_column(DateTime(), nullable=False, default=utcnow)
    #: "submission.graded", "review.submitted", "certificate.issued", "certificate.revoked",
    #: "attendance.changed"...
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    #: Who did it; None for the platform itself (a grading worker).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    #: What it is about, "<type>:<id>" ("submission:12"), to find a row's history.
    subject: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    #: The facts as they were then (score, max_score, code_hash, image_digest, commit...).
    data: Mapped[dict] = mapped_column(JSON, nullable=False)
    #: ``hash`` of event ``seq - 1``; 64 zeros for the first event.
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    #: SHA-256 (hex) of the canonical JSON of seq, at, kind, actor_id, subject, data, prev_hash.
    hash: Mapped[str] = mapped_column(String(64), nullable=False)

    actor = relationship("User")

    def __repr__(self) -> str:
        return f"<AuditEvent #{self.seq} {self.kind} {self.subject}>"


class AuditCheckpoint(db.Model):
    """The chain's head at one moment, signed with the issuer's key. Once published outside
    the database, it pins everything up to ``seq``: a chain rewritten from scratch, however
    consistent, no longer ends in ``head_hash``."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The head's ``seq`` (0 for an empty chain).
    seq: Mapped[int] = mapped_column(Integer, nullable=False, index=True)
    head_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(), nullable=False, default=utcnow)
    #: Which key signed it, as the signer names it (a key id or a verification-method URL).
    key_id: Mapped[str] = mapped_column(String(200), nullable=False)
    #: Base64 of the signature over :func:`lms.audit.chain.checkpoint_message`.
    signature: Mapped[str] = mapped_column(Text, nullable=False)

    def __repr__(self) -> str:
        return f"<AuditCheckpoint #{self.seq} {self.head_hash[:12]}>"
