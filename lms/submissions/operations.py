"""Submitting code and grading it.

Submitting is an operation like any other: it flushes, and the request commits. Grading is a
background job whose steps are units of work of their own (:mod:`lms.transactions`), each
committed for a reason its docstring gives: the claim before the box runs for seconds, every
beat of the lease, the result.

The submission row is the source of truth: a worker claims it with a lease, grades it, and
writes the result only while it still holds the lease, so a job graded twice is harmless and a
job whose worker died is found again by :func:`requeue_stale`. A heartbeat keeps a live
worker's lease, and a database outage costs it neither its result nor an attempt
(:mod:`lms.leases`). A written grade is announced (:data:`lms.signals.submission_graded`): the
audit chain records it in the same transaction, and certification looks at the learner's
record once it is committed.

Who may queue how much, and in which order workers take what waits, is
:mod:`lms.submissions.fairness`: a learner's waiting submissions are capped, and workers share
themselves between cohorts, then learners, rather than first come, first served.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from functools import partial

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, or_, select, update

from lms import grading, signals
from lms.content.model import Content, Exercise
from lms.errors import DomainError
from lms.extensions import db
from lms.leases import DEFAULT_TERMS, LeaseTerms, Renew, heartbeat, persist
from lms.models import Cohort, Enrollment, Role, Submission, SubmissionStatus, User
from lms.models.base import utcnow
from lms.notifications import notify_each
from lms.submissions import fairness
from lms.submissions.fairness import Order
from lms.transactions import transactional
from sandbox import RunResult, SandboxError, SandboxUnavailable

log = logging.getLogger(__name__)

#: Back-off while the grading service (Docker, an image) is unavailable.
UNAVAILABLE_RETRY = timedelta(seconds=15)
#: Back-off after a grader failure, multiplied by the attempt number.
ERROR_RETRY = timedelta(seconds=10)


class SubmissionError(DomainError):
    """A submission refused for a reason the learner can fix."""


class FilesTooLarge(SubmissionError):
    status_code = 413


class TooManyWaiting(SubmissionError):
    """The learner has as many submissions waiting to be graded as one may: one more is
    refused until one of them is graded (:mod:`lms.submissions.fairness`)."""

    status_code = 429
    #: Seconds a client is told to wait before it tries again: a grading or two when the
    #: workers keep up (0.3 to 2 s each), a few when a rush makes them wait.
    RETRY_AFTER_SECONDS = 10

    def __init__(self, waiting: int, limit: int) -> None:
        super().__init__(fairness.too_many_message(waiting, limit))
        self.waiting, self.limit = waiting, limit

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.RETRY_AFTER_SECONDS)}


def submit(
    learner: User,
    exercise: Exercise,
    files: object,
    commit: str,
    max_bytes: int,
    max_waiting: int | None = None,
) -> Submission:
    """Record a new submission, queued. ``files`` maps editable file names to their text;
    a file left out is taken from the starter. With ``max_waiting`` (a learner's request:
    ``LMS_MAX_WAITING_PER_LEARNER``), refused when the learner already has that many waiting
    to be graded; scripts that seed data pass none."""
    if not isinstance(files, dict) or not files:
        raise SubmissionError("'files' must be an object mapping file names to text")
    unknown = sorted(set(files) - set(exercise.files))
    if unknown:
        raise SubmissionError(
            f"unknown files {unknown}; this exercise takes {list(exercise.files)}"
        )
    if not all(isinstance(text, str) for text in files.values()):
        raise SubmissionError("every file's content must be a string")
    if broken := sorted(name for name, text in files.items() if not _unicode(text)):
        # JSON can spell a lone surrogate; no encoder can write it (size, hash, database).
        raise SubmissionError(f"files {broken} hold a lone surrogate: not valid Unicode text")
    merged = {**exercise.starter(), **files}
    size = sum(len(text.encode("utf-8")) for text in merged.values())
    if size > max_bytes:
        raise FilesTooLarge(f"the files total {size} bytes; the limit is {max_bytes}")
    if max_waiting is not None:
        fairness.lock_learner(learner)
    submission = Submission(
        learner_id=learner.id,
        cohort_id=fairness.cohort_for(learner, exercise.track),
        exercise_id=exercise.id,
        content_commit=commit,
        files=merged,
        code_hash=code_hash(merged),
        status=SubmissionStatus.QUEUED,
        max_score=exercise.max_score,
        queued_at=utcnow(),
        available_at=utcnow(),
    )
    db.session.add(submission)
    db.session.flush()
    if max_waiting is not None:
        # Counted after the row is written: on SQLite the write holds the database's lock
        # until the request commits, so a submit at the same instant counts this one.
        waiting = fairness.waiting_count(learner) - 1
        if waiting >= max_waiting:
            raise TooManyWaiting(waiting, max_waiting)
    return submission


def _unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def code_hash(files: dict[str, str]) -> str:
    """SHA-256 of the files as canonical JSON: the digest of the exact bytes assessed."""
    canonical = json.dumps(files, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def history(learner_id: int, exercise_id: str, limit: int = 50) -> list[Submission]:
    """A learner's latest submissions of one exercise, newest first."""
    return list(
        db.session.scalars(
            select(Submission)
            .where(Submission.learner_id == learner_id, Submission.exercise_id == exercise_id)
            .order_by(Submission.id.desc())
            .limit(limit)
        )
    )


