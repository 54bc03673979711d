"""Signed checkpoints of the audit chain, made with the issuer's key and published at
``/issuer/audit-checkpoints``: once copied outside the database (by an auditor, a journalist, a
mirror), a checkpoint pins every event up to it."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from lms import audit
from lms.audit.chain import head
from lms.audit.signing import ed25519_signer, ed25519_verifier
from lms.certification.issuing.operations import issuer_id, key_store
from lms.extensions import db
from lms.models import AuditCheckpoint
from lms.models.base import utcnow


def make() -> AuditCheckpoint:
    """Sign the chain's head now with the current issuer key (flushed; the caller's unit of
    work commits)."""
    key = key_store().current()
    return audit.checkpoint(ed25519_signer(key.private_key, f"{issuer_id()}#{key.id}"))


def make_if_due() -> AuditCheckpoint | None:
    """A checkpoint when the head moved and the last one is older than the period (flushed):
    a periodic chore of the grading workers (:mod:`lms.queue.chores`), so checkpoints appear
    without anyone remembering."""
    period = timedelta(seconds=current_app.config["LMS_CHECKPOINT_SECONDS"])
    last = db.session.scalar(select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1))
    seq, _ = head(db.session)
    if seq == 0 or (last is not None and (last.seq == seq or utcnow() - last.at < period)):
        return None
    return make()


def verifier():
    """Checks checkpoint signatures against every key the issuer ever published."""
    return ed25519_verifier([key.public_key for key in key_store().all()])


def published() -> list[dict]:
    rows = db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq))
    return [
        {
            "seq": c.seq,
            "head_hash": c.head_hash,
            "at": c.at.isoformat() + "Z",
            "verification_method": c.key_id,
            "signature": c.signature,
            "message": audit.checkpoint_message(c).decode(),
        }
        for c in rows
    ]
