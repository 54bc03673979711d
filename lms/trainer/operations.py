"""The cohort grid: learners × exercises, best score and latest submission per cell."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from lms.content.model import Content
from lms.extensions import db
from lms.models import Cohort, Enrollment, Submission, SubmissionStatus, User
from lms.models.base import utcnow


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


def regrade_cohort(cohort: Cohort, content: Content) -> int:
    """Queue, against the current release, a copy of each learner's latest submission of each
    exercise of the cohort's track. The originals keep the release they were graded against.
    Returns how many were queued."""
    latest_ids = (
        select(func.max(Submission.id))
        .join(Enrollment, Enrollment.learner_id == Submission.learner_id)
        .where(
            Enrollment.cohort_id == cohort.id, Submission.exercise_id.startswith(f"{cohort.track}/")
        )
        .group_by(Submission.learner_id, Submission.exercise_id)
    )
    now = utcnow()  # one timestamp marks the batch, for its progress
    queued = 0
    for original in db.session.scalars(select(Submission).where(Submission.id.in_(latest_ids))):
        exercise = content.exercises.get(original.exercise_id)
        if exercise is None:
            continue
        db.session.add(
            Submission(
                learner_id=original.learner_id,
                exercise_id=original.exercise_id,
                content_commit=content.commit,
                files=original.files,
                code_hash=original.code_hash,
                status=SubmissionStatus.QUEUED,
                max_score=exercise.max_score,
                regrade_of=original.regrade_of or original.id,
                queued_at=now,
                available_at=now,
            )
        )
        queued += 1
    db.session.flush()
    return queued


@dataclass(frozen=True)
class RegradeProgress:
    commit: str
    done: int
    total: int


def regrade_progress(cohort: Cohort) -> RegradeProgress | None:
    """Progress of the cohort's latest re-grading batch, if there was one."""
    in_cohort = (
        select(Submission.id)
        .join(Enrollment, Enrollment.learner_id == Submission.learner_id)
        .where(Enrollment.cohort_id == cohort.id, Submission.regrade_of.is_not(None))
    )
    batch = db.session.scalar(
        select(func.max(Submission.queued_at)).where(Submission.id.in_(in_cohort))
    )
    if batch is None:
        return None
    rows = db.session.execute(
        select(Submission.content_commit, Submission.status).where(
            Submission.id.in_(in_cohort), Submission.queued_at == batch
        )
    ).all()
    final = {SubmissionStatus.GRADED, SubmissionStatus.ERROR}
    return RegradeProgress(rows[0][0], sum(status in final for _, status in rows), len(rows))
