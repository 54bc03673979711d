"""A worker's task claims its own submission and runs the same grading as the in-process
pool; a message for a submission already graded, or taken, does nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.extensions import db
from lms.models import AuditEvent, OutboxKind, Submission, SubmissionStatus
from lms.models.base import utcnow
from lms.queue import jobs
from lms.queue.celery_app import TASKS, celery_app
from lms.submissions import operations
from tests.queue.conftest import reload


def _graded_events(submission_id: int) -> int:
    return db.session.scalar(
        db.select(db.func.count(AuditEvent.id)).where(
            AuditEvent.kind == "submission.graded",
            AuditEvent.subject == f"submission:{submission_id}",
        )
    )


def test_a_message_for_a_submission_graded_elsewhere_does_nothing(submit):
    submission_id = submit()
    operations.claim(submission_id, "other-host:1:1", 3, timedelta(minutes=5))
    assert jobs.grade_submission(submission_id) is False
    assert reload(submission_id).worker == "other-host:1:1"


def test_a_message_for_a_submission_backing_off_does_nothing(submit):
    submission_id = submit()
    db.session.execute(db.update(Submission).values(available_at=utcnow() + timedelta(minutes=1)))
    db.session.commit()
    assert jobs.grade_submission(submission_id) is False
    assert reload(submission_id).status == SubmissionStatus.QUEUED


@pytest.mark.docker
def test_the_task_run_twice_for_one_submission_records_one_result_and_one_audit_event(app, submit):
    submission_id = submit()
    task = celery_app(app).tasks[TASKS[OutboxKind.SUBMISSION]]
    assert task.apply(args=[submission_id]).get() is True
    first = reload(submission_id)
    assert first.status == SubmissionStatus.GRADED and first.score == 10
    assert task.apply(args=[submission_id]).get() is False
    again = reload(submission_id)
    assert (again.finished_at, again.score) == (first.finished_at, first.score)
    assert _graded_events(submission_id) == 1


def test_workers_keep_their_prefetch_count_after_a_broker_reconnect(app):
    """Celery's reduction after a reconnect is restored by basic.qos calls from task threads,
    racing the consumer thread on one AMQP connection; it once wedged both workers."""
    conf = celery_app(app).conf
    assert conf.worker_enable_prefetch_count_reduction is False
    assert (conf.task_acks_late, conf.worker_prefetch_multiplier) == (True, 1)