def best_scores(learner_id: int) -> dict[str, int]:
    """Best graded score per exercise id for one learner."""
    rows = db.session.execute(
        select(Submission.exercise_id, func.max(Submission.score))
        .where(Submission.learner_id == learner_id, Submission.status == SubmissionStatus.GRADED)
        .group_by(Submission.exercise_id)
    )
    return {exercise_id: score for exercise_id, score in rows}  # noqa: C416 - rows, not pairs


# Grading -----------------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


#: Candidates read at a time by :func:`claim_next`, and how many times it reads them again
#: when other workers took them all first.
CANDIDATES = 5
MAX_SEARCHES = 50


def claim_next(
    worker: str, max_attempts: int, lease: timedelta, order: Order = "fair"
) -> Submission | None:
    """Atomically take the next due submission in ``order`` (:mod:`.fairness`); None when
    none is due. Candidates another worker took meanwhile are passed over and the search goes
    on while any is due: a Celery message that claims nothing must mean that nothing was."""
    for _search in range(MAX_SEARCHES):
        due = waiting(max_attempts) & (Submission.available_at <= utcnow())
        candidates = db.session.scalars(fairness.next_due(due, order, CANDIDATES)).all()
        if not candidates:
            return None
        for submission_id in candidates:
            submission = claim(submission_id, worker, max_attempts, lease)
            if submission is not None:
                return submission
    # Only a storm of workers could get here; a message spent so is sent again by the
    # reconciler for its own submission (lms.queue.reconciler), as if the broker lost it.
    log.warning("%s found no submission it could claim in %d searches", worker, MAX_SEARCHES)
    return None


def claim(
    submission_id: int, worker: str, max_attempts: int, lease: timedelta
) -> Submission | None:
    """Atomically take this submission if it is due; None if it is not (graded, running
    elsewhere, out of attempts, or backing off), which makes a duplicate message harmless."""
    if not _take(submission_id, worker, max_attempts, lease):
        return None
    # Claimed: from here an outage must not strand it running with nobody grading it.
    load = partial(db.session.get, Submission, submission_id, populate_existing=True)
    return persist(load, f"submission {submission_id}")


@transactional
def _take(submission_id: int, worker: str, max_attempts: int, lease: timedelta) -> bool:
    """The claim, a unit of work of its own: committed before the box runs for seconds, so
    that other workers see the submission taken and nothing is held meanwhile."""
    now = utcnow()
    taken = db.session.execute(
        update(Submission)
        .where(
            Submission.id == submission_id, waiting(max_attempts), Submission.available_at <= now
        )
        .values(
            status=SubmissionStatus.RUNNING,
            worker=worker,
            lease_until=now + lease,
            started_at=now,
            status_detail=None,
        )
        .returning(Submission.cohort_id, Submission.learner_id)
        .execution_options(synchronize_session=False)
    ).first()
    if taken is None:
        return False
    # In the claim's unit of work: the next worker's choice already sees whose turn this was.
    fairness.served(taken.cohort_id, taken.learner_id, now)
    return True


def waiting(max_attempts: int) -> ColumnElement[bool]:
    """Submissions that still want grading: queued, or failed with attempts left."""
    return or_(
        Submission.status == SubmissionStatus.QUEUED,
        (Submission.status == SubmissionStatus.ERROR) & (Submission.attempts < max_attempts),
    )


