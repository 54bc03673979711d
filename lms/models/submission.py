"""A learner's submission of an exercise, and its grading."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import enum_type, utcnow


class SubmissionStatus(enum.StrEnum):
    #: Waiting for a worker (also while the grading service is unreachable).
    QUEUED = "queued"
    #: A worker holds it (until ``lease_until``).
    RUNNING = "running"
    #: The learner's code was assessed; a limit hit is still "graded", with score 0.
    GRADED = "graded"
    #: The platform failed; retried until ``LMS_MAX_ATTEMPTS``.
    ERROR = "error"


class Submission(db.Model):
    __tablename__ = "submissions"
    __table_args__ = (
        # Covers the cohort grid, best scores and exercise histories as index-only scans on
        # PostgreSQL (bench/national.py: the grid went from 392 to 44 ms p95 at 4.5 M rows).
        Index(
            "ix_submissions_learner_exercise_id",
            "learner_id",
            "exercise_id",
            "id",
            postgresql_include=["status", "score"],
        ),
        Index("ix_submissions_status_available", "status", "available_at"),
        # Small partial indexes for the trainer's grading-failure alerts and re-grade progress.
        Index(
            "ix_submissions_learner_errors",
            "learner_id",
            "id",
            postgresql_where=text("status = 'error'"),
            sqlite_where=text("status = 'error'"),
        ),
        Index(
            "ix_submissions_learner_regrades",
            "learner_id",
            "id",
            postgresql_where=text("regrade_of IS NOT NULL"),
            sqlite_where=text("regrade_of IS NOT NULL"),
        ),
        # /metrics: gradings finished in the last minutes.
        Index("ix_submissions_finished_at", "finished_at"),
        # The per-learner cap counts a learner's submissions waiting to be graded at every
        # submit: a handful of rows in a small index, whatever the learner's history.
        Index(
            "ix_submissions_learner_pending",
            "learner_id",
            postgresql_where=text("status IN ('queued', 'running') AND regrade_of IS NULL"),
            sqlite_where=text("status IN ('queued', 'running') AND regrade_of IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    #: The cohort the learner submitted in (their cohort of the exercise's track), whose share
    #: of the grading workers it uses (lms.submissions.fairness); None for a learner of no
    #: cohort and for re-grades, which share the workers as one group of their own.
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id"), nullable=True)
    #: "<track>/<slug>"
    exercise_id: Mapped[str] = mapped_column(String(200), nullable=False)
    #: Content commit in force when the learner submitted: the tests that grade it.
    content_commit: Mapped[str] = mapped_column(String(80), nullable=False)
    #: {file name: text} exactly as submitted.
    files: Mapped[dict] = mapped_column(JSON, nullable=False)
    #: SHA-256 over the sorted file names and contents.
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[SubmissionStatus] = mapped_column(
        enum_type(SubmissionStatus),
        default=SubmissionStatus.QUEUED,
        nullable=False,
    )
    #: Why it waits or failed, for learners and trainers ("grading service unreachable").
    status_detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_score: Mapped[int] = mapped_column(Integer, nullable=False)
    #: The validated result JSON (tests, feedback, truncated).
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    #: "timeout", "memory", "output", "pids" when the code hit a sandbox limit.
    limit_hit: Mapped[str | None] = mapped_column(String(20), nullable=True)
    image_digest: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: Grading attempts that ended in a platform error.
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: Who holds it while running ("host:pid:thread"), and until when.
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    #: Not to be picked before this time (back-off after an error or an outage).
    available_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    #: Seconds the container ran, as measured by the sandbox.
    duration: Mapped[float | None] = mapped_column(nullable=True)

    #: The submission this one re-grades against a newer content release.
    regrade_of: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), nullable=True)

    learner = relationship("User")

    @property
    def tests(self) -> list[dict]:
        return (self.result or {}).get("tests", [])

    @property
    def is_final(self) -> bool:
        return self.status == SubmissionStatus.GRADED

    def detail_for(self, viewer) -> str | None:
        """``status_detail`` as ``viewer`` may read it. Why the platform failed to grade (a
        grader's own error output) is for trainers, admins and auditors; the learner is told
        that it was not their code and who knows."""
        if self.status != SubmissionStatus.ERROR or getattr(viewer, "role", None) != "learner":
            return self.status_detail
        if self.finished_at is None:
            return _("The platform could not grade this submission yet; it will try again.")
        return _(
            "The platform could not grade this submission (a problem of the platform, not of "
            "your code); your trainers have been notified."
        )
