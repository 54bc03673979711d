"""The relay: hands unpublished outbox rows to the broker and marks them published.

At least once: a row is marked after its message left, so a crash in between publishes it
twice, which the workers' atomic claim makes harmless. A broker that is down leaves the rows
unpublished, with ``publish_attempts`` counting, for the next round.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select

from lms.extensions import db
from lms.models import GradingOutbox, OutboxKind
from lms.models.base import utcnow
from lms.queue import locks
from lms.transactions import unit_of_work

log = logging.getLogger(__name__)

#: Sends one message: (kind, target id). Raises when the broker cannot take it.
Publish = Callable[[OutboxKind, int], None]
BATCH = 200


def publish_pending(publish: Publish, batch: int = BATCH) -> int:
    """Publish the oldest unpublished rows; returns how many were published. A unit of work of
    its own, committed while this process still holds the relay's lock: what left for the
    broker is marked before another relay may look."""
    with locks.exclusive(locks.RELAY) as held:
        if not held:
            return 0  # another process relays this round
        with unit_of_work():
            return _publish_batch(publish, batch)


def _publish_batch(publish: Publish, batch: int) -> int:
    # SKIP LOCKED: should two relays ever overlap, they share the rows instead of waiting.
    # SQLite has no row locks; SQLAlchemy leaves the clause out there.
    rows = db.session.scalars(
        select(GradingOutbox)
        .where(GradingOutbox.published_at.is_(None))
        .order_by(GradingOutbox.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    ).all()
    published = 0
    for row in rows:
        try:
            publish(row.kind, row.target_id)
        except Exception as exc:  # noqa: BLE001 - whatever the broker client raises, retry later
            row.publish_attempts += 1
            log.warning("broker unavailable, %d message(s) wait: %s", len(rows) - published, exc)
            break
        row.published_at = utcnow()
        published += 1
    if published:
        log.info("published %d grading message(s)", published)
    return published