@transactional
def requeue_stale(max_attempts: int | None = None) -> int:
    """Put back running submissions whose worker's lease ran out (it crashed or was killed).

    With ``max_attempts`` (the message queue), a lost lease also counts as a failed attempt
    and the last one leaves the submission in error, so a submission that kills its worker
    every time is not retried for ever. Returns how many submissions were taken back.

    A unit of work of its own: what is taken back is free for every worker at once."""
    now = utcnow()
    expired = (Submission.status == SubmissionStatus.RUNNING) & (Submission.lease_until < now)
    released = {"worker": None, "lease_until": None}
    taken_back = 0
    if max_attempts is not None:
        last = expired & (Submission.attempts >= max_attempts - 1)
        failed = list(db.session.scalars(select(Submission.id).where(last)))
        reason = "the worker grading it stopped the last time"
        taken_back += _bulk_update(
            Submission.id.in_(failed) & last,
            status=SubmissionStatus.ERROR,
            attempts=Submission.attempts + 1,
            finished_at=now,
            status_detail=f"grading failed {max_attempts} times: {reason}",
            **released,
        )
        for submission_id in failed:
            alert_trainers(submission_id, max_attempts, reason)
        released["attempts"] = Submission.attempts + 1
    taken_back += _bulk_update(
        expired,
        status=SubmissionStatus.QUEUED,
        # Due from now: the message-queue reconciler publishes what became due since its
        # last message (lms.queue.reconciler).
        available_at=now,
        status_detail="re-queued: the worker grading it stopped",
        **released,
    )
    return taken_back


