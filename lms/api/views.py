"""``/api/v1``: tokens, exercises, submissions, project results. Errors are
``{"error": "..."}`` with the code, in English: the request boundary answers the operations'
refusals so (:mod:`lms.transactions`), and every request is one unit of work."""

from __future__ import annotations

import hmac
from datetime import date
from functools import wraps

from flask import Blueprint, current_app, g, jsonify, request

from lms import access, auth, content
from lms.certification.verification import operations as verification
from lms.content import releases
from lms.extensions import csrf, db
from lms.models import Review, Submission
from lms.outcomes.reports import operations as reports
from lms.outcomes.reports import params as report_params
from lms.projects import access as project_access
from lms.projects import operations as projects
from lms.submissions import operations

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer tokens, not cookies: no cross-site request can carry them


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        user = auth.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            response = jsonify(error="a valid bearer token is required")
            response.headers["WWW-Authenticate"] = 'Bearer realm="lms"'
            return response, 401
        g.api_user = user
        return view(*args, **kwargs)

    return wrapped


@bp.post("/tokens")
def create_token():
    """``{"email", "password"}`` -> 201 ``{"token"}``; 400 malformed, 401 wrong credentials."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), str) for k in ("email", "password")
    ):
        return jsonify(error='expected JSON {"email": "...", "password": "..."}'), 400
    user = auth.authenticate(data["email"], data["password"])
    if user is None:
        return jsonify(error="wrong email or password"), 401
    return jsonify(token=auth.issue_token(user)), 201


@bp.get("/exercises")
@token_required
def exercises():
    """The exercises of the caller's tracks."""
    visible = access.visible_tracks(g.api_user)
    return jsonify(
        [
            {
                "id": ex.id,
                "title": ex.title,
                "grader": ex.grader,
                "max_score": ex.max_score,
                "files": list(ex.files),
            }
            for ex in content.current().exercises.values()
            if visible is None or ex.track in visible
        ]
    )


@bp.post("/exercises/<track_slug>/<slug>/submissions")
@token_required
def submit(track_slug: str, slug: str):
    """``{"files": {name: text}}`` -> 202 ``{"id", "status"}``; 400 bad files, 404 not the
    caller's exercise, 413 too large, 429 (with ``Retry-After``) when the caller already has
    ``LMS_MAX_WAITING_PER_LEARNER`` submissions waiting to be graded."""
    loaded = content.current()
    exercise = loaded.exercises.get(f"{track_slug}/{slug}")
    if exercise is None or not access.can_submit(g.api_user, track_slug):
        return jsonify(error=f"no exercise {track_slug}/{slug} for you"), 404
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error='expected JSON {"files": {"name": "text"}}'), 400
    submission = operations.submit(
        g.api_user,
        exercise,
        data.get("files"),
        loaded.commit,
        current_app.config["LMS_MAX_SUBMISSION_BYTES"],
        max_waiting=current_app.config["LMS_MAX_WAITING_PER_LEARNER"],
    )
    return jsonify(id=submission.id, status=submission.status.value), 202


@bp.post("/content/webhook")
def content_webhook():
    """Pull and publish the content repository. Authenticated by ``X-LMS-Signature:
    sha256=<HMAC-SHA256 of the body with LMS_WEBHOOK_SECRET>``; 404 when no secret is set,
    401 on a bad signature, 400 on a bad ref, else 202 (the check runs in the background)."""
    secret = current_app.config.get("LMS_WEBHOOK_SECRET")
    if not secret:
        return jsonify(error="the content webhook is not enabled"), 404
    expected = "sha256=" + hmac.new(secret.encode(), request.get_data(), "sha256").hexdigest()
    if not hmac.compare_digest(request.headers.get("X-LMS-Signature", ""), expected):
        return jsonify(error="bad or missing X-LMS-Signature"), 401
    ref = (request.get_json(silent=True) or {}).get("ref", "HEAD")
    if not isinstance(ref, str) or not ref or ref.startswith("-") or len(ref) > 200:
        return jsonify(error="'ref' must be a branch, tag or commit"), 400
    releases.sync_in_background(current_app._get_current_object(), ref)
    return jsonify(status="accepted", ref=ref), 202


@bp.get("/submissions/<int:submission_id>")
@token_required
def submission(submission_id: int):
    """One submission; 404 when it does not exist or is not the caller's to read."""
    found = db.session.get(Submission, submission_id)
    if found is None or not access.can_read_submission(g.api_user, found):
        return jsonify(error=f"no submission {submission_id} for you"), 404
    return jsonify(submission_json(found, g.api_user))


@bp.get("/project-results")
@token_required
def project_results():
    """Final company reviews in force that the caller may see: a learner their teams', a
    company its briefs', a trainer their cohorts', auditors and admins all of them."""
    query = project_access.visible_reviews(g.api_user, projects.final_reviews())
    if query is None:
        return jsonify([])
    reviews = db.session.scalars(query.order_by(Review.submitted_at, Review.id))
    return jsonify([projects.result_entry(review) for review in reviews])


@bp.get("/certificates")
@token_required
def certificates():
    """The certificates the caller may see: auditors and admins all, trainers their cohorts',
    learners their own, companies none (see lms.certification.verification.operations)."""
    return jsonify([verification.summary(c) for c in verification.visible_certificates(g.api_user)])


@bp.get("/reports/outcomes")
@token_required
def outcome_report():
    """``?window=90|180&group_by=programme|cohort|operator|region|track&as_of=YYYY-MM-DD``
    (defaults 180, programme, today) -> the figures per group, as the dashboard shows them;
    403 unless admin or auditor, 400 bad parameters."""
    if g.api_user.role not in access.READ_ALL:
        return jsonify(error="outcome reports are for admins and auditors"), 403
    chosen = report_params.selection(request.args, date.today())
    report = reports.outcomes(
        chosen.window, chosen.group_by, chosen.as_of, current_app.config["LMS_MINIMUM_WAGE_MAD"]
    )
    return jsonify(report.as_json())


def submission_json(submission: Submission, viewer) -> dict:
    result = submission.result or {}
    return {
        "id": submission.id,
        "exercise": submission.exercise_id,
        "status": submission.status.value,
        "detail": submission.detail_for(viewer),
        "score": submission.score,
        "max_score": submission.max_score,
        "tests": result.get("tests", []),
        "feedback": result.get("feedback", ""),
        "limit_hit": submission.limit_hit,
        "content_commit": submission.content_commit,
        "image_digest": submission.image_digest,
        "code_hash": submission.code_hash,
        "attempts": submission.attempts,
        "queued_at": _iso(submission.queued_at),
        "started_at": _iso(submission.started_at),
        "finished_at": _iso(submission.finished_at),
        "duration": submission.duration,
    }


def _iso(value) -> str | None:
    return value.isoformat() + "Z" if value else None
