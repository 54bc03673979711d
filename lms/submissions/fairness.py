"""Sharing the grading workers fairly: the cap on a learner's waiting submissions, and the
order in which workers take what waits.

Without them one learner queued 30 submissions in 0.4 s and another learner's 0.3 s grading
then waited 43 s behind them: the queue was first come, first served, and nothing limited a
learner or a cohort.

**The cap** (``LMS_MAX_WAITING_PER_LEARNER``, 3; :func:`lms.submissions.operations.submit`
refuses with ``TooManyWaiting``): a learner may have that many submissions queued or running;
one more is refused (429, with ``Retry-After``) until one of them is graded. Re-grades a
trainer queues do not count: the learner did not ask for them. Two submits at the same instant
cannot both pass: on PostgreSQL the learner's row is locked
(``FOR NO KEY UPDATE``, which leaves the references other rows make to it alone) before the
count, until the request commits; on SQLite the new row is written before the count, so the
second submit waits for the database's single write lock until the first one commits, and
counts it.

**The order** (:func:`next_due`, ``LMS_GRADING_ORDER``, "fair"): each claim records when it
served the submission's cohort and its learner (:class:`lms.models.GradingTurn`). A worker
takes the due submission whose cohort was served longest ago (never served: first), then, in
that cohort, whose learner was served longest ago, then the oldest of that learner's. That is
round robin between the cohorts that have work waiting, and between the learners of a cohort:
a cohort's deadline rush gets every other claim while another cohort waits, a learner's flood
every other claim while another learner of the cohort waits, and nobody waits behind more than
one submission of each other group. With nobody else waiting, the flood gets every worker:
nothing is held back. It is the turn taken, not the gradings running, that counts: with one
worker every grading ends before the next claim, and only who was served last tells the
flooder from the others. Re-grades (and learners of no cohort) share as one group of their own,
cohort 0. "fifo" is the order before: oldest due first (kept for comparisons, ``bench/
fairness.py``, and as the operator's way back).

The same order serves both queues. The in-process pool claims the next submission in it
(:func:`lms.submissions.operations.claim_next`); so does a Celery task, whatever submission its
message named (:mod:`lms.queue.jobs`): messages arrive first in, first out, so the broker's
order cannot be the fair one, and a message is a turn of grading rather than an order to grade
that one. Nothing is lost for it: every submission that becomes due comes with a message (the
outbox, or the reconciler when a back-off ends or a lease is taken back), and a message is
spent without a claim only when no submission was due (``claim_next`` keeps looking while
any is), so messages in the broker are never fewer than due submissions. A message the broker
loses is sent again by the reconciler, as before, for its own submission.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask_babel import lazy_ngettext
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from lms.extensions import db
from lms.models import (
    Cohort,
    Enrollment,
    GradingTurn,
    Submission,
    SubmissionStatus,
    TurnScope,
    User,
)

Order = Literal["fair", "fifo"]
ORDERS: tuple[Order, ...] = ("fair", "fifo")
#: The turn of submissions of no cohort: re-grades, learners enrolled in no cohort of the track.
NO_COHORT = 0


# The cap -----------------------------------------------------------------------------------


def pending(learner_id: int) -> ColumnElement[bool]:
    """The learner's own submissions waiting to be graded: queued or running, re-grades aside
    (the partial index ``ix_submissions_learner_pending`` holds exactly these)."""
    return (
        (Submission.learner_id == learner_id)
        & Submission.status.in_((SubmissionStatus.QUEUED, SubmissionStatus.RUNNING))
        & Submission.regrade_of.is_(None)
    )


def lock_learner(learner: User) -> None:
    """Serialise this learner's submits until the unit of work ends (PostgreSQL; SQLAlchemy
    leaves the clause out on SQLite, whose write lock serialises the submits instead)."""
    db.session.execute(select(User.id).where(User.id == learner.id).with_for_update(key_share=True))


def waiting_count(learner: User) -> int:
    counted = select(func.count()).select_from(Submission).where(pending(learner.id))
    return db.session.scalar(counted)


def too_many_message(waiting: int, limit: int):
    """The refusal, in the reader's language when it is read (the API's: English)."""
    return lazy_ngettext(
        "You already have %(num)d submission waiting to be graded; at most %(limit)d may wait "
        "at once. Submit again when it is graded.",
        "You already have %(num)d submissions waiting to be graded; at most %(limit)d may wait "
        "at once. Submit again when one of them is graded.",
        waiting,
        limit=limit,
    )


# The order ---------------------------------------------------------------------------------


def next_due(due: ColumnElement[bool], order: Order, limit: int) -> Select:
    """Ids of the submissions matching ``due``, the next to claim first."""
    query = select(Submission.id).where(due)
    if order == "fifo":
        return query.order_by(Submission.available_at, Submission.id).limit(limit)
    cohort = aliased(GradingTurn)
    learner = aliased(GradingTurn)
    return (
        query.outerjoin(
            cohort,
            (cohort.scope == TurnScope.COHORT)
            & (cohort.owner_id == func.coalesce(Submission.cohort_id, NO_COHORT)),
        )
        .outerjoin(
            learner,
            (learner.scope == TurnScope.LEARNER) & (learner.owner_id == Submission.learner_id),
        )
        .order_by(
            cohort.served_at.asc().nulls_first(),
            learner.served_at.asc().nulls_first(),
            Submission.available_at,
            Submission.id,
        )
        .limit(limit)
    )


def served(cohort_id: int | None, learner_id: int, now: datetime) -> None:
    """Record a claim: the cohort's and the learner's turn was ``now``. In the claim's unit of
    work, cohort before learner in every claim, so two claims never wait for each other's
    rows in opposite orders."""
    for scope, owner_id in (
        (TurnScope.COHORT, cohort_id if cohort_id is not None else NO_COHORT),
        (TurnScope.LEARNER, learner_id),
    ):
        db.session.execute(_upsert(scope, owner_id, now))


def _upsert(scope: TurnScope, owner_id: int, now: datetime):
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(GradingTurn).values(scope=scope, owner_id=owner_id, served_at=now)
    return statement.on_conflict_do_update(
        index_elements=[GradingTurn.scope, GradingTurn.owner_id], set_={"served_at": now}
    )


def cohort_for(learner: User, track: str) -> int | None:
    """The cohort whose share a learner's submission of ``track`` uses: their cohort of that
    track (the latest they joined, should they be in several), None if they are in none."""
    return db.session.scalar(
        select(Cohort.id)
        .join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(
            Enrollment.learner_id == learner.id,
            Cohort.track == track,
            Enrollment.withdrawn_on.is_(None),
        )
        .order_by(Enrollment.enrolled_at.desc(), Enrollment.id.desc())
        .limit(1)
    )
