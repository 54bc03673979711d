"""Re-grade runs: every submission that certificates cite, graded again under the current
graders, each result kept beside the recorded one (never over it: the recorded score is
evidence), and the certificates whose evidence no longer meets their policy."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import utcnow


class RegradeRun(db.Model):
    __tablename__ = "regrade_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The auditor or admin who started it from the page; None for ``lms audit regrade``.
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False, default=utcnow)
    #: Set once every cited submission was tried and the certificates evaluated again.
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    #: Submissions to re-grade; re-graded; that could not be graded (the grader failed).
    total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    failed: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: Who works on it ("host:pid:thread") and when it last moved: a run that has not moved
    #: for a while was interrupted, and anyone may resume it.
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    #: Once finished: each certificate whose evidence no longer meets its policy, with the
    #: changed items and the failing thresholds (see lms.certification.auditing.regrading.Flag).
    flagged: Mapped[list | None] = mapped_column(JSON, nullable=True)
    #: Once finished: certificates some of whose evidence could not be graded again.
    unchecked: Mapped[list | None] = mapped_column(JSON, nullable=True)

    started_by = relationship("User")

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class RegradeResult(db.Model):
    """One cited submission graded again in a run."""

    __tablename__ = "regrade_results"
    __table_args__ = (UniqueConstraint("run_id", "submission_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("regrade_runs.id"), nullable=False)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), nullable=False)
    exercise_id: Mapped[str] = mapped_column(String(200), nullable=False)
    #: As recorded when the learner submitted (copied: the row is read without the submission).
    recorded_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recorded_max: Mapped[int] = mapped_column(Integer, nullable=False)
    recorded_digest: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: Under the current graders; None when the grading failed (``error`` says why).
    new_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    new_max: Mapped[int | None] = mapped_column(Integer, nullable=True)
    new_digest: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: The grader image's tag ("lms-grader-python:<recipe hash>"); None for in-app graders.
    image_tag: Mapped[str | None] = mapped_column(String(200), nullable=True)
    limit_hit: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: Per-test outcomes of the new grading.
    tests: Mapped[list | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    graded_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False, default=utcnow)

    @property
    def changed(self) -> bool:
        """The current graders give another score than the one recorded."""
        if self.new_score is None:
            return False
        return (self.new_score, self.new_max) != (self.recorded_score, self.recorded_max)
