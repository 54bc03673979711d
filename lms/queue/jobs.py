"""What a Celery worker does with a message: claim that one target, then run the same grading
as the in-process pool. A claim that fails (already graded, running elsewhere, out of
attempts, backing off) makes the message a no-op, so duplicates are harmless."""

from __future__ import annotations

import logging

from flask import current_app

from lms import content as content_module
from lms.leases import LeaseTerms
from lms.projects import checks
from lms.submissions import operations

log = logging.getLogger(__name__)


def grade_submission(submission_id: int) -> bool:
    """Grade this submission if it is due; False when there was nothing to do."""
    config = current_app.config
    max_attempts, terms = config["LMS_MAX_ATTEMPTS"], LeaseTerms.from_config(config)
    # Loaded before the claim: the first load takes a while, and the lease is already running.
    loaded = content_module.current()
    worker = operations.worker_name()
    submission = operations.claim(submission_id, worker, max_attempts, terms.term)
    if submission is None:
        log.info("submission %s is not due (graded, taken or waiting): no-op", submission_id)
        return False
    log.info("grading submission %s as %s", submission_id, worker)
    operations.grade(submission, loaded, worker, max_attempts, config["LMS_DOCKER_URL"], terms)
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
