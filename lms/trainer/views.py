"""Trainer pages. Each checks the trainer teaches the cohort (admins and auditors read all)."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms import access, content
from lms.content import releases
from lms.content.model import Content
from lms.extensions import db
from lms.models import Cohort, ContentRelease, Role
from lms.trainer.forms import PreviewQuery
from lms.trainer.operations import (
    cohort_grid,
    grading_failures,
    regrade_cohort,
    regrade_progress,
)
from lms.transactions import refusal

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
STAFF = (Role.TRAINER, Role.ADMIN, Role.AUDITOR)
#: Previews kept loaded per process (a trainer clicks through several lessons of one).
PREVIEWS_KEPT = 4


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
        regrade=regrade_progress(found),
        can_regrade=current_user.role in (Role.TRAINER, Role.ADMIN),
    )


@bp.post("/cohorts/<int:cohort_id>/regrade")
@access.roles_required(Role.TRAINER, Role.ADMIN)
def regrade(cohort_id: int):
    """Re-grade the cohort's latest submissions against the current release. 404 for a cohort
    the trainer does not teach; auditors get 403 (they read, they do not act)."""
    found = db.session.get(Cohort, cohort_id)
    if found is None or not access.can_read_cohort(current_user, found):
        abort(404)
    queued = regrade_cohort(found, content.current())
    flash(_("%(n)s submission(s) queued for re-grading.", n=queued), "info")
    return redirect(url_for(".cohort", cohort_id=cohort_id))


@bp.get("/content")
@access.roles_required(*STAFF)
def content_releases():
    """Releases of the content: live, retired, refused with their reasons."""
    found = db.session.scalars(select(ContentRelease).order_by(ContentRelease.id.desc()).limit(30))
    return render_template("trainer/content.html", releases=list(found), served=content.current())


@bp.get("/preview")
@access.roles_required(*STAFF)
def preview_ref():
    """Resolve a branch, tag or commit and show its preview; back with a message if unknown."""
    ref = PreviewQuery().ref.data or ""

    def cannot_preview(error: str) -> str:
        return _("Cannot preview %(ref)s: %(error)s", ref=ref, error=error)

    with refusal(url_for(".content_releases"), flash=cannot_preview):
        commit = releases.resolve(Path(current_app.config["LMS_CONTENT_DIR"]), ref)
    return redirect(url_for(".preview", commit=commit))


def _preview(commit: str) -> Content:
    cache = current_app.extensions.setdefault("lms.previews", {})
    if commit not in cache:
        try:
            cache[commit] = releases.preview(
                Path(current_app.config["LMS_CONTENT_DIR"]),
                commit,
                releases.releases_root(current_app.instance_path),
            )
        except releases.ReleaseError:
            abort(404)
        while len(cache) > PREVIEWS_KEPT:
            cache.pop(next(iter(cache)))
    return cache[commit]


@bp.get("/preview/<commit>")
@access.roles_required(*STAFF)
def preview(commit: str):
    """A commit's tracks, lessons and problems, before it goes live. 404 for unknown commits."""
    return render_template("trainer/preview.html", preview=_preview(commit), commit=commit)


@bp.get("/preview/<commit>/learn/<track_slug>/<module_slug>/<lesson_slug>")
@access.roles_required(*STAFF)
def preview_lesson(commit: str, track_slug: str, module_slug: str, lesson_slug: str):
    """A lesson as it will read in that commit. 404 when it does not exist there."""
    previewed = _preview(commit)
    found = previewed.lesson(f"{track_slug}/{module_slug}/{lesson_slug}")
    if found is None:
        abort(404)
    lessons = previewed.tracks[track_slug].lessons
    index = lessons.index(found)
    return render_template(
        "learning/lesson.html",
        lesson=found,
        track=previewed.tracks[track_slug],
        previous=None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
        preview_commit=commit,
    )
