"""The auditor's pages: certificates browsed and drilled into, evidence checked again, a
submission re-graded, an evidence bundle exported; re-grade runs and the certificates they
flag. Auditors and admins only (403 for anyone else, login first).

Auditors read; the only things they write are a re-grade run (its results sit beside the
recorded scores, which stay as they were) and the suspension of a certificate a run flagged.
Lifting a suspension is for admins alone."""

from __future__ import annotations

from functools import partial

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms import access
from lms.certification.auditing import operations as auditing
from lms.certification.auditing import regrading
from lms.certification.forms import CertificateFilters, ReasonForm
from lms.certification.issuing import operations as service
from lms.extensions import db
from lms.models import RegradeRun, Review, Role, Submission
from lms.models.certification import Certificate
from lms.projects import operations as projects
from lms.transactions import refusal

bp = Blueprint("auditor", __name__, url_prefix="/audit")
auditors_only = access.roles_required(Role.AUDITOR, Role.ADMIN)


@bp.get("/certificates")
@auditors_only
def certificates():
    """Certificates filtered by cohort, operator, region, track and status, 50 a page. 403
    unless auditor or admin."""
    asked = CertificateFilters()
    filters, page = asked.filters(), max(asked.page.data or 1, 1)
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
    """Grade the recorded files again under the current graders (synchronously, a few
    seconds) and compare with what was recorded; stores nothing. 403 unless auditor or
    admin; 404."""
    found = db.get_or_404(Submission, submission_id)
    recorded = {"score": found.score, "max_score": found.max_score, "digest": found.image_digest}
    page = partial(
        render_template,
        "certification/audit_rerun.html",
        submission_id=submission_id,
        exercise_id=found.exercise_id,
        recorded=recorded,
    )
    # The grader could not run: the same page, saying why, with 409.
    with refusal(render=lambda error: (page(outcome=None, error=error), 409), flash=False):
        outcome = auditing.rerun(found, current_app.config.get("LMS_DOCKER_URL"))
    return page(outcome=outcome, error=None)


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


# Re-grade runs ------------------------------------------------------------------------------


@bp.get("/regrade")
@auditors_only
def regrade_runs():
    """Re-grade runs, latest first, and the button that starts one (or resumes the unfinished
    one). 403 unless auditor or admin."""
    runs = regrading.recent_runs()
    return render_template(
        "certification/audit_regrade_runs.html",
        runs=runs,
        active={run.id for run in runs if regrading.is_active(run)},
    )


@bp.post("/regrade")
@auditors_only
def regrade_start():
    """Start a re-grade run, or resume the unfinished one, in the background, and show it.
    403 unless auditor or admin; back to the list, saying why, when one is in progress."""
    with refusal(url_for(".regrade_runs"), flash=_no_regrade):
        run = regrading.start_in_background(current_app._get_current_object(), current_user)
    flash(_("Re-grade run #%(id)s is running.", id=run.id), "info")
    return redirect(url_for(".regrade_run", run_id=run.id))


def _no_regrade(error: str) -> str:
    return _("No re-grade started: %(error)s", error=error)


@bp.get("/regrade/<int:run_id>")
@auditors_only
def regrade_run(run_id: int):
    """A run: its progress (the page reloads itself while it runs), the scores that changed,
    the gradings that failed, and once finished the certificates whose evidence no longer
    meets their policy, each with a form to suspend it. 403 unless auditor or admin; 404."""
    run = db.get_or_404(RegradeRun, run_id)
    return render_template(
        "certification/audit_regrade_run.html",
        run=run,
        active=regrading.is_active(run),
        changed=regrading.changed_results(run, limit=CHANGED_SHOWN),
        changed_shown=CHANGED_SHOWN,
        failed=regrading.failed_results(run),
        flagged=regrading.flagged_certificates(run),
        unchecked=regrading.unchecked_certificates(run),
    )


#: Changed scores listed on a run's page (the flagged certificates list every one of theirs).
CHANGED_SHOWN = 200


@bp.post("/regrade/<int:run_id>/certificates/<int:certificate_id>/suspend")
@auditors_only
def suspend(run_id: int, certificate_id: int):
    """Suspend a certificate this run flagged, with a reason (required); the learner is told.
    403 unless auditor or admin; 404 unless the run flagged this certificate."""
    run = db.get_or_404(RegradeRun, run_id)
    certificate = db.get_or_404(Certificate, certificate_id)
    if regrading.flag_of(run, certificate.id) is None:
        abort(404)  # auditors act on what a re-grade found, nothing else
    back = url_for(".regrade_run", run_id=run_id, _anchor=f"certificate-{certificate_id}")
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Not suspended: %(error)s", error=form.first_error()), "error")
        return redirect(back)
    with refusal(back, flash=lambda error: _("Not suspended: %(error)s", error=error)):
        service.suspend(certificate, current_user, form.reason.data or "", run)
    flash(_("Certificate suspended; the learner is told."), "info")
    return redirect(back)


@bp.post("/certificates/<int:certificate_id>/lift-suspension")
@access.roles_required(Role.ADMIN)
def lift_suspension(certificate_id: int):
    """Lift a certificate's suspension with a reason (required): it is valid again, and the
    learner is told. Admins only: 403 for anyone else, auditors included; 404."""
    certificate = db.get_or_404(Certificate, certificate_id)
    back = url_for(".certificate", certificate_id=certificate_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Suspension not lifted: %(error)s", error=form.first_error()), "error")
        return redirect(back)
    with refusal(back, flash=lambda error: _("Suspension not lifted: %(error)s", error=error)):
        service.lift_suspension(certificate, current_user, form.reason.data or "")
    flash(_("Suspension lifted: the certificate is valid again; the learner is told."), "info")
    return redirect(back)
