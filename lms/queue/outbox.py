"""Outbox rows, written in the transaction that queues the work (``LMS_QUEUE=celery``).

The rows are written by a flush hook rather than by each operation: every path that puts a
submission or a deliverable check in ``queued`` through the ORM (submitting, re-grading a
cohort, handing in a deliverable, and any path added later) gets its row in the same
transaction without having to remember it. Bulk ``UPDATE``s bypass the hook; the reconciler
finds what they queued (:mod:`lms.queue.reconciler`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask import Flask, current_app, has_app_context
from flask_sqlalchemy.session import Session
from sqlalchemy import event, exists, insert, or_

from lms.extensions import db
from lms.models import GradingOutbox, OutboxKind
from lms.models.base import utcnow
from lms.models.queue import queued_by_flush


def init_app(app: Flask) -> None:  # noqa: ARG001 - the hook reads the app that flushes
    # One listener for every app of the process; it checks the flushing app's queue mode.
    if not event.contains(Session, "after_flush", _queue_new_work):
        event.listen(Session, "after_flush", _queue_new_work)


def record(kind: OutboxKind, target_ids: Iterable[int]) -> int:
    """Add outbox rows in the current transaction; returns how many."""
    rows = [
        {"kind": kind, "target_id": target_id, "created_at": utcnow()} for target_id in target_ids
    ]
    if rows:
        db.session.execute(insert(GradingOutbox), rows)
    return len(rows)


def live_message(kind: OutboxKind, target_id, republish_after: timedelta, since=None):
    """Whether the target has a message that may still arrive: unpublished, or published
    recently, and (given ``since``) written after that time."""
    recent = utcnow() - republish_after
    live = exists().where(
        GradingOutbox.kind == kind,
        GradingOutbox.target_id == target_id,
        or_(GradingOutbox.published_at.is_(None), GradingOutbox.published_at > recent),
    )
    return live if since is None else live.where(GradingOutbox.created_at >= since)


def _queue_new_work(session: Session, flush_context) -> None:  # noqa: ARG001
    if not has_app_context() or current_app.config.get("LMS_QUEUE") != "celery":
        return
    queued = queued_by_flush(session)
    if queued:
        now = utcnow()
        rows = [{"kind": kind, "target_id": target, "created_at": now} for kind, target in queued]
        # Core insert on the flushing connection: the ORM may not be re-entered mid-flush.
        session.connection().execute(insert(GradingOutbox), rows)
