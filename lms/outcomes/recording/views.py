"""Recording outcomes: the learner's own situation, a company's hires and confirmations, the
programme's third-party records, and trainers' graduation marks.

Views are thin: they find the object (404 when it is not the user's), read the form
(:mod:`lms.outcomes.recording.forms`) into the plain values
:mod:`lms.outcomes.recording.operations` takes, call one operation; the request commits. A form
that cannot be read, or a record the operation refuses, re-renders the page with what was typed
and the reason (beside the field, or above the form), with status 422
(:func:`lms.transactions.refusal`): these pages have always answered 422, and their clients
(the browser tests, the survey e-mails' links) rely on it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select

from lms import access
from lms.extensions import db
from lms.forms import Form
from lms.models import (
    BriefVersion,
    Cohort,
    EmploymentStatus,
    Enrollment,
    ExclusionReason,
    Organization,
    OutcomeRecord,
    OutcomeSource,
    OutcomeSurvey,
    ProjectBrief,
    ProjectOffer,
    Role,
    Situation,
    User,
)
from lms.models.organization import OrganizationKind
from lms.outcomes.recording import occupations, surveys
from lms.outcomes.recording import operations as recording
from lms.outcomes.recording.forms import GraduationForm, IntentForm, JobForm, SituationForm
from lms.transactions import refusal

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")

#: Shown for the enumerations' values (and listed so that extraction finds them).
LABELS: dict[str, Mapping] = {
    "status": {
        EmploymentStatus.PERMANENT: _l("Permanent employee"),
        EmploymentStatus.FIXED_TERM: _l("Fixed-term employee"),
        EmploymentStatus.CASUAL: _l("Casual or short-term worker"),
        EmploymentStatus.APPRENTICE_INTERN: _l("Apprentice or intern"),
        EmploymentStatus.DEPENDENT_CONTRACTOR: _l("Dependent contractor"),
        EmploymentStatus.OWN_ACCOUNT: _l("Own account (freelance, own company)"),
    },
    "situation": {
        Situation.WORKING: _l("Working"),
        Situation.SEEKING: _l("Looking for a job"),
        Situation.NOT_SEEKING: _l("Not looking for a job"),
        Situation.EXCLUDED: _l("Excluded from the figures"),
    },
    "exclusion": {
        ExclusionReason.FURTHER_STUDIES: _l("Further studies"),
        ExclusionReason.HEALTH: _l("Health"),
        ExclusionReason.MILITARY_SERVICE: _l("Military service"),
        ExclusionReason.DECEASED: _l("Deceased"),
        ExclusionReason.EMIGRATED: _l("Emigrated"),
    },
    "source": {
        OutcomeSource.LEARNER: _l("reported by the learner"),
        OutcomeSource.EMPLOYER: _l("confirmed by the employer"),
        OutcomeSource.THIRD_PARTY: _l("documented by the programme"),
    },
}


@dataclass
class Posted:
    """A form that was refused: which one (``key``), the form with what was typed and each
    field's message (:class:`lms.forms.Form`), and why the operation refused it, if it did."""

    key: str
    values: Mapping | Form = field(default_factory=dict)
    error: str = ""


@dataclass
class EnrolmentOutcomes:
    enrollment: Enrollment
    intent_open: bool
    current: list[OutcomeRecord]
    history: list[OutcomeRecord]
    open_surveys: list[OutcomeSurvey]


@bp.app_context_processor
def _prompt_helper() -> dict:
    # A callable: only the learner's home page asks, and pays for the queries.
    return {"outcomes_prompt": _current_prompt}


def _current_prompt() -> surveys.Prompt | None:
    if not current_user.is_authenticated or current_user.role != Role.LEARNER:
        return None
    return surveys.prompt(current_user, date.today()) or None


# Learners ------------------------------------------------------------------------------------


@bp.get("/mine")
@access.roles_required(Role.LEARNER)
def mine():
    """The learner's intent, situation and history, and the forms to report. 403 unless
    learner."""
    return _render_mine()


