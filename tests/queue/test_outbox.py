"""The outbox: queued work and its message are one transaction, in every path that queues."""

from __future__ import annotations

from lms import content as content_module
from lms.extensions import db
from lms.models import Cohort, Enrollment, OutboxKind, Submission, SubmissionStatus
from lms.submissions import operations
from lms.trainer.operations import regrade_cohort
from tests.queue.conftest import EXERCISE, outbox_rows


def test_a_submission_is_committed_with_its_outbox_row(submit):
    submission_id = submit()
    [row] = outbox_rows()
    assert (row.kind, row.target_id) == (OutboxKind.SUBMISSION, submission_id)
    assert row.published_at is None and row.publish_attempts == 0


def test_a_rolled_back_submission_leaves_no_outbox_row(learner, loaded):
    exercise = loaded.exercises[EXERCISE]
    operations.submit(learner, exercise, exercise.solution(), loaded.commit, 100_000)
    db.session.flush()
    assert outbox_rows(), "written in the submission's own transaction"
    db.session.rollback()
    assert outbox_rows() == []
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 0


def test_a_cohort_regrade_queues_one_message_per_copy(learner, submit):
    originals = {submit(), submit({"prix.py": "x = 1\n"})}
    queued = regrade_cohort(_cohort_of(learner), content_module.current())
    db.session.commit()
    copies = set(
        db.session.scalars(db.select(Submission.id).where(Submission.regrade_of.is_not(None)))
    )
    assert queued == len(copies) == 1
    assert {row.target_id for row in outbox_rows()} == originals | copies


def test_in_process_mode_writes_no_outbox_row(app, submit):
    app.config["LMS_QUEUE"] = "inprocess"
    submit()
    assert outbox_rows() == []


def test_a_submission_put_back_in_the_queue_by_the_orm_gets_a_new_row(submit):
    submission_id = submit()
    submission = db.session.get(Submission, submission_id)
    submission.status = SubmissionStatus.ERROR
    db.session.commit()
    assert len(outbox_rows(submission_id)) == 1, "leaving the queue sends nothing"
    submission.status = SubmissionStatus.QUEUED
    db.session.commit()
    assert len(outbox_rows(submission_id)) == 2


def _cohort_of(learner) -> Cohort:
    return db.session.scalar(
        db.select(Cohort).join(Enrollment).where(Enrollment.learner_id == learner.id)
    )
