"""The reconciler: a dead worker's submission, a lost message and a due retry are all sent
again, and nothing is retried beyond LMS_MAX_ATTEMPTS."""

from __future__ import annotations

from datetime import timedelta

from lms.extensions import db
from lms.models import GradingOutbox, Notification, Submission, SubmissionStatus
from lms.models.base import utcnow
from lms.queue.reconciler import reconcile
from lms.submissions import operations
from tests.queue.conftest import outbox_rows, reload

MAX_ATTEMPTS = 3
REPUBLISH_AFTER = timedelta(minutes=5)
LONG_AGO = timedelta(hours=1)


def _reconcile():
    return reconcile(MAX_ATTEMPTS, REPUBLISH_AFTER)


def _publish_all(at=None) -> None:
    """What the relay does, without a broker."""
    db.session.execute(db.update(GradingOutbox).values(published_at=at or utcnow()))
    db.session.commit()


def _set(submission_id: int, **values) -> None:
    db.session.execute(db.update(Submission).where(Submission.id == submission_id).values(**values))
    db.session.commit()


def _unpublished(submission_id: int) -> int:
    return sum(row.published_at is None for row in outbox_rows(submission_id))


def test_a_running_submission_whose_lease_ran_out_is_queued_and_sent_again(submit):
    submission_id = submit()
    _publish_all()
    operations.claim(submission_id, "dead-host:1:1", MAX_ATTEMPTS, timedelta(seconds=-1))
    result = _reconcile()
    assert (result.taken_back, result.resent) == (1, 1)
    requeued = reload(submission_id)
    assert requeued.status == SubmissionStatus.QUEUED and requeued.worker is None
    assert requeued.attempts == 1, "a lost lease counts as an attempt"
    assert _unpublished(submission_id) == 1


def trainers_alerted(submission_id: int) -> int:
    """How many notifications told a trainer that this submission could not be graded."""
    return len(
        db.session.scalars(
            db.select(Notification).where(
                Notification.kind == "grading.failed",
                Notification.link == f"/submissions/{submission_id}",
            )
        ).all()
    )


def test_a_live_lease_is_left_alone(submit):
    submission_id = submit()
    _publish_all()
    operations.claim(submission_id, "busy-host:1:1", MAX_ATTEMPTS, timedelta(minutes=5))
    assert _reconcile().taken_back == 0
    assert reload(submission_id).status == SubmissionStatus.RUNNING


def test_a_worker_dying_on_the_last_attempt_leaves_the_submission_in_error(submit):
    submission_id = submit()
    _publish_all()
    _set(submission_id, attempts=MAX_ATTEMPTS - 1)
    operations.claim(submission_id, "dead-host:1:1", MAX_ATTEMPTS, timedelta(seconds=-1))
    assert _reconcile().resent == 0
    failed = reload(submission_id)
    assert failed.status == SubmissionStatus.ERROR and failed.attempts == MAX_ATTEMPTS
    assert "grading failed 3 times" in failed.status_detail
    assert trainers_alerted(submission_id) == 1
    assert _unpublished(submission_id) == 0


def test_a_queued_submission_whose_message_was_lost_is_sent_again_after_the_deadline(submit):
    submission_id = submit()
    _publish_all(utcnow() - REPUBLISH_AFTER + timedelta(seconds=30))
    assert _reconcile().resent == 0, "the message may still be on its way"
    _publish_all(utcnow() - REPUBLISH_AFTER - timedelta(seconds=1))
    assert _reconcile().resent == 1
    assert _unpublished(submission_id) == 1
    assert _reconcile().resent == 0, "an unpublished row is the relay's to send"


def test_a_failed_submission_is_sent_again_when_its_back_off_ends(submit):
    submission_id = submit()
    _publish_all()
    operations.claim(submission_id, "host:1:1", MAX_ATTEMPTS, timedelta(minutes=5))
    operations._fail(submission_id, "host:1:1", "grader broke", MAX_ATTEMPTS)
    assert reload(submission_id).status == SubmissionStatus.ERROR
    assert _reconcile().resent == 0, "still backing off"
    _set(submission_id, available_at=utcnow())
    assert _reconcile().resent == 1
    assert _unpublished(submission_id) == 1


def test_retries_stop_at_the_cap_and_the_submission_stays_in_error(submit):
    submission_id = submit()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        _publish_all()
        claimed = operations.claim(submission_id, "host:1:1", MAX_ATTEMPTS, timedelta(minutes=5))
        assert claimed is not None, f"attempt {attempt} is allowed"
        operations._fail(submission_id, "host:1:1", "grader broke", MAX_ATTEMPTS)
        _set(submission_id, available_at=utcnow() - timedelta(seconds=1))
        _reconcile()
    _publish_all(utcnow() - LONG_AGO)
    assert _reconcile().resent == 0
    final = reload(submission_id)
    assert final.status == SubmissionStatus.ERROR and final.attempts == MAX_ATTEMPTS
    assert "grading failed 3 times" in final.status_detail
    assert trainers_alerted(submission_id) == 1, "once, on the last attempt"
    assert operations.claim(submission_id, "host:1:1", MAX_ATTEMPTS, timedelta(minutes=5)) is None


def test_graded_submissions_are_never_sent_again(submit):
    submission_id = submit()
    _publish_all(utcnow() - LONG_AGO)
    _set(submission_id, status=SubmissionStatus.GRADED, score=10)
    assert _reconcile().resent == 0


def test_submissions_queued_before_the_message_queue_was_turned_on_are_sent(app, submit):
    app.config["LMS_QUEUE"] = "inprocess"
    submission_id = submit()
    app.config["LMS_QUEUE"] = "celery"
    assert _reconcile().resent == 1
    assert _unpublished(submission_id) == 1