@bp.post("/mine/<int:enrollment_id>/intent")
@access.roles_required(Role.LEARNER)
def intent(enrollment_id: int):
    """State the intent once. 403 unless learner, 404 unless the learner's enrolment."""
    enrollment = _own_enrollment(enrollment_id)
    form, key = IntentForm(), f"intent-{enrollment.id}"
    if not form.validate_on_submit():
        return _render_mine(Posted(key, form))
    with _refused(lambda error: _render_mine(Posted(key, form, error))):
        recording.record_intent(current_user, enrollment, form.seeking.data == "yes", date.today())
    return _done(_("Thank you: your answer is recorded."), url_for("outcomes.mine"))


@bp.post("/mine/<int:enrollment_id>/job")
@access.roles_required(Role.LEARNER)
def report_job(enrollment_id: int):
    """Report a job. 403 unless learner, 404 unless the learner's enrolment."""
    enrollment = _own_enrollment(enrollment_id)
    return _learner_job(enrollment, None, f"job-{enrollment.id}", _render_mine)


@bp.post("/mine/<int:enrollment_id>/situation")
@access.roles_required(Role.LEARNER)
def report_situation(enrollment_id: int):
    """Report seeking, not seeking or an exclusion. 403 unless learner, 404 unless the
    learner's enrolment."""
    enrollment = _own_enrollment(enrollment_id)
    return _situation(enrollment, None, f"situation-{enrollment.id}", _render_mine)


@bp.post("/mine/<int:enrollment_id>/unchanged")
@access.roles_required(Role.LEARNER)
def unchanged(enrollment_id: int):
    """Answer the survey with "what I reported still holds". 403 unless learner, 404 unless
    the learner's enrolment."""
    enrollment = _own_enrollment(enrollment_id)
    with _refused(lambda error: _render_mine(Posted(f"unchanged-{enrollment.id}", {}, error))):
        surveys.answer_unchanged(current_user, enrollment)
    return _done(_("Thank you: your situation is up to date."), url_for("outcomes.mine"))


@bp.route("/mine/records/<int:record_id>/correct", methods=["GET", "POST"])
@access.roles_required(Role.LEARNER)
def correct(record_id: int):
    """Replace one of the learner's own records with a corrected one (the operation refuses
    confirmed ones). 403 unless learner, 404 unless the learner's record."""
    record = db.session.get(OutcomeRecord, record_id)
    if record is None or record.learner_id != current_user.id:
        abort(404)

    def render(posted: Posted | None = None, status: int = 200):
        return _render("outcomes/correct.html", record.enrollment, status, posted, record=record)

    situation = SituationForm()
    if not situation.is_submitted():
        return render()
    if situation.kind.data == "situation":
        return _situation(record.enrollment, record, "correct", render, form=situation)
    return _learner_job(record.enrollment, record, "correct", render)


def _learner_job(enrollment, replaces, key: str, render: Callable):
    form = JobForm()
    if not form.validate_on_submit():
        return render(Posted(key, form), 422)
    # The employer, when a partner company, is asked to confirm (lms.outcomes.recording.notices).
    with _refused(lambda error: render(Posted(key, form, error), 422)):
        recording.report_job(
            current_user, enrollment, form.details(), replaces=replaces, note=form.note.data or ""
        )
    return _done(_("Thank you: your job is recorded."), url_for("outcomes.mine"))


def _own_enrollment(enrollment_id: int) -> Enrollment:
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.learner_id != current_user.id:
        abort(404)
    return enrollment


def _render_mine(posted: Posted | None = None, status: int | None = None):
    today = date.today()
    enrollments = db.session.scalars(
        select(Enrollment)
        .join(Cohort)
        .where(Enrollment.learner_id == current_user.id)
        .order_by(Cohort.ends_on.desc(), Enrollment.id.desc())
    ).all()
    sections = [_outcomes_of(e, today) for e in enrollments]
    status = status or (422 if posted else 200)
    return _render("outcomes/mine.html", None, status, posted, sections=sections)