def _bulk_update(where, **values) -> int:
    result = db.session.execute(
        update(Submission)
        .where(where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def grade_next(
    content: Content,
    max_attempts: int,
    docker_url: str | None = None,
    terms: LeaseTerms = DEFAULT_TERMS,
    order: Order = "fair",
) -> bool:
    """Claim the next due submission in ``order`` and grade it. False when none was due."""
    worker = worker_name()
    submission = claim_next(worker, max_attempts, terms.term, order)
    if submission is None:
        return False
    grade(submission, content, worker, max_attempts, docker_url, terms)
    return True


def grade(
    submission: Submission,
    content: Content,
    worker: str,
    max_attempts: int,
    docker_url: str | None = None,
    terms: LeaseTerms = DEFAULT_TERMS,
) -> None:
    """Grade a claimed submission and record the outcome. Never raises for grading trouble.

    The same function behind both queues: the in-process pool and the Celery task. A
    heartbeat keeps the lease while the grader runs (:mod:`lms.leases`); an outcome the
    database cannot take at once is kept and written when it is back, so an outage costs
    no attempt."""
    submission_id, what = submission.id, f"submission {submission.id}"
    exercise = content.exercises.get(submission.exercise_id)
    if exercise is None:
        detail = f"exercise {submission.exercise_id} is not in the loaded content"
        values = {"status": SubmissionStatus.ERROR, "attempts": max_attempts}
        persist(partial(_finish, submission_id, worker, status_detail=detail, **values), what)
        return
    deadline = utcnow() + exercise_time(exercise) + terms.margin
    renew = partial(renew_lease, submission_id, worker)
    files, locale = persist(partial(_prepare, submission_id, renew, terms, deadline), what)
    with heartbeat(renew, terms, deadline, what):
        try:
            result = grading.get(exercise.grader).grade(
                exercise,
                files,
                language=locale,
                labels={"lms.submission": str(submission_id)},
                docker_url=docker_url,
            )
        except SandboxUnavailable as exc:
            log.warning("submission %s waits: %s", submission_id, exc)
            record = partial(_finish, submission_id, worker, **_waiting(exc))
        except SandboxError as exc:
            log.error("grader failed on submission %s: %s", submission_id, exc)
            record = partial(_fail, submission_id, worker, str(exc), max_attempts)
        else:
            record = partial(_finish, submission_id, worker, **_graded(result, content.commit))
        persist(record, what)


def exercise_time(exercise: Exercise) -> timedelta:
    """The longest an exercise's container may run, start and report included."""
    limits = exercise.limits
    return timedelta(seconds=limits.timeout_seconds + limits.grace_seconds)


def _held(submission_id: int, worker: str) -> tuple:
    """Conditions of a write only the worker running the submission may make."""
    return (
        Submission.id == submission_id,
        Submission.worker == worker,
        Submission.status == SubmissionStatus.RUNNING,
    )


@transactional
def renew_lease(submission_id: int, worker: str, until: datetime) -> bool:
    """Move this worker's lease to ``until``; False when it no longer holds the submission
    (taken back by the reconciler and perhaps claimed by another worker, or finished). Each
    beat is a unit of work of its own: a lease is only worth what the others can read."""
    renewed = db.session.execute(
        update(Submission)
        .where(*_held(submission_id, worker))
        .values(lease_until=until)
        .execution_options(synchronize_session=False)
    )
    return renewed.rowcount == 1


@transactional
def _prepare(
    submission_id: int, renew: Renew, terms: LeaseTerms, deadline: datetime
) -> tuple[dict, str]:
    """Renew the lease for the start, read what the grader needs, and end the transaction:
    the container may run for seconds, with no connection (and no SQLite lock) held."""
    renew(terms.next_expiry(deadline))
    submission = db.session.get(Submission, submission_id)
    return dict(submission.files), submission.learner.locale or "fr"


def _waiting(error: SandboxUnavailable) -> dict:
    """Back to the queue, without using an attempt: the grading service is unavailable."""
    return {
        "status": SubmissionStatus.QUEUED,
        "started_at": None,
        "status_detail": f"grading unavailable, will retry: {error}",
        "available_at": utcnow() + UNAVAILABLE_RETRY,
    }


def _graded(result: RunResult, commit: str) -> dict:
    return {
        "status": SubmissionStatus.GRADED,
        "score": result.score,
        "max_score": result.max_score,
        "result": result.to_json(),
        "limit_hit": result.limit_hit,
        "image_digest": result.image_digest,
        "content_commit": commit,
        "duration": result.duration,
        "finished_at": utcnow(),
    }


def _fail(submission_id: int, worker: str, reason: str, max_attempts: int) -> None:
    attempts = db.session.scalar(select(Submission.attempts).where(Submission.id == submission_id))
    attempts = (attempts or 0) + 1
    final = attempts >= max_attempts
    detail = (
        f"grading failed {attempts} times: {reason}"
        if final
        else f"grading failed (attempt {attempts}), will retry: {reason}"
    )
    _finish(
        submission_id,
        worker,
        status=SubmissionStatus.ERROR,
        attempts=attempts,
        status_detail=detail[:2000],
        finished_at=utcnow() if final else None,
        available_at=utcnow() + ERROR_RETRY * attempts,
        _then=partial(alert_trainers, submission_id, attempts, reason) if final else None,
    )


def alert_trainers(submission_id: int, attempts: int, reason: str) -> None:
    """Tell the trainers of the learner's cohorts (the admins if it has none) that a submission
    could not be graded: the platform failed, not the learner, and someone must look."""
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        return
    track = submission.exercise_id.partition("/")[0]
    cohorts = db.session.scalars(
        select(Cohort)
        .join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(Enrollment.learner_id == submission.learner_id, Cohort.track == track)
    )
    people = [t for cohort in cohorts for t in cohort.trainers if t.active]
    if not people:
        people = list(db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active)))
    notify_each(
        people,
        "grading.failed",
        lambda: _("Submission #%(id)s could not be graded", id=submission_id),
        lambda: _(
            "Grading %(exercise)s for %(learner)s failed %(n)s times: %(reason)s",
            exercise=submission.exercise_id,
            learner=submission.learner.name,
            n=attempts,
            reason=reason[:500],
        ),
        f"/submissions/{submission_id}",
    )


@transactional
def _finish(submission_id: int, worker: str, _then=None, **values) -> None:
    """Write the outcome only if this worker still holds the submission (and then, in the same
    transaction, ``_then``). A unit of work of its own, which :func:`lms.leases.persist` tries
    again while the database is unreachable: the grading is done, its result must be kept."""
    values.setdefault("worker", None)
    values.setdefault("lease_until", None)
    written = db.session.execute(
        update(Submission)
        .where(*_held(submission_id, worker))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if written.rowcount != 1:
        # Taken over by another worker, or written by an earlier try whose commit was cut.
        log.info("submission %s is no longer this worker's; result dropped", submission_id)
        return
    if values.get("status") == SubmissionStatus.GRADED:
        graded = db.session.get(Submission, submission_id, populate_existing=True)
        signals.submission_graded.send(graded)
    if _then is not None:
        _then()
