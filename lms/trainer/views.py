"""Trainer pages. Each checks the trainer teaches the cohort (admins and auditors read all)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from lms import access, content
from lms.extensions import db
from lms.models import Cohort, Role
from lms.trainer.operations import cohort_grid, grading_failures

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
STAFF = (Role.TRAINER, Role.ADMIN, Role.AUDITOR)


@bp.get("/cohorts")
@access.roles_required(*STAFF)
def cohorts():
    """The trainer's cohorts (all of them for admins and auditors). 403 for other roles."""
    return render_template("trainer/cohorts.html", cohorts=access.trainer_cohorts(current_user))


@bp.get("/cohorts/<int:cohort_id>")
@access.roles_required(*STAFF)
def cohort(cohort_id: int):
    """Learners × exercises with best scores. 404 for a cohort the trainer does not teach."""
    found = db.session.get(Cohort, cohort_id)
    if found is None or not access.can_read_cohort(current_user, found):
        abort(404)
    loaded = content.current()
    track = loaded.tracks.get(found.track)
    exercise_ids = [e for e in (track.exercise_ids if track else []) if e in loaded.exercises]
    learners, cells = cohort_grid(found)
    return render_template(
        "trainer/cohort.html",
        cohort=found,
        track=track,
        learners=learners,
        cells=cells,
        exercises=[loaded.exercises[e] for e in exercise_ids],
        problems=loaded.problems,
        failures=grading_failures(found),
    )