def _outcomes_of(enrollment: Enrollment, today: date) -> EnrolmentOutcomes:
    open_surveys = db.session.scalars(
        select(OutcomeSurvey)
        .where(OutcomeSurvey.enrollment_id == enrollment.id, OutcomeSurvey.answered_at.is_(None))
        .order_by(OutcomeSurvey.window)
    ).all()
    return EnrolmentOutcomes(
        enrollment,
        recording.intent_open(enrollment, today),
        recording.current_records(enrollment),
        recording.history(enrollment),
        list(open_surveys),
    )


# Companies -----------------------------------------------------------------------------------


@bp.get("/company")
@access.roles_required(Role.COMPANY)
def company_placements():
    """Self-reported jobs at the company to confirm, and the company's confirmed hires. 403
    unless company."""
    return _render_company()


@bp.route("/company/records/<int:record_id>", methods=["GET", "POST"])
@access.roles_required(Role.COMPANY)
def company_record(record_id: int):
    """One job naming the company, and the form that confirms or corrects it. 403 unless
    company, 404 unless the record names the user's company."""
    record = db.session.get(OutcomeRecord, record_id)
    if (
        record is None
        or current_user.organization_id is None
        or record.employer_org_id != current_user.organization_id
    ):
        abort(404)

    def render(posted: Posted | None = None, status: int = 200):
        return _render(
            "outcomes/company_record.html",
            record.enrollment,
            status,
            posted,
            company_id=current_user.organization_id,
            record=record,
            current=_is_current(record),
        )

    form, key = JobForm(), f"confirm-{record.id}"
    if not form.validate_on_submit():
        return render(Posted(key, form), 422) if form.is_submitted() else render()
    # The learner is told (lms.outcomes.recording.notices).
    with _refused(lambda error: render(Posted(key, form, error), 422)):
        recording.report_job(
            current_user, record.enrollment, form.details(), replaces=record, note=form.note.data
        )
    return _done(_("Thank you: the job is confirmed."), url_for("outcomes.company_placements"))


def _render_company():
    org_id = current_user.organization_id
    to_confirm = _company_records(org_id, [OutcomeSource.LEARNER])
    return render_template(
        "outcomes/company.html",
        to_confirm=to_confirm,
        confirmed=_company_records(org_id, [OutcomeSource.EMPLOYER, OutcomeSource.THIRD_PARTY]),
        briefs={r.id: _briefs_taken(r.learner_id, org_id) for r in to_confirm},
        posted=None,
        form_values=_form_values,
        labels=LABELS,
        occupations=occupations.choices(),
        occupation_names=dict(occupations.choices()),
    )


def _company_records(org_id: int | None, sources: list[OutcomeSource]) -> list[OutcomeRecord]:
    if org_id is None:
        return []
    return list(
        db.session.scalars(
            select(OutcomeRecord)
            .where(
                OutcomeRecord.employer_org_id == org_id,
                OutcomeRecord.source.in_(sources),
                recording.is_current(),
            )
            .order_by(OutcomeRecord.recorded_at.desc(), OutcomeRecord.id.desc())
        )
    )


# Trainers: graduation ------------------------------------------------------------------------


@bp.get("/cohorts/<int:cohort_id>/graduation")
@access.roles_required(Role.TRAINER, Role.ADMIN)
def graduation(cohort_id: int):
    """Each learner's intent and graduation. 403 unless trainer or admin, 404 unless a
    trainer of the cohort (or admin)."""
    return _render_graduation(_cohort(cohort_id))


