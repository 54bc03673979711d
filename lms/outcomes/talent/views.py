"""The job fair's talent pool: a learner's opt-in profile and invitations; companies' search,
interest, invitations and hires. Views parse, check the role, call one operation of
:mod:`lms.outcomes.talent.operations`; the request commits, and a refusal is answered as
:func:`lms.transactions.refusal` says. What a company may see is the operations' business (a
profile that is not in the pool is a 404: :class:`~lms.outcomes.talent.operations.NotInPool`)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from lms import access, content
from lms.models import EmploymentStatus, InterestStatus, Role
from lms.outcomes.recording import occupations
from lms.outcomes.recording.operations import JobDetails
from lms.outcomes.talent import operations as talent
from lms.transactions import refusal

bp = Blueprint("talent", __name__, url_prefix="/talent")

STATUS_LABELS = {
    InterestStatus.INTERESTED: _l("interested"),
    InterestStatus.INVITED: _l("invited"),
    InterestStatus.ACCEPTED: _l("accepted"),
    InterestStatus.DECLINED: _l("declined"),
    InterestStatus.HIRED: _l("hired"),
}
EMPLOYMENT_LABELS = {
    EmploymentStatus.PERMANENT: _l("Permanent contract"),
    EmploymentStatus.FIXED_TERM: _l("Fixed-term contract"),
    EmploymentStatus.CASUAL: _l("Casual work"),
    EmploymentStatus.APPRENTICE_INTERN: _l("Apprenticeship or internship"),
    EmploymentStatus.DEPENDENT_CONTRACTOR: _l("Dependent contractor"),
    EmploymentStatus.OWN_ACCOUNT: _l("Own account (freelance)"),
}


# Learners ------------------------------------------------------------------------------------


@bp.route("/profile", methods=["GET", "POST"])
@access.roles_required(Role.LEARNER)
def profile():
    """The learner's own profile, with a preview of exactly what companies see. 403 unless
    learner; there is no 404: a learner only ever reaches their own."""
    if request.method == "POST":
        with refusal(render=lambda _message: _profile_page()):
            talent.update_profile(current_user, _profile_fields(request.form))
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("talent.profile"))
    return _profile_page()


def _profile_page() -> str:
    return render_template(
        "outcomes/talent_profile.html",
        profile=talent.profile_of(current_user),
        card=talent.preview(current_user),
    )


def _profile_fields(form: MultiDict) -> talent.ProfileFields:
    return talent.ProfileFields(
        visible=form.get("visible") == "1",
        headline=form.get("headline", ""),
        about=form.get("about", ""),
        name_display=form.get("name_display", "full"),
    )


@bp.get("/invitations")
@access.roles_required(Role.LEARNER)
def invitations():
    """The companies' invitations to the learner. 403 unless learner."""
    return render_template(
        "outcomes/talent_invitations.html",
        invitations=talent.invitations(current_user),
        visible=talent.profile_of(current_user).visible,
        labels=STATUS_LABELS,
    )


@bp.post("/invitations/<int:interest_id>")
@access.roles_required(Role.LEARNER)
def answer(interest_id: int):
    """Accept or decline an invitation. 403 unless learner; 404 unless it is the learner's."""
    back = url_for("talent.invitations")
    with refusal(back):
        interest = talent.invitation(current_user, interest_id)
        talent.respond(current_user, interest, request.form.get("answer") == "accept")
    flash(_("Your answer is sent to the company."), "success")
    return redirect(back)


# Companies -----------------------------------------------------------------------------------


@bp.get("/")
@access.roles_required(Role.COMPANY)
def pool():
    """Search the pool of visible profiles. 403 unless company."""
    filters = _search_filters(request.args)
    return render_template(
        "outcomes/talent_pool.html",
        filters=filters,
        results=talent.search(filters),
        tracks=content.current().tracks,
        regions=talent.regions(),
    )


