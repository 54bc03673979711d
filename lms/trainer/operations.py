"""The cohort grid: learners × exercises, best score and latest submission per cell."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from lms.extensions import db
from lms.models import Cohort, Enrollment, Submission, SubmissionStatus, User


@dataclass(frozen=True)
class Cell:
    best: int | None
    latest_id: int


def cohort_grid(cohort: Cohort) -> tuple[list[User], dict[tuple[int, str], Cell]]:
    """The cohort's learners, and one cell per (learner, exercise) they attempted.

    One aggregate query, however many learners and submissions.
    """
    learners = list(
        db.session.scalars(
            select(User)
            .join(Enrollment, Enrollment.learner_id == User.id)
            .where(Enrollment.cohort_id == cohort.id)
            .order_by(User.name)
        )
    )
    graded_score = case((Submission.status == SubmissionStatus.GRADED, Submission.score))
    rows = db.session.execute(
        select(
            Submission.learner_id,
            Submission.exercise_id,
            func.max(graded_score),
            func.max(Submission.id),
        )
        .join(Enrollment, Enrollment.learner_id == Submission.learner_id)
        .where(
            Enrollment.cohort_id == cohort.id, Submission.exercise_id.startswith(f"{cohort.track}/")
        )
        .group_by(Submission.learner_id, Submission.exercise_id)
    )
    cells = {(learner, exercise): Cell(best, latest) for learner, exercise, best, latest in rows}
    return learners, cells


def grading_failures(cohort: Cohort, limit: int = 50) -> list[Submission]:
    """Submissions of the cohort's learners that the platform failed to grade (status error):
    what a trainer must know about, newest first."""
    return list(
        db.session.scalars(
            select(Submission)
            .join(Enrollment, Enrollment.learner_id == Submission.learner_id)
            .where(Enrollment.cohort_id == cohort.id, Submission.status == SubmissionStatus.ERROR)
            .order_by(Submission.id.desc())
            .limit(limit)
        )
    )