@bp.post("/cohorts/<int:cohort_id>/graduation/<int:enrollment_id>")
@access.roles_required(Role.TRAINER, Role.ADMIN)
def record_graduation(cohort_id: int, enrollment_id: int):
    """Record or clear one learner's graduation. 403 unless trainer or admin, 404 unless a
    trainer of the cohort (or admin) and a learner of it."""
    cohort = _cohort(cohort_id)
    enrollment = db.session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.cohort_id != cohort.id:
        abort(404)
    form, key = GraduationForm(), f"graduation-{enrollment.id}"
    if not form.validate_on_submit():
        return _render_graduation(cohort, Posted(key, form))
    with _refused(lambda error: _render_graduation(cohort, Posted(key, form, error))):
        graduated_on = None if form.clearing else form.graduated_on.data
        recording.record_graduation(current_user, enrollment, graduated_on)
    return _done(
        _("Graduation of %(name)s saved.", name=enrollment.learner.name),
        url_for("outcomes.graduation", cohort_id=cohort.id),
    )


def _cohort(cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not access.can_read_cohort(current_user, cohort):
        abort(404)
    return cohort


def _render_graduation(cohort: Cohort, posted: Posted | None = None):
    enrollments = db.session.scalars(
        select(Enrollment)
        .join(User, User.id == Enrollment.learner_id)
        .where(Enrollment.cohort_id == cohort.id)
        .order_by(User.name, Enrollment.id)
    ).all()
    page = render_template(
        "outcomes/graduation.html", cohort=cohort, enrollments=enrollments, posted=posted
    )
    return page, (422 if posted else 200)


# Admins: third-party records -----------------------------------------------------------------


@bp.get("/enrollments/<int:enrollment_id>")
@access.roles_required(Role.ADMIN)
def enrollment(enrollment_id: int):
    """An enrolment's records and history, and the forms for what a third party documented.
    403 unless admin, 404 for no such enrolment."""
    return _render_enrollment(_admin_enrollment(enrollment_id))


@bp.post("/enrollments/<int:enrollment_id>/job")
@access.roles_required(Role.ADMIN)
def third_party_job(enrollment_id: int):
    """Record a documented job. 403 unless admin."""
    found = _admin_enrollment(enrollment_id)
    form = JobForm()
    if not form.validate_on_submit():
        return _render_enrollment(found, Posted("job", form), 422)
    with _refused(lambda error: _render_enrollment(found, Posted("job", form, error), 422)):
        recording.report_job(
            current_user,
            found,
            form.details(),
            replaces=_replaced(form.replaces.data),
            note=form.note.data or "",
        )
    return _done(_("The record is saved."), url_for("outcomes.enrollment", enrollment_id=found.id))


@bp.post("/enrollments/<int:enrollment_id>/situation")
@access.roles_required(Role.ADMIN)
def third_party_situation(enrollment_id: int):
    """Record a documented situation or exclusion. 403 unless admin."""
    found = _admin_enrollment(enrollment_id)
    form = SituationForm()
    return _situation(
        found,
        _replaced(form.replaces.data),
        "situation",
        lambda posted, status: _render_enrollment(found, posted, status),
        url_for("outcomes.enrollment", enrollment_id=found.id),
        form=form,
    )


def _admin_enrollment(enrollment_id: int) -> Enrollment:
    return db.session.get(Enrollment, enrollment_id) or abort(404)


def _replaced(record_id: int | None) -> OutcomeRecord | None:
    """The record the admin's form replaces, if one was chosen (the operation checks it is
    the enrolment's and current)."""
    return db.session.get(OutcomeRecord, record_id) if record_id is not None else None


def _render_enrollment(found: Enrollment, posted: Posted | None = None, status: int = 200):
    return _render(
        "outcomes/enrollment.html",
        found,
        status,
        posted,
        enrollment=found,
        current=recording.current_records(found),
        history=recording.history(found),
    )


# Shared --------------------------------------------------------------------------------------


def _situation(
    enrollment,
    replaces,
    key: str,
    render: Callable,
    done_url: str | None = None,
    form: SituationForm | None = None,
):
    form = form or SituationForm()
    if not form.validate_on_submit():
        return render(Posted(key, form), 422)
    with _refused(lambda error: render(Posted(key, form, error), 422)):
        recording.report_situation(
            current_user,
            enrollment,
            form.situation.data,
            form.effective_on.data,
            exclusion_reason=form.exclusion_reason.data,
            replaces=replaces,
            note=form.note.data or "",
        )
    return _done(_("Thank you: the situation is recorded."), done_url or url_for("outcomes.mine"))


def _refused(render: Callable[[str], object]):
    """A refused record: the page again, which shows the reason beside what was typed."""
    return refusal(render=render, flash=False)


def _done(message: str, url: str):
    flash(message, "success")
    return redirect(url, code=303)


def _render(
    template: str,
    about: Enrollment | None,
    status: int,
    posted: Posted | None,
    company_id: int | None = None,
    **context,
):
    """A page with the job and situation forms, their choices those of the learner in
    question, ``about`` or the signed-in learner (only one company's briefs, for a company)."""
    learner_id = about.learner_id if about else current_user.id
    page = render_template(
        template,
        posted=posted,
        form_values=_form_values,
        labels=LABELS,
        occupations=occupations.choices(),
        occupation_names=dict(occupations.choices()),
        employers=_employers(learner_id),
        briefs=_briefs_taken(learner_id, company_id),
        today=date.today(),
        **context,
    )
    return page, status


def _employers(learner_id: int) -> list[Organization]:
    """Partner companies, and the learner's training operators (a hire by the operator is
    its own category)."""
    operators = (
        select(Cohort.operator_id).join(Enrollment).where(Enrollment.learner_id == learner_id)
    )
    return list(
        db.session.scalars(
            select(Organization)
            .where(
                or_(Organization.kind == OrganizationKind.COMPANY, Organization.id.in_(operators))
            )
            .order_by(Organization.name)
        )
    )


def _briefs_taken(learner_id: int, company_id: int | None = None) -> list[ProjectBrief]:
    """Briefs offered to one of the learner's cohorts (only the company's, when given)."""
    query = (
        select(ProjectBrief)
        .join(BriefVersion, BriefVersion.brief_id == ProjectBrief.id)
        .join(ProjectOffer, ProjectOffer.version_id == BriefVersion.id)
        .join(Enrollment, Enrollment.cohort_id == ProjectOffer.cohort_id)
        .where(Enrollment.learner_id == learner_id)
        .order_by(ProjectBrief.id)
        .distinct()
    )
    if company_id is not None:
        query = query.where(ProjectBrief.company_id == company_id)
    return list(db.session.scalars(query))


def _is_current(record: OutcomeRecord) -> bool:
    return (
        db.session.scalar(
            select(OutcomeRecord.id).where(OutcomeRecord.id == record.id, recording.is_current())
        )
        is not None
    )


# What the forms show ------------------------------------------------------------------------


def _form_values(posted: Posted | None, key: str, record: OutcomeRecord | None = None):
    """What a form shows: what was typed when it was refused, else the record it corrects
    (or confirms), else nothing."""
    if posted is not None and posted.key == key:
        return posted.values
    return _record_values(record) if record is not None else {}


def _record_values(record: OutcomeRecord) -> dict[str, str]:
    def text(value) -> str:
        return "" if value is None else str(value)

    def yes_no(value: bool | None) -> str:
        return {True: "yes", False: "no"}.get(value, "")

    return {
        "employer_org_id": text(record.employer_org_id),
        "employer_name": text(record.employer_name),
        "via_brief_id": text(record.via_brief_id),
        "job_title": text(record.job_title),
        "occupation": text(record.occupation),
        "employment_status": text(record.employment_status),
        "written_contract": yes_no(record.written_contract),
        "weekly_hours": text(record.weekly_hours),
        "monthly_pay_mad": text(record.monthly_pay_mad),
        "cnss_declared": yes_no(record.cnss_declared),
        "started_on": record.effective_on.isoformat(),
        "ended_on": record.ended_on.isoformat() if record.ended_on else "",
        "founded_company": "1" if record.founded_company else "",
        "situation": text(record.situation),
        "effective_on": record.effective_on.isoformat(),
        "exclusion_reason": text(record.exclusion_reason),
    }