def _search_filters(args: MultiDict) -> talent.SearchFilters:
    return talent.SearchFilters(
        track=args.get("track") or None,
        region=args.get("region") or None,
        certified_only=args.get("certified") == "1",
        skill=args.get("skill", "")[:200],
        text=args.get("q", "")[:200],
        page=args.get("page", 1, type=int) or 1,
    )


@bp.get("/learners/<int:learner_id>")
@access.roles_required(Role.COMPANY)
def learner(learner_id: int):
    """A learner's profile with the company's interest in them. 403 unless company; 404 when
    the profile is not in the pool (never made visible, withdrawn, or no such learner)."""
    return _learner_page(talent.company_view(current_user, learner_id))


def _learner_page(card: talent.TalentCard, form: MultiDict | None = None, status: int = 200):
    interest = talent.interest_of(current_user, card.learner_id)
    company = current_user.organization
    page = render_template(
        "outcomes/talent_learner.html",
        card=card,
        interest=interest,
        labels=STATUS_LABELS,
        form=form or MultiDict({"employer_name": company.name if company else ""}),
        occupations=occupations.choices(),
        employment_statuses=EMPLOYMENT_LABELS,
    )
    return page, status


@bp.post("/learners/<int:learner_id>/interest")
@access.roles_required(Role.COMPANY)
def mark_interest(learner_id: int):
    """Bookmark the learner (they are not told). 403 unless company; 404 when not in the
    pool."""
    back = url_for("talent.learner", learner_id=learner_id)
    with refusal(back):
        talent.mark_interest(current_user, learner_id)
    flash(_("Saved."), "success")
    return redirect(back)


@bp.post("/learners/<int:learner_id>/invite")
@access.roles_required(Role.COMPANY)
def invite(learner_id: int):
    """Invite the learner to an interview, with a message. 403 unless company; 404 when not in
    the pool."""
    back = url_for("talent.learner", learner_id=learner_id)
    with refusal(back):
        talent.invite(current_user, learner_id, request.form.get("message", ""))
    flash(_("Saved."), "success")
    return redirect(back)


@bp.post("/learners/<int:learner_id>/hire")
@access.roles_required(Role.COMPANY)
def hire(learner_id: int):
    """Record the hire of a learner who accepted the company's invitation. 403 unless company;
    404 when not in the pool or never invited by this company."""

    def refused(_message: str):
        # The talent pool's rules and the placement's own: the page again, with the form.
        card = talent.company_view(current_user, learner_id)
        return _learner_page(card, request.form, 400)

    with refusal(render=refused):
        talent.record_hire(current_user, learner_id, _job_details(request.form))
    flash(_("The hire is recorded in the learner's placements."), "success")
    return redirect(url_for("talent.learner", learner_id=learner_id))


def _job_details(form: MultiDict) -> JobDetails:
    try:
        status = EmploymentStatus(form.get("employment_status", ""))
        started_on = date.fromisoformat(form.get("started_on", ""))
        ended_on = date.fromisoformat(form["ended_on"]) if form.get("ended_on") else None
        weekly_hours = int(form["weekly_hours"]) if form.get("weekly_hours") else None
        pay = int(form["monthly_pay_mad"]) if form.get("monthly_pay_mad") else None
    except ValueError as exc:
        raise talent.TalentError(
            _("Check the contract, the dates (YYYY-MM-DD) and the whole numbers.")
        ) from exc
    return JobDetails(
        employer_name=form.get("employer_name", ""),
        job_title=form.get("job_title", ""),
        occupation=form.get("occupation", ""),
        employment_status=status,
        started_on=started_on,
        ended_on=ended_on,
        written_contract=_yes_no(form.get("written_contract")),
        weekly_hours=weekly_hours,
        monthly_pay_mad=pay,
        cnss_declared=_yes_no(form.get("cnss_declared")),
    )


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


@bp.get("/interests")
@access.roles_required(Role.COMPANY)
def interests():
    """The company's own interests and where each stands. 403 unless company."""
    return render_template(
        "outcomes/talent_interests.html",
        entries=talent.pipeline(current_user),
        labels=STATUS_LABELS,
    )
