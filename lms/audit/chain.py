"""Appending to the chain and checkpointing its head.

An event's hash is the SHA-256 (hex) of the canonical JSON (keys sorted, no spaces, UTF-8) of
the array ``[seq, at, kind, actor_id, subject, data, prev_hash]``, ``at`` being the naive UTC
time as ``YYYY-MM-DDTHH:MM:SS.ffffff``. The first event's ``prev_hash`` is 64 zeros. A
checkpoint signs :func:`checkpoint_message`. Anyone with Python can recompute both.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from lms.extensions import db
from lms.models import AuditCheckpoint, AuditEvent, User
from lms.models.base import utcnow

GENESIS = "0" * 64
#: Key of the PostgreSQL advisory lock that serialises appends ("lmsaudit" in ASCII).
CHAIN_LOCK = 0x6C6D7361756469
#: Signs a message; returns the key's id and the signature.
Signer = Callable[[bytes], tuple[str, bytes]]


def canonical(value: object) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def timestamp(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


def event_hash(event: AuditEvent) -> str:
    fields = [
        event.seq,
        timestamp(event.at),
        event.kind,
        event.actor_id,
        event.subject,
        event.data,
        event.prev_hash,
    ]
    return hashlib.sha256(canonical(fields)).hexdigest()


def checkpoint_message(checkpoint: AuditCheckpoint) -> bytes:
    """The bytes a checkpoint's signature covers."""
    return canonical(
        ["lms-audit-checkpoint", checkpoint.seq, checkpoint.head_hash, timestamp(checkpoint.at)]
    )


def record(kind: str, subject: str, data: dict, actor: User | None = None) -> AuditEvent:
    """Append an event in the caller's transaction (flushed, not committed): it exists if and
    only if the change it records is committed."""
    _lock_chain(db.session)
    seq, prev_hash = head(db.session)
    event = AuditEvent(
        seq=seq + 1,
        at=utcnow(),
        kind=kind,
        actor_id=actor.id if actor is not None else None,
        subject=subject,
        # Hash exactly what the JSON column will give back (str keys, lists, no tuples).
        data=json.loads(canonical(data)),
        prev_hash=prev_hash,
    )
    event.hash = event_hash(event)
    db.session.add(event)
    db.session.flush()
    return event


def _lock_chain(session: Session) -> None:
    """Make concurrent writers append one after the other.

    PostgreSQL: a transaction-level advisory lock, held until the caller commits or rolls
    back, so the next writer reads the head only once this one's event is committed (READ
    COMMITTED takes a new snapshot per statement). SQLite: writes are serialised already,
    one write transaction at a time, and our callers have written (the submission, the
    review) before they record, so they hold the write lock while reading the head. In every
    case the unique ``seq`` is the last guard: a duplicate fails the transaction instead of
    forking the chain.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})


def head(session: Session) -> tuple[int, str]:
    """The last event's seq and hash; (0, GENESIS) for an empty chain."""
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (last.seq, last.hash) if last is not None else (0, GENESIS)


def checkpoint(sign: Signer) -> AuditCheckpoint:
    """Sign the current head and store the checkpoint (flushed; the caller commits and
    publishes it, e.g. with the issuer's keys)."""
    seq, head_hash = head(db.session)
    point = AuditCheckpoint(seq=seq, head_hash=head_hash, at=utcnow())
    key_id, signature = sign(checkpoint_message(point))
    point.key_id = key_id
    point.signature = base64.b64encode(signature).decode("ascii")
    db.session.add(point)
    db.session.flush()
    return point
