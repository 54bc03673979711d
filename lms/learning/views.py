"""Learner pages: home, track, lesson, exercise. Thin: look up, check access, render."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms import access, content
from lms.learning.progress import track_progress
from lms.models import Role
from lms.submissions.operations import best_scores, history

bp = Blueprint("learning", __name__)


@bp.get("/")
@login_required
def home():
    """The user's tracks with progress. Trainers land on their cohorts, companies on briefs."""
    if current_user.role == Role.TRAINER:
        return redirect(url_for("trainer.cohorts"))
    if current_user.role == Role.COMPANY:
        return redirect(url_for("projects.company_briefs"))
    loaded = content.current()
    visible = access.visible_tracks(current_user)
    best = best_scores(current_user.id)
    progress = [
        track_progress(loaded, track, best)
        for slug, track in loaded.tracks.items()
        if visible is None or slug in visible
    ]
    return render_template("learning/home.html", progress=progress)


@bp.get("/learn/<track_slug>")
@login_required
def track(track_slug: str):
    """A track's modules and lessons. 404 for a track that is not the user's."""
    loaded = content.current()
    track = loaded.tracks.get(track_slug)
    if track is None or not access.can_read_track(current_user, track_slug):
        abort(404)
    progress = track_progress(loaded, track, best_scores(current_user.id))
    best = {e.exercise_id: e for e in progress.exercises}
    return render_template("learning/track.html", track=track, progress=progress, best=best)


@bp.get("/learn/<track_slug>/<module_slug>/<lesson_slug>")
@login_required
def lesson(track_slug: str, module_slug: str, lesson_slug: str):
    """One lesson, rendered from Markdown. 404 when missing or not the user's track."""
    loaded = content.current()
    found = loaded.lesson(f"{track_slug}/{module_slug}/{lesson_slug}")
    if found is None or not access.can_read_track(current_user, track_slug):
        abort(404)
    lessons = loaded.tracks[track_slug].lessons
    index = lessons.index(found)
    return render_template(
        "learning/lesson.html",
        lesson=found,
        track=loaded.tracks[track_slug],
        previous=lessons[index - 1] if index > 0 else None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
    )


@bp.get("/exercises/<track_slug>/<slug>")
@login_required
def exercise(track_slug: str, slug: str):
    """The exercise with its editor, opened on the learner's last submission or the starter."""
    loaded = content.current()
    found = loaded.exercises.get(f"{track_slug}/{slug}")
    if found is None or not access.can_read_track(current_user, track_slug):
        abort(404)
    lesson = loaded.lesson_of_exercise(found.id)
    if found.quiz and lesson:
        # A quiz lives in its lesson.
        return redirect(
            url_for(
                "learning.lesson",
                track_slug=lesson.track,
                module_slug=lesson.module,
                lesson_slug=lesson.slug,
                _anchor=f"quiz-{found.slug}",
            )
        )
    submitted = history(current_user.id, found.id)
    files = submitted[0].files if submitted else found.starter()
    graded = [s.score for s in submitted if s.score is not None]
    return render_template(
        "learning/exercise.html",
        exercise=found,
        files=files,
        history=submitted,
        best=max(graded) if graded else None,
        lesson=lesson,
        can_submit=access.can_submit(current_user, track_slug),
    )
