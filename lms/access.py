"""Who may see what. Every view asks here: role *and* ownership."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import exists, select

from lms.extensions import db
from lms.models import Cohort, Enrollment, Role, Submission, User, cohort_trainers

#: Roles that read every track and every submission.
READ_ALL = {Role.ADMIN, Role.AUDITOR}


def roles_required(*roles: Role):
    """View decorator: login required, then 403 unless the user has one of ``roles``."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def visible_tracks(user: User) -> set[str] | None:
    """Track slugs the user may read; None means all of them."""
    if user.role in READ_ALL:
        return None
    if user.role == Role.LEARNER:
        query = select(Cohort.track).join(Enrollment).where(Enrollment.learner_id == user.id)
    elif user.role == Role.TRAINER:
        query = (
            select(Cohort.track).join(cohort_trainers).where(cohort_trainers.c.user_id == user.id)
        )
    else:
        return set()
    return set(db.session.scalars(query))


def can_read_track(user: User, track: str) -> bool:
    tracks = visible_tracks(user)
    return tracks is None or track in tracks


def can_submit(user: User, track: str) -> bool:
    """Learners submit to the tracks they are enrolled in; trainers and admins may try theirs."""
    return user.role in (Role.LEARNER, Role.TRAINER, Role.ADMIN) and can_read_track(user, track)


def trainer_cohorts(user: User) -> list[Cohort]:
    query = select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.name)
    if user.role not in READ_ALL:
        query = query.join(cohort_trainers).where(cohort_trainers.c.user_id == user.id)
    return list(db.session.scalars(query))


def can_read_cohort(user: User, cohort: Cohort) -> bool:
    return user.role in READ_ALL or (user.role == Role.TRAINER and user in cohort.trainers)


def can_read_submission(user: User, submission: Submission) -> bool:
    """The learner who wrote it, a trainer of one of that learner's cohorts, admins, auditors."""
    if user.role in READ_ALL or submission.learner_id == user.id:
        return True
    if user.role != Role.TRAINER:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Enrollment.learner_id == submission.learner_id,
                    Enrollment.cohort_id == cohort_trainers.c.cohort_id,
                    cohort_trainers.c.user_id == user.id,
                )
            )
        )
    )
