"""Attendance and certification pages: the trainer's (trainers and admins act, auditors read)
and the learner's own standing. Every cohort page answers 404 for a cohort the user does not
teach, and 403 to roles that may not see or change it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from lms import access, content
from lms.certification.attendance import operations as attendance
from lms.certification.forms import (
    AttendanceAction,
    ImportForm,
    ReasonForm,
    SessionForm,
    grid_form,
)
from lms.certification.issuing import operations as service
from lms.certification.issuing import standing
from lms.extensions import db
from lms.models import Cohort, Enrollment, Role, User
from lms.models.certification import Certificate, CertificateStatus, CohortSession
from lms.transactions import refusal

bp = Blueprint("certification_trainer", __name__)
STAFF = (Role.TRAINER, Role.ADMIN, Role.AUDITOR)
WRITERS = (Role.TRAINER, Role.ADMIN)


def _cohort(cohort_id: int, write: bool = False) -> Cohort:
    """The cohort if the user teaches it (admins and auditors read all): 404 otherwise, 403
    for an auditor asking to change it."""
    if write and current_user.role not in WRITERS:
        abort(403)
    found = db.session.get(Cohort, cohort_id)
    if found is None or not access.can_read_cohort(current_user, found):
        abort(404)
    return found


# Attendance ------------------------------------------------------------------------------------


@bp.get("/trainer/cohorts/<int:cohort_id>/attendance")
@access.roles_required(*STAFF)
def attendance_page(cohort_id: int):
    """Sessions × learners, a form to add a session and one to import a CSV file. 404 for a
    cohort the trainer does not teach, 403 for learners and companies."""
    return _attendance_page(_cohort(cohort_id))


def _attendance_page(cohort: Cohort, session_form: SessionForm | None = None):
    """The page; ``session_form``, a session that could not be added, comes back with what was
    typed and its messages (400)."""
    page = render_template(
        "certification/trainer_attendance.html",
        cohort=cohort,
        grid=attendance.attendance_grid(cohort),
        can_edit=current_user.role in WRITERS,
        max_kb=_csv_limit() // 1024,
        session_form=session_form or {},
    )
    return page, (400 if session_form is not None else 200)


@bp.post("/trainer/cohorts/<int:cohort_id>/attendance")
@access.roles_required(*STAFF)
def attendance_post(cohort_id: int):
    """Save the grid, add a session or import a CSV file (``action``). 404 for a cohort the
    trainer does not teach; 403 for auditors (they read, they do not act)."""
    found = _cohort(cohort_id, write=True)
    chosen = AttendanceAction()
    if not chosen.validate_on_submit():
        abort(400)
    handlers = {"save": _save_grid, "add_session": _add_session, "import": _import}
    # Attendance may complete a certification: automatic policies issue once it is committed
    # (lms.certification.issuing.automatic listens to every change).
    answer = handlers[chosen.action.data or "save"](found)
    return answer or redirect(url_for(".attendance_page", cohort_id=cohort_id))


def _save_grid(cohort: Cohort) -> None:
    grid = attendance.attendance_grid(cohort)
    form = grid_form(grid)
    form.validate_on_submit()  # ids and boxes: nothing in them is refused by its shape
    # Only the sessions and learners the trainer saw: one added meanwhile is left alone.
    session_ids, learner_ids = set(form.session.data), set(form.learner.data)
    changed = 0
    for session in (s for s in grid.sessions if s.id in session_ids):
        for learner in (lr for lr in grid.learners if lr.id in learner_ids):
            present = form.present(session.id, learner.id)
            if grid.present.get((session.id, learner.id)) != present:
                attendance.set_attendance(session, learner, present, current_user)
                changed += 1
    flash(_("Attendance saved: %(n)s change(s).", n=changed), "info")


def _add_session(cohort: Cohort):
    form = SessionForm()
    if not form.validate_on_submit():
        return _attendance_page(cohort, form)
    back = url_for(".attendance_page", cohort_id=cohort.id)
    with refusal(back, flash=_session_not_added):
        attendance.add_session(cohort, form.held_on.data, form.title.data or "")
    flash(_("Session of %(date)s added.", date=form.held_on.data.isoformat()), "info")
    return None


def _session_not_added(error: str) -> str:
    return _("The session was not added: %(error)s", error=error)


def _csv_limit() -> int:
    return current_app.config.get("LMS_ATTENDANCE_CSV_MAX_BYTES", attendance.MAX_CSV_BYTES)


def _not_imported(error: str) -> str:
    return _("The file was not imported: %(error)s", error=error)


def _import(cohort: Cohort) -> None:
    form = ImportForm()
    if not form.validate_on_submit():
        flash(form.first_error(), "error")
        return
    upload = form.file.data
    limit = _csv_limit()
    back = url_for(".attendance_page", cohort_id=cohort.id)
    with refusal(back, flash=_not_imported):
        text = attendance.decode_csv(upload.stream.read(limit + 1), limit)
    report = attendance.import_csv(cohort, text, current_user)
    flash(
        _(
            "Import: %(recorded)s line(s) recorded, %(sessions)s session(s) created, "
            "%(errors)s line(s) refused.",
            recorded=report.recorded,
            sessions=report.created_sessions,
            errors=len(report.errors),
        ),
        "error" if report.errors else "info",
    )
    for error in report.errors[:50]:
        flash(error, "error")


# Certification (trainer) -----------------------------------------------------------------------


@bp.get("/trainer/cohorts/<int:cohort_id>/certification")
@access.roles_required(*STAFF)
def cohort_certification(cohort_id: int):
    """Each learner's thresholds and certificate, with Issue / Approve / Revoke for trainers
    and admins. 404 for a cohort the trainer does not teach, 403 for learners."""
    found = _cohort(cohort_id)
    return render_template(
        "certification/trainer_certification.html",
        cohort=found,
        standing=standing.cohort_standing(found, content.current()),
        can_act=current_user.role in WRITERS,
    )


@bp.post("/trainer/cohorts/<int:cohort_id>/certification/<int:learner_id>/issue")
@access.roles_required(*WRITERS)
def issue(cohort_id: int, learner_id: int):
    """Issue a learner's certificate (pending when the track asks for approval). 404 for a
    cohort the trainer does not teach or a learner not enrolled in it; 403 for auditors."""
    found = _cohort(cohort_id, write=True)
    learner = _enrolled(found, learner_id)
    learner_standing = standing.standing_of(found, learner, content.current())[1]
    back = url_for(".cohort_certification", cohort_id=cohort_id)

    def no_certificate(error: str) -> str:
        return _("No certificate for %(name)s: %(error)s", name=learner.name, error=error)

    with refusal(back, flash=no_certificate):
        certificate = standing.issue(learner_standing, current_user)
    if certificate.status == CertificateStatus.PENDING:
        flash(_("Certificate of %(name)s awaits approval.", name=learner.name), "info")
    else:
        flash(_("Certificate of %(name)s issued.", name=learner.name), "info")
    return redirect(back)


@bp.post("/trainer/certificates/<int:certificate_id>/approve")
@access.roles_required(*WRITERS)
def approve(certificate_id: int):
    """Approve a pending certificate: it is signed and issued. 404 for a certificate of a
    cohort the trainer does not teach; 403 for auditors."""
    certificate = _certificate(certificate_id)
    back = url_for(".cohort_certification", cohort_id=certificate.cohort_id)
    with refusal(back, flash=lambda error: _("Not approved: %(error)s", error=error)):
        service.approve(certificate, current_user)
    flash(_("Certificate approved and issued."), "info")
    return redirect(back)


@bp.post("/trainer/certificates/<int:certificate_id>/revoke")
@access.roles_required(*WRITERS)
def revoke(certificate_id: int):
    """Revoke a certificate with a reason (required). 404 for a certificate of a cohort the
    trainer does not teach; 403 for auditors."""
    certificate = _certificate(certificate_id)
    back = url_for(".cohort_certification", cohort_id=certificate.cohort_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Not revoked: %(error)s", error=form.first_error()), "error")
        return redirect(back)
    with refusal(back, flash=lambda error: _("Not revoked: %(error)s", error=error)):
        service.revoke(certificate, current_user, form.reason.data or "")
    flash(_("Certificate revoked."), "info")
    return redirect(back)


def _enrolled(cohort: Cohort, learner_id: int) -> User:
    learner = db.session.scalar(
        select(User)
        .join(Enrollment, Enrollment.learner_id == User.id)
        .where(Enrollment.cohort_id == cohort.id, User.id == learner_id)
    )
    if learner is None:
        abort(404)
    return learner


def _certificate(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or not access.can_read_cohort(current_user, certificate.cohort):
        abort(404)
    return certificate


# The learner's own standing --------------------------------------------------------------------


@bp.get("/certification")
@login_required
def mine():
    """The signed-in learner's standing in each of their cohorts: every threshold, what it
    requires, what they achieved, what is missing, and their certificate. 403 for other roles."""
    if current_user.role != Role.LEARNER:
        abort(403)
    cohorts = db.session.scalars(
        select(Cohort)
        .join(Enrollment)
        .where(Enrollment.learner_id == current_user.id)
        .order_by(Cohort.starts_on.desc(), Cohort.name)
    )
    loaded = content.current()
    standings = [standing.standing_of(c, current_user, loaded) for c in cohorts]
    return render_template("certification/mine.html", standings=standings)


def session_label(session: CohortSession) -> str:
    return f"{session.held_on.isoformat()} {session.title}".strip()


@bp.app_template_filter("session_label")
def _session_label_filter(session: CohortSession) -> str:
    return session_label(session)
