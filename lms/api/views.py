"""``/api/v1``: tokens, exercises, submissions, project results. Errors are
``{"error": "..."}`` with the code, in English: the request boundary answers the operations'
refusals so (:mod:`lms.transactions`), and every request is one unit of work."""

from __future__ import annotations

from datetime import date
from functools import wraps

from flask import Blueprint, current_app, g, jsonify, request

from lms import access, auth, content
from lms.api import openapi, tokens
from lms.certification.verification import operations as verification
from lms.content import releases, webhook
from lms.extensions import csrf, db
from lms.models import Review, Submission
from lms.models.base import utcnow
from lms.outcomes.reports import operations as reports
from lms.outcomes.reports import params as report_params
from lms.projects import access as project_access
from lms.projects import operations as projects
from lms.submissions import operations

bp = Blueprint("api", __name__, url_prefix="/api/v1")
#: Row ids are 32-bit: a larger one in a URL is a 404 of the router, never a database overflow.
MAX_ID = 2**31 - 1
csrf.exempt(bp)  # bearer tokens, not cookies: no cross-site request can carry them


def token_required(scope: str | None = None):
    """View decorator: a usable bearer token (401 otherwise, with ``WWW-Authenticate``) that
    carries ``scope`` (403 otherwise); ``g.api_user`` is its owner, ``g.api_token`` the token."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
            try:
                if scheme.lower() != "bearer" or not secret.strip():
                    raise tokens.TokenRefused("a valid bearer token is required")
                token = tokens.authenticate(secret.strip())
            except tokens.TokenRefused as refused:
                response = jsonify(error=str(refused))
                response.headers["WWW-Authenticate"] = 'Bearer realm="lms"'
                return response, 401
            if scope is not None and scope not in token.scope_set:
                return jsonify(error=f"this token does not have the {scope!r} scope"), 403
            g.api_user, g.api_token = token.user, token
            return view(*args, **kwargs)

        return wrapped

    return decorator


@bp.post("/tokens")
def create_token():
    """``{"email", "password"}`` and optionally ``"expires_in"`` (seconds), ``"scopes"``
    (``read``, ``submit``), ``"name"`` -> 201 the token (its secret shown this once) and what
    it may do; 400 malformed, 401 wrong credentials."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), str) for k in ("email", "password")
    ):
        return jsonify(error='expected JSON {"email": "...", "password": "..."}'), 400
    user = auth.authenticate(data["email"], data["password"])
    if user is None:
        return jsonify(error="wrong email or password"), 401
    config = current_app.config
    wanted = tokens.token_request(
        data, config["LMS_API_TOKEN_DAYS"], config["LMS_API_TOKEN_MAX_DAYS"]
    )
    issued = tokens.issue(user, wanted)
    return jsonify(token=issued.secret, **tokens.as_json(issued.row)), 201


@bp.get("/tokens")
@token_required()
def list_tokens():
    """The caller's tokens, newest first (revoked and expired ones too); never a secret."""
    return jsonify([tokens.as_json(row) for row in tokens.owned_by(g.api_user)])


@bp.delete("/tokens/current")
@token_required()
def revoke_current_token():
    """Revoke the token this request is made with -> 204."""
    tokens.revoke(g.api_token, g.api_user)
    return "", 204


@bp.delete(f"/tokens/<int(max={MAX_ID}):token_id>")
@token_required()
def revoke_token(token_id: int):
    """Revoke one of the caller's tokens (an admin: anyone's) -> 204; 404 when it is not
    theirs to revoke. Revoking a revoked token again is a 204 too."""
    tokens.revoke(tokens.revocable(g.api_user, token_id), g.api_user)
    return "", 204


@bp.get("/openapi.json")
def openapi_description():
    """The OpenAPI 3.1 description of this API (lms/api/openapi.py); no token needed."""
    return jsonify(openapi.description(request.script_root + bp.url_prefix))


@bp.get("/exercises")
@token_required("read")
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
@token_required("submit")
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
    """Pull and publish the content repository. Signed with ``LMS_WEBHOOK_SECRET``: headers
    ``X-LMS-Timestamp``, ``X-LMS-Delivery`` and ``X-LMS-Signature`` (lms/content/webhook.py,
    docs/security.md). 404 when no secret is set; 401 unsigned, badly signed or stale; 409 a
    delivery received before; 400 a bad ref; else 202 (the check runs in the background)."""
    secret = current_app.config.get("LMS_WEBHOOK_SECRET")
    if not secret:
        return jsonify(error="the content webhook is not enabled"), 404
    now, tolerance = utcnow(), current_app.config["LMS_WEBHOOK_TOLERANCE_SECONDS"]
    delivery = webhook.verify(secret, request.headers, request.get_data(), now, tolerance)
    data = request.get_json(force=True, silent=True) if request.get_data() else {}
    ref = data.get("ref", "HEAD") if isinstance(data, dict) else None
    if not isinstance(ref, str) or not ref or ref.startswith("-") or len(ref) > 200:
        return jsonify(error='expected JSON {"ref": "<branch, tag or commit>"} or no body'), 400
    webhook.accept_once(delivery, now, tolerance)
    releases.sync_in_background(current_app._get_current_object(), ref)
    return jsonify(status="accepted", ref=ref, delivery=delivery.id), 202


@bp.get(f"/submissions/<int(max={MAX_ID}):submission_id>")
@token_required("read")
def submission(submission_id: int):
    """One submission; 404 when it does not exist or is not the caller's to read."""
    found = db.session.get(Submission, submission_id)
    if found is None or not access.can_read_submission(g.api_user, found):
        return jsonify(error=f"no submission {submission_id} for you"), 404
    return jsonify(submission_json(found, g.api_user))


@bp.get("/project-results")
@token_required("read")
def project_results():
    """Final company reviews in force that the caller may see: a learner their teams', a
    company its briefs', a trainer their cohorts', auditors and admins all of them."""
    query = project_access.visible_reviews(g.api_user, projects.final_reviews())
    if query is None:
        return jsonify([])
    reviews = db.session.scalars(query.order_by(Review.submitted_at, Review.id))
    return jsonify([projects.result_entry(review) for review in reviews])


@bp.get("/certificates")
@token_required("read")
def certificates():
    """The certificates the caller may see: auditors and admins all, trainers their cohorts',
    learners their own, companies none (see lms.certification.verification.operations)."""
    return jsonify([verification.summary(c) for c in verification.visible_certificates(g.api_user)])


@bp.get("/reports/outcomes")
@token_required("read")
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
