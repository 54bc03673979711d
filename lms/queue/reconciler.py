"""The reconciler: nothing stays stuck in a phase past its deadline.

Each round, under one lock across processes:

(a) running submissions whose worker's lease ran out are taken back (the worker died: a live
    one renews its lease every few seconds, :mod:`lms.leases`), each counting as a failed
    attempt, up to ``LMS_MAX_ATTEMPTS``; but for one lease term after the database was
    unreachable, nothing is taken back (:mod:`lms.queue.housekeeping`);
(b) and (c) every submission that wants grading now (queued, or in error with attempts left,
    and past its back-off) but has no *live* message gets an outbox row, which the relay
    publishes. A live message is an outbox row written since the submission last became due
    that is unpublished or was published less than ``republish_after`` ago. So a message the
    broker lost is sent again after that delay (b), a retry after an error is sent when its
    back-off ends (c), and a taken-back submission is sent at once (a). A submission in error
    after its last attempt is never sent again: it stays ``error`` with its reason.

Deliverable checks get the same treatment, without attempts: waiting ones (queued, or running
past their lease) with no live message are sent again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_, select

from lms.extensions import db
from lms.models import CheckStatus, Deliverable, GradingOutbox, OutboxKind, Submission
from lms.models.base import utcnow
from lms.queue import locks, outbox
from lms.submissions import operations
from lms.transactions import unit_of_work

log = logging.getLogger(__name__)
BATCH = 1000
#: Published rows are kept this long, for the live-message rule and for inquiries.
KEEP_PUBLISHED = timedelta(days=2)


@dataclass(frozen=True)
class Reconciled:
    #: Running submissions taken back from a dead worker (some of them into final error).
    taken_back: int = 0
    #: Submissions and checks given a new outbox row.
    resent: int = 0


def reconcile(max_attempts: int, republish_after: timedelta, take_back: bool = True) -> Reconciled:
    """One round, in units of work of its own committed under the reconciler's lock (taking
    back, then re-sending). Does nothing while another process reconciles. Without
    ``take_back``, running submissions are left alone whatever their lease says (the
    database was just unreachable, and their workers could not renew them)."""
    with locks.exclusive(locks.RECONCILER) as held:
        if not held:
            return Reconciled()
        taken_back = operations.requeue_stale(max_attempts) if take_back else 0
        with unit_of_work():
            resent = _resend_submissions(max_attempts, republish_after)
            resent += _resend_checks(republish_after)
            _prune()
    if taken_back or resent:
        log.warning("reconciler: %d taken back from dead workers, %d re-sent", taken_back, resent)
    return Reconciled(taken_back, resent)


def _resend_submissions(max_attempts: int, republish_after: timedelta) -> int:
    due = db.session.scalars(
        select(Submission.id)
        .where(
            operations.waiting(max_attempts),
            Submission.available_at <= utcnow(),
            ~outbox.live_message(
                OutboxKind.SUBMISSION, Submission.id, republish_after, Submission.available_at
            ),
        )
        .order_by(Submission.id)
        .limit(BATCH)
    ).all()
    return outbox.record(OutboxKind.SUBMISSION, due)


def _resend_checks(republish_after: timedelta) -> int:
    now = utcnow()
    waiting = or_(
        Deliverable.check_status == CheckStatus.QUEUED,
        (Deliverable.check_status == CheckStatus.RUNNING) & (Deliverable.check_lease_until < now),
    )
    # Checks have no back-off time: any recent row counts, so a check's message is re-sent
    # at most once per ``republish_after``.
    due = db.session.scalars(
        select(Deliverable.id)
        .where(waiting, ~outbox.live_message(OutboxKind.CHECK, Deliverable.id, republish_after))
        .order_by(Deliverable.id)
        .limit(BATCH)
    ).all()
    return outbox.record(OutboxKind.CHECK, due)


def _prune() -> None:
    db.session.execute(
        delete(GradingOutbox).where(GradingOutbox.published_at < utcnow() - KEEP_PUBLISHED)
    )
