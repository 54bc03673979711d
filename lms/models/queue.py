"""The grading queue's own tables: the outbox, work to hand to the message broker, written in
the same transaction as the work itself, so a job committed is a job that will be published
(LMS_QUEUE=celery); and the turns, when each cohort and each learner was last served by a
grading worker, which the fair order reads (lms.submissions.fairness)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from lms.extensions import db
from lms.models.base import enum_type, utcnow
from lms.models.project import CheckStatus, Deliverable
from lms.models.submission import Submission, SubmissionStatus


class OutboxKind(enum.StrEnum):
    #: Grade a submission (``target_id`` is a submission id).
    SUBMISSION = "submission"
    #: Run the automated check of a project deliverable (``target_id`` is a deliverable id).
    CHECK = "check"


class GradingOutbox(db.Model):
    __tablename__ = "grading_outbox"
    __table_args__ = (
        # The relay reads the unpublished rows; the reconciler a target's latest row.
        Index("ix_grading_outbox_unpublished", "published_at", "id"),
        Index("ix_grading_outbox_target", "kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OutboxKind] = mapped_column(enum_type(OutboxKind), nullable=False)
    #: No foreign key: one table serves several kinds of target.
    target_id: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, nullable=False)
    #: When the relay handed it to the broker; None while it waits.
    published_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    #: Failed attempts to publish (the broker was down), for the logs and the operator.
    publish_attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class TurnScope(enum.StrEnum):
    #: ``owner_id`` is a cohort id, 0 for submissions of no cohort (re-grades included).
    COHORT = "cohort"
    #: ``owner_id`` is a learner's user id.
    LEARNER = "learner"


class GradingTurn(db.Model):
    """When a grading worker last claimed a submission of a cohort, or of a learner: the fair
    order serves the waiting submission whose cohort, then learner, was served longest ago.
    One row per cohort and per learner ever served (tens of thousands at national scale)."""

    __tablename__ = "grading_turns"

    scope: Mapped[TurnScope] = mapped_column(enum_type(TurnScope), primary_key=True)
    #: No foreign key: cohort 0 stands for "no cohort", and one table serves both scopes.
    owner_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    served_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)


def queued_by_flush(session: Session) -> list[tuple[OutboxKind, int]]:
    """The work a flush under way puts in ``queued`` (submissions to grade, deliverables to
    check), new or changed through the ORM, read without loading anything: for ``after_flush``
    hooks (the outbox, the in-process pool's wake-up). Bulk ``UPDATE``s are not seen."""
    return [*_queued(session.new, is_new=True), *_queued(session.dirty, is_new=False)]


def _queued(objects: Iterable[object], is_new: bool) -> Iterator[tuple[OutboxKind, int]]:
    for obj in objects:
        if isinstance(obj, Submission) and _became(obj, "status", SubmissionStatus.QUEUED, is_new):
            yield OutboxKind.SUBMISSION, obj.id
        elif isinstance(obj, Deliverable) and _became(
            obj, "check_status", CheckStatus.QUEUED, is_new
        ):
            yield OutboxKind.CHECK, obj.id


def _became(obj: object, attribute: str, value: object, is_new: bool) -> bool:
    """Whether this flush writes ``value`` into ``attribute`` (the flush is under way: nothing
    may be loaded)."""
    state = inspect(obj)
    if is_new:
        return state.dict.get(attribute) == value
    return value in state.attrs[attribute].history.added
