"""The job fair's talent pool: a learner's opt-in profile and invitations; companies' search,
interest, invitations and hires. Views parse, check the role, call one operation of
:mod:`lms.outcomes.talent.operations`; the request commits, and a refusal is answered as
:func:`lms.transactions.refusal` says. What a company may see is the operations' business (a
profile that is not in the pool is a 404: :class:`~lms.outcomes.talent.operations.NotInPool`)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms import access, content
from lms.models import EmploymentStatus, InterestStatus, Role
from lms.outcomes.recording import occupations
from lms.outcomes.talent import operations as talent
from lms.outcomes.talent.forms import AnswerForm, InviteForm, JobForm, ProfileForm, SearchForm
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
    learner; there is no 404: a learner only ever reaches their own. 400 with the form again
    when it cannot be read."""
    form = ProfileForm()
    if not form.validate_on_submit():
        return _profile_page(form if form.is_submitted() else None)
    with refusal(render=lambda _message: _profile_page(form, 200)):
        talent.update_profile(current_user, form.fields())
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("talent.profile"))


def _profile_page(typed: ProfileForm | None = None, status: int = 400):
    """The page; ``typed``, a form that came back refused, shows what was typed."""
    page = render_template(
        "outcomes/talent_profile.html",
        profile=talent.profile_of(current_user),
        card=talent.preview(current_user),
        typed=typed,
    )
    return page, (status if typed is not None else 200)


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
    form = AnswerForm()
    with refusal(back):
        interest = talent.invitation(current_user, interest_id)
        if not form.validate_on_submit():
            flash(form.first_error(), "error")
            return redirect(back)
        talent.respond(current_user, interest, form.answer.data == "accept")
    flash(_("Your answer is sent to the company."), "success")
    return redirect(back)


# Companies -----------------------------------------------------------------------------------


@bp.get("/")
@access.roles_required(Role.COMPANY)
def pool():
    """Search the pool of visible profiles. 403 unless company."""
    filters = SearchForm().filters()
    return render_template(
        "outcomes/talent_pool.html",
        filters=filters,
        results=talent.search(filters),
        tracks=content.current().tracks,
        regions=talent.regions(),
    )


@bp.get("/learners/<int:learner_id>")
@access.roles_required(Role.COMPANY)
def learner(learner_id: int):
    """A learner's profile with the company's interest in them. 403 unless company; 404 when
    the profile is not in the pool (never made visible, withdrawn, or no such learner)."""
    return _learner_page(talent.company_view(current_user, learner_id))


def _learner_page(card: talent.TalentCard, form: JobForm | None = None, status: int = 200):
    interest = talent.interest_of(current_user, card.learner_id)
    company = current_user.organization
    page = render_template(
        "outcomes/talent_learner.html",
        card=card,
        interest=interest,
        labels=STATUS_LABELS,
        form=form or {"employer_name": company.name if company else ""},
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
    form = InviteForm()
    with refusal(back):
        talent.company_view(current_user, learner_id)  # 404 first, when not in the pool
        if not form.validate_on_submit():
            flash(form.first_error(), "error")
            return redirect(back)
        talent.invite(current_user, learner_id, form.message.data)
    flash(_("Saved."), "success")
    return redirect(back)


@bp.post("/learners/<int:learner_id>/hire")
@access.roles_required(Role.COMPANY)
def hire(learner_id: int):
    """Record the hire of a learner who accepted the company's invitation. 403 unless company;
    404 when not in the pool or never invited by this company. 400 with the form again, what
    was typed kept, when it cannot be read or the hire is refused."""
    card = talent.company_view(current_user, learner_id)
    if talent.interest_of(current_user, card.learner_id) is None:
        abort(404)  # before the form is read: a stranger learns nothing from its messages
    form = JobForm()
    if not form.validate_on_submit():
        return _learner_page(card, form, 400)
    # The talent pool's rules and the placement's own: the page again, with the form.
    with refusal(render=lambda _message: _learner_page(card, form, 400)):
        talent.record_hire(current_user, learner_id, form.details())
    flash(_("The hire is recorded in the learner's placements."), "success")
    return redirect(url_for("talent.learner", learner_id=learner_id))


@bp.get("/interests")
@access.roles_required(Role.COMPANY)
def interests():
    """The company's own interests and where each stands. 403 unless company."""
    return render_template(
        "outcomes/talent_interests.html",
        entries=talent.pipeline(current_user),
        labels=STATUS_LABELS,
    )
