"""The grading outbox: work to hand to the message broker, written in the same transaction as
the work itself, so a job committed is a job that will be published (LMS_QUEUE=celery)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models.base import enum_type, utcnow


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
