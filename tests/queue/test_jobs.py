"""A worker's task claims its own submission and runs the same grading as the in-process
pool; a message for a submission already graded, or taken, does nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.admin import operations as ops
from lms.extensions import db
from lms.models import AuditEvent, Cohort, Enrollment, OutboxKind, Submission, SubmissionStatus
from lms.models.base import utcnow
from lms.queue import jobs
from lms.queue.celery_app import TASKS, celery_app
from lms.submissions import operations
from tests.queue.conftest import EXERCISE, outbox_rows, reload


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


# A message is a turn of grading (lms/submissions/fairness.py) --------------------------------


@pytest.fixture
def classmate(learner, create_user):
    """A learner of Salma's cohort, and a way to queue her submissions."""
    someone = create_user("learner")
    cohort = db.session.scalar(
        db.select(Cohort).join(Enrollment).where(Enrollment.learner_id == learner.id)
    )
    ops.enrol(cohort, someone)
    db.session.commit()
    return someone


def _queue(learner, loaded) -> int:
    exercise = loaded.exercises[EXERCISE]
    submission = operations.submit(learner, exercise, exercise.solution(), loaded.commit, 100_000)
    db.session.commit()
    return submission.id


def _claimed(submission_id: int) -> bool:
    """Claimed, then put back by the grading that could not reach its sandbox."""
    return "grading unavailable" in (reload(submission_id).status_detail or "")


@pytest.fixture
def unreachable_sandbox(app):
    # Grading ends at once, its submission back in the queue: what was claimed shows.
    app.config["LMS_DOCKER_URL"] = "unix:///nonexistent/docker.sock"


@pytest.mark.usefixtures("unreachable_sandbox")
def test_a_message_grades_the_fairest_submission_due_not_the_one_it_names(
    submit, classmate, loaded
):
    flood = [_queue(classmate, loaded) for _ in range(3)]
    mine = submit()
    assert jobs.grade_submission(flood[0]) is True and _claimed(flood[0])
    # The flood's next message serves Salma, who has not had a turn; her own message will
    # serve the flood in its turn, so nothing needs sending again.
    assert jobs.grade_submission(flood[1]) is True and _claimed(mine)
    assert not _claimed(flood[1])
    assert [len(outbox_rows(i)) for i in (*flood, mine)] == [1, 1, 1, 1]


@pytest.mark.usefixtures("unreachable_sandbox")
def test_a_message_spent_on_a_submission_without_one_of_its_own_is_handed_on(
    submit, classmate, loaded
):
    flood = [_queue(classmate, loaded) for _ in range(2)]
    mine = submit()
    # Salma's submission has just come out of a back-off: due again, with no message yet (the
    # reconciler would send one at its next round).
    db.session.execute(
        db.update(Submission).where(Submission.id == mine).values(available_at=utcnow())
    )
    db.session.commit()
    assert jobs.grade_submission(flood[0]) is True and _claimed(flood[0])
    assert jobs.grade_submission(flood[1]) is True and _claimed(mine)
    # flood[1]'s message was spent on Salma's: flood[1] has a new one, to be published.
    rows = outbox_rows(flood[1])
    assert len(rows) == 2 and rows[-1].published_at is None


def test_a_message_finds_nothing_to_do_only_when_nothing_is_due(submit, classmate, loaded):
    theirs = _queue(classmate, loaded)
    mine = submit()
    operations.claim(mine, "other-host:1:1", 3, timedelta(minutes=5))
    db.session.execute(
        db.update(Submission)
        .where(Submission.id == theirs)
        .values(available_at=utcnow() + timedelta(minutes=1))
    )
    db.session.commit()
    assert jobs.grade_submission(mine) is False
