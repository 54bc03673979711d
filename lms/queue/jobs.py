"""What a Celery worker does with a message, then runs the same grading as the in-process pool.

A submission's message is a turn of grading: the worker claims the next due submission in the
fair order (:mod:`lms.submissions.fairness`), which need not be the one the message names.
Messages arrive first in, first out, so the broker's order cannot be the fair one.

Nothing is lost for it: the messages that may still arrive are never fewer than the due
submissions that were sent, and any message serves any submission. A message spent on another
submission is handed on: unless the one claimed had a live message of its own (which will now
serve the named one), the named one, if it is still due, gets a new outbox row at once
(:func:`hand_on`); claimed submissions without a message of their own had just become due (a
back-off ended, a lease was taken back) and waited for the reconciler's next round. A message
that claims nothing means that nothing was due (:func:`lms.submissions.operations.claim_next`
looks while anything is): its own submission, if it waits, is backing off, and the reconciler
sends it when it is due, as before. A message the broker loses is sent again by the
reconciler after ``LMS_REPUBLISH_AFTER_SECONDS``, as before. A duplicate, or a handed-on
message, claims whatever is due, or nothing.

A deliverable check's message claims that one check: a failed claim (finished, running
elsewhere) makes it a no-op."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from lms import content as content_module
from lms.extensions import db
from lms.leases import LeaseTerms
from lms.models import OutboxKind, Submission
from lms.models.base import utcnow
from lms.projects import checks
from lms.queue import outbox
from lms.submissions import operations
from lms.transactions import transactional

log = logging.getLogger(__name__)


def grade_submission(submission_id: int) -> bool:
    """Grade the next due submission in the configured order (a message for submission
    ``submission_id`` is a turn: see the module); False when none was due."""
    config = current_app.config
    max_attempts, terms = config["LMS_MAX_ATTEMPTS"], LeaseTerms.from_config(config)
    # Loaded before the claim: the first load takes a while, and the lease is already running.
    loaded = content_module.current()
    worker = operations.worker_name()
    submission = operations.claim_next(
        worker, max_attempts, terms.term, config["LMS_GRADING_ORDER"]
    )
    if submission is None:
        log.info("message for submission %s: nothing is due: no-op", submission_id)
        return False
    if submission.id != submission_id:
        hand_on(submission_id, submission, max_attempts, config["LMS_REPUBLISH_AFTER_SECONDS"])
    log.info(
        "grading submission %s as %s (message for submission %s)",
        submission.id,
        worker,
        submission_id,
    )
    operations.grade(submission, loaded, worker, max_attempts, config["LMS_DOCKER_URL"], terms)
    return True


@transactional
def hand_on(
    named_id: int, claimed: Submission, max_attempts: int, republish_after_seconds: float
) -> bool:
    """The message for ``named_id`` was spent on ``claimed``: give the named submission a new
    one unless the claimed one's own live message will serve it (see the module). True when a
    message was recorded. A unit of work of its own, committed before the grading runs, so
    that the relay publishes it within a second."""
    republish_after = timedelta(seconds=republish_after_seconds)
    own = outbox.live_message(
        OutboxKind.SUBMISSION, claimed.id, republish_after, claimed.available_at
    )
    if db.session.scalar(select(own)):
        return False
    # Backing off, it is sent when due by the reconciler (a row written since then counts).
    due = select(Submission.id).where(
        Submission.id == named_id,
        operations.waiting(max_attempts),
        Submission.available_at <= utcnow(),
    )
    if db.session.scalar(due) is None:
        return False
    outbox.record(OutboxKind.SUBMISSION, [named_id])
    return True


def run_check(deliverable_id: int) -> bool:
    """Run this deliverable's automated check if it waits; False when there was nothing to do."""
    config = current_app.config
    terms = LeaseTerms.from_config(config)
    deliverable = checks.claim(deliverable_id, terms.term)
    if deliverable is None:
        log.info("check of deliverable %s is not waiting: no-op", deliverable_id)
        return False
    log.info("checking deliverable %s", deliverable_id)
    checks.run_check(deliverable, config["LMS_DOCKER_URL"], terms)
    return True
