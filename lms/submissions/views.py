"""Submitting from the browser, and reading a submission back."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select

from lms import access, content
from lms.content.model import Exercise
from lms.extensions import db
from lms.models import Submission
from lms.submissions import operations
from lms.submissions.forms import submission_form
from lms.transactions import refusal

bp = Blueprint("submissions", __name__)


@bp.post("/exercises/<track_slug>/<slug>/submissions")
@login_required
def create(track_slug: str, slug: str):
    """Submit files (JSON ``{"files": {...}}`` from the editor, or a form post).

    404 for an exercise that is not the user's; 400/413 for bad files, 429 when the learner
    already has ``LMS_MAX_WAITING_PER_LEARNER`` submissions waiting: as JSON (the editor shows
    the message and keeps the code), or the exercise page with the message and the code typed.
    A grading worker of this process is woken once the submission is committed.
    """
    loaded = content.current()
    exercise = loaded.exercises.get(f"{track_slug}/{slug}")
    if exercise is None or not access.can_submit(current_user, track_slug):
        abort(404)
    if request.is_json:
        data = request.get_json(silent=True)
        files = data.get("files") if isinstance(data, dict) else None
    else:
        form = submission_form(exercise.files)
        form.validate_on_submit()  # the operation says what is wrong with the files
        files = form.files()
    config = current_app.config
    with refusal(render=lambda _message: _exercise_page(exercise, files)):
        submission = operations.submit(
            current_user,
            exercise,
            files,
            loaded.commit,
            config["LMS_MAX_SUBMISSION_BYTES"],
            max_waiting=config["LMS_MAX_WAITING_PER_LEARNER"],
        )
    if request.is_json:
        return jsonify(
            id=submission.id,
            status=submission.status.value,
            url=url_for(".show", submission_id=submission.id),
        ), 202
    return redirect(url_for(".show", submission_id=submission.id))


def _exercise_page(exercise: Exercise, typed: dict[str, str]):
    """The exercise page again, with the refusal flashed and the code as it was typed (a form
    posted without JavaScript), rather than the last submission's."""
    history = operations.history(current_user.id, exercise.id)
    graded = [s.score for s in history if s.score is not None]
    # 200, as the page a redirect would have led to: the refusal is in the flashed message.
    return render_template(
        "learning/exercise.html",
        exercise=exercise,
        files={**exercise.starter(), **typed},
        history=history,
        best=max(graded) if graded else None,
        lesson=content.current().lesson_of_exercise(exercise.id),
        can_submit=True,
    )


def _readable(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None or not access.can_read_submission(current_user, submission):
        abort(404)
    return submission


@bp.get("/submissions/<int:submission_id>")
@login_required
def show(submission_id: int):
    """A submission's code, highlighted, and its results. 404 unless it is readable."""
    submission = _readable(submission_id)
    exercise = content.current().exercises.get(submission.exercise_id)
    return render_template("submissions/show.html", submission=submission, exercise=exercise)


@bp.get("/submissions/<int:submission_id>/status")
@login_required
def status(submission_id: int):
    """Polled by the exercise page until the submission is final. 404 unless readable."""
    submission = _readable(submission_id)
    return jsonify(
        id=submission.id,
        status=submission.status.value,
        detail=submission.detail_for(current_user),
        final=submission.is_final
        or (submission.status.value == "error" and submission.finished_at is not None),
        html=render_template("submissions/_result.html", submission=submission),
    )


@bp.get("/me/submissions")
@login_required
def history():
    """The signed-in user's own submissions, newest first."""
    submissions = db.session.scalars(
        select(Submission)
        .where(Submission.learner_id == current_user.id)
        .order_by(Submission.id.desc())
        .limit(200)
    )
    exercises = content.current().exercises
    return render_template(
        "submissions/history.html", submissions=list(submissions), exercises=exercises
    )
