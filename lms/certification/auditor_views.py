"""The auditor's pages: certificates browsed and drilled into, evidence checked again, a
submission re-graded, an evidence bundle exported. Auditors and admins only (403 for anyone
else, login first); nothing here writes to the database."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request

from lms import access
from lms.certification import auditing
from lms.extensions import db
from lms.models import Review, Role, Submission
from lms.models.certification import Certificate
from lms.projects import service as projects

bp = Blueprint("auditor", __name__, url_prefix="/audit")
auditors_only = access.roles_required(Role.AUDITOR, Role.ADMIN)


def _int_arg(name: str) -> int | None:
    return request.args.get(name, type=int) or None


@bp.get("/certificates")
@auditors_only
def certificates():
    """Certificates filtered by cohort, operator, region, track and status, 50 a page. 403
    unless auditor or admin."""
    filters = auditing.Filters(
        cohort=_int_arg("cohort"),
        operator=_int_arg("operator"),
        region=request.args.get("region", ""),
        track=request.args.get("track", ""),
        status=request.args.get("status", ""),
    )
    page = max(request.args.get("page", 1, type=int), 1)
    rows, has_next = auditing.browse(filters, page)
    return render_template(
        "certification/audit_list.html",
        rows=rows,
        filters=filters,
        choices=auditing.filter_choices(),
        page=page,
        has_next=has_next,
    )


@bp.get("/certificates/<int:certificate_id>")
@auditors_only
def certificate(certificate_id: int):
    """One certificate with its checks and its evidence. 403 unless auditor or admin; 404."""
    found = db.get_or_404(Certificate, certificate_id)
    return render_template(
        "certification/audit_certificate.html",
        certificate=found,
        check=auditing.check_certificate(found),
        evidence=auditing.evidence_items(found),
    )


@bp.get("/submissions/<int:submission_id>")
@auditors_only
def submission(submission_id: int):
    """The code submitted, its hash recomputed, its result, and the exercise at the recorded
    commit when a snapshot exists. 403 unless auditor or admin; 404."""
    found = db.get_or_404(Submission, submission_id)
    content = auditing.content_at(found.content_commit)
    exercise = content.exercises.get(found.exercise_id) if content else None
    lesson = content.lesson_of_exercise(found.exercise_id) if content else None
    recomputed = auditing.recomputed_code_hash(found)
    return render_template(
        "certification/audit_submission.html",
        submission=found,
        files=auditing.highlighted_files(found),
        recomputed=recomputed,
        hash_ok=recomputed == found.code_hash,
        snapshot=content is not None,
        exercise=exercise,
        lesson=lesson,
        tests=auditing.test_files(content, found.exercise_id) if content else [],
    )


@bp.post("/submissions/<int:submission_id>/rerun")
@auditors_only
def rerun(submission_id: int):
    """Grade the recorded files again (synchronously, a few seconds) and compare; stores
    nothing. 403 unless auditor or admin; 404."""
    found = db.get_or_404(Submission, submission_id)
    outcome, error = None, None
    recorded = {"score": found.score, "max_score": found.max_score, "digest": found.image_digest}
    try:
        outcome = auditing.rerun(found, current_app.config.get("LMS_DOCKER_URL"))
    except auditing.AuditError as exc:
        error = str(exc)
    return render_template(
        "certification/audit_rerun.html",
        submission_id=submission_id,
        recorded=recorded,
        outcome=outcome,
        error=error,
    ), (200 if error is None else 409)


@bp.get("/reviews/<int:review_id>")
@auditors_only
def review(review_id: int):
    """A company review: rubric levels and comments, digest checked, deliverable. 403 unless
    auditor or admin; 404."""
    found = db.get_or_404(Review, review_id)
    if found.submitted_at is None:
        abort(404)  # a draft is not evidence
    return render_template(
        "certification/audit_review.html",
        review=found,
        entry=projects.result_entry(found),
        digest_ok=projects.verify_review(found),
    )


@bp.get("/certificates/<int:certificate_id>/bundle.zip")
@auditors_only
def bundle(certificate_id: int):
    """The evidence bundle, checkable offline with ``verify_bundle.py``. 403 unless auditor
    or admin; 404, or 409 while the certificate is not signed yet."""
    found = db.get_or_404(Certificate, certificate_id)
    if found.credential is None:
        abort(409)
    return Response(
        auditing.bundle(found),
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{found.public_id}.zip"'
        },
    )
