"""Project pages for companies, trainers and learner teams. Views are thin: they find the
object, ask :mod:`lms.projects.access` who may see it (404 when not), call the service; the
request commits, and a refusal of the service is answered as :func:`lms.transactions.refusal`
says.
"""

from __future__ import annotations

import re
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from lms import access, content
from lms.content.markdown import render_document
from lms.extensions import db
from lms.models import (
    BriefAttachment,
    BriefVersion,
    Cohort,
    Deliverable,
    Enrollment,
    ProjectBrief,
    ProjectOffer,
    ProjectTeam,
    Review,
    ReviewStatus,
    Role,
    TeamMember,
    User,
)
from lms.projects import access as rules
from lms.projects import checks, storage
from lms.projects import operations as service
from lms.projects import rubric as rubrics
from lms.projects.archives import ArchiveLimits
from lms.projects.forms import (
    AttachmentForm,
    BriefForm,
    DeadlineForm,
    DeliverableForm,
    OfferForm,
    TeamForm,
    VersionQuery,
    rubric_review_form,
)
from lms.transactions import refusal

bp = Blueprint("projects", __name__)
TEST_FILE = re.compile(r"^(test_[\w-]+\.py|[\w-]+\.test\.js)$")


def _markdown(text: str) -> Markup:
    return Markup(render_document(text or ""))  # noqa: S704 - markdown-it escapes raw HTML


def _get(model, ident: int, allowed) -> object:
    """The object, or 404 when it does not exist or the user may not see it (not 403: a
    company must not learn which briefs other companies have)."""
    found = db.session.get(model, ident)
    if found is None or not allowed(current_user, found):
        abort(404)
    return found


def _archive_limits() -> ArchiveLimits:
    return ArchiveLimits(max_bytes=current_app.config["LMS_MAX_ARCHIVE_BYTES"])


# Companies: briefs --------------------------------------------------------------------------


@bp.get("/company/briefs")
@access.roles_required(Role.COMPANY)
def company_briefs():
    briefs = service.company_briefs(current_user.organization_id)
    return render_template("projects/company_briefs.html", briefs=briefs)


@bp.route("/company/briefs/new", methods=["GET", "POST"])
@access.roles_required(Role.COMPANY)
def new_brief():
    if current_user.organization_id is None:
        abort(403)
    return _brief_form(None)


@bp.route("/company/briefs/<int:brief_id>/edit", methods=["GET", "POST"])
@access.roles_required(Role.COMPANY, Role.ADMIN)
def edit_brief(brief_id: int):
    return _brief_form(_get(ProjectBrief, brief_id, rules.can_edit_brief))


def _brief_form(brief: ProjectBrief | None):
    form = BriefForm()
    if not form.is_submitted():
        return _render_brief_form(brief, _brief_values(brief))
    if not form.validate_on_submit():
        return _render_brief_form(brief, form), 400
    # Refused: the form again, with what was typed and the reason.
    with refusal(render=lambda _message: _render_brief_form(brief, form)):
        fields = form.fields()
        fields.check_grader, fields.check_tests = _check_suite(brief, form)
        version = service.save_brief(
            current_user,
            fields,
            brief,
            change_note=form.change_note.data or "",
            known_tracks=set(content.current().tracks),
        )
    flash(_("Brief saved (version %(n)d).", n=version.number), "success")
    return redirect(url_for("projects.brief", brief_id=version.brief_id))


def _render_brief_form(brief: ProjectBrief | None, form: BriefForm | dict) -> str:
    """The form: a brief's values (a mapping), or a refused form with what was typed."""
    return render_template(
        "projects/brief_form.html",
        brief=brief,
        form=form,
        tracks=content.current().tracks,
        locked=_locked(brief),
        check_graders=checks.CHECK_GRADERS,
    )


def _locked(brief: ProjectBrief | None) -> bool:
    return brief is not None and brief.latest.locked


def _brief_values(brief: ProjectBrief | None) -> dict:
    if brief is None:
        return {"team_size_min": 2, "team_size_max": 4, "rubric": rubrics.EXAMPLE}
    v = brief.latest
    return {
        "title": v.title,
        "track": v.track,
        "skills": ", ".join(v.skills),
        "context": v.context,
        "deliverables": v.deliverables,
        "team_size_min": v.team_size_min,
        "team_size_max": v.team_size_max,
        "starts_on": v.starts_on or "",
        "ends_on": v.ends_on or "",
        "rubric": rubrics.to_text(v.rubric),
        "check_grader": v.check_grader or "",
    }


def _check_suite(
    brief: ProjectBrief | None, form: BriefForm
) -> tuple[str | None, dict[str, str] | None]:
    """The automated check: newly uploaded test files, or the ones the brief has already."""
    grader = form.check_grader.data or None
    if grader is None:
        return None, None
    uploads = [f for f in form.check_tests.data or [] if f.filename]
    if not uploads:
        return grader, (brief.latest.check_tests if brief else None)
    tests = {}
    for upload in uploads:
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
        data = upload.read(checks.MAX_TEST_FILE_BYTES + 1)
        if len(data) > checks.MAX_TEST_FILE_BYTES or not TEST_FILE.match(name):
            raise service.ProjectError(
                _("%(name)s: test files are test_*.py or *.test.js, up to 256 KiB.", name=name)
            )
        try:
            tests[name] = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise service.ProjectError(_("%(name)s is not UTF-8 text.", name=name)) from exc
    return grader, tests


@bp.post("/company/briefs/<int:brief_id>/attachments")
@access.roles_required(Role.COMPANY, Role.ADMIN)
def attach(brief_id: int):
    brief = _get(ProjectBrief, brief_id, rules.can_edit_brief)
    back = url_for("projects.brief", brief_id=brief.id)
    form = AttachmentForm()
    if not form.validate_on_submit():
        flash(form.first_error(), "error")
        return redirect(back)
    upload = form.file.data
    with refusal(back):
        service.attach_file(brief.latest, upload.filename, upload.read(), upload.mimetype or "")
    flash(_("Attachment added."), "success")
    return redirect(back)


@bp.get("/briefs/<int:brief_id>")
@login_required
def brief(brief_id: int):
    found = db.session.get(ProjectBrief, brief_id)
    if found is None or not found.versions:
        abort(404)
    number = VersionQuery().version.data or found.latest.number
    version = next((v for v in found.versions if v.number == number), None)
    if version is None or not rules.can_read_version(current_user, version):
        abort(404)
    offers = [o for o in _all_offers(found) if rules.can_read_offer(current_user, o)]
    return render_template(
        "projects/brief.html",
        brief=found,
        version=version,
        offers=offers,
        can_edit=rules.can_edit_brief(current_user, found),
        render=_markdown,
    )


def _all_offers(brief: ProjectBrief) -> list[ProjectOffer]:
    return [offer for version in brief.versions for offer in version.offers]


@bp.get("/briefs/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    found = db.session.get(BriefAttachment, attachment_id)
    if found is None or not rules.can_read_version(current_user, found.version):
        abort(404)
    return send_file(
        storage.path_for(found.sha256),
        mimetype="application/octet-stream",  # never rendered inline: it is the company's file
        as_attachment=True,
        download_name=found.filename,
    )


# Trainers: offers and teams -----------------------------------------------------------------


@bp.route("/trainer/cohorts/<int:cohort_id>/projects", methods=["GET", "POST"])
@access.roles_required(Role.TRAINER, Role.ADMIN, Role.AUDITOR)
def cohort_projects(cohort_id: int):
    cohort = _get(Cohort, cohort_id, access.can_read_cohort)
    if request.method == "POST":
        if current_user.role == Role.AUDITOR:
            abort(403)
        back = url_for("projects.cohort_projects", cohort_id=cohort.id)
        form = OfferForm()
        if not form.validate_on_submit():
            flash(form.first_error(), "error")
            return redirect(back)
        with refusal(back):
            _offer(cohort, form)
        flash(_("The brief is offered to the cohort."), "success")
        return redirect(back)
    return render_template(
        "projects/cohort_projects.html",
        cohort=cohort,
        offers=service.cohort_offers([cohort.id]),
        versions=service.offerable_versions(cohort.track),
        today=date.today().isoformat(),
    )


def _offer(cohort: Cohort, form: OfferForm) -> None:
    version = db.session.get(BriefVersion, form.version_id.data)
    if version is None:
        raise service.ProjectError(_("Choose a brief."))
    service.offer(
        current_user,
        cohort,
        version,
        form.deadline.data,
        form.team_size_max.data,
        learners_form_teams=form.learners_form_teams.data,
    )


@bp.get("/projects/offers/<int:offer_id>")
@login_required
def offer(offer_id: int):
    found = _get(ProjectOffer, offer_id, rules.can_read_offer)
    my_team = service.team_of(found, current_user) if current_user.role == Role.LEARNER else None
    placed = {m.learner_id for team in found.teams for m in team.members}
    unplaced = [e.learner for e in found.cohort.enrollments if e.learner_id not in placed]
    return render_template(
        "projects/offer.html",
        offer=found,
        version=found.version,
        my_team=my_team,
        unplaced=sorted(unplaced, key=lambda u: u.name),
        can_manage=rules.can_manage_offer(current_user, found),
        teams=[t for t in found.teams if rules.can_read_team(current_user, t)],
        render=_markdown,
    )


@bp.post("/projects/offers/<int:offer_id>/deadline")
@login_required
def set_deadline(offer_id: int):
    found = _get(ProjectOffer, offer_id, rules.can_read_offer)
    if not rules.can_manage_offer(current_user, found):
        abort(403)
    back = url_for("projects.offer", offer_id=found.id)
    form = DeadlineForm()
    if not form.validate_on_submit():
        flash(form.first_error(), "error")
        return redirect(back)
    deadline = form.deadline.data
    with refusal(back):
        service.set_deadline(found, deadline)
    flash(_("Deadline moved to %(d)s.", d=deadline.isoformat()), "success")
    return redirect(back)


@bp.post("/projects/offers/<int:offer_id>/teams")
@login_required
def create_team(offer_id: int):
    found = _get(ProjectOffer, offer_id, rules.can_read_offer)
    form = TeamForm()
    if rules.can_manage_offer(current_user, found):
        learners = [db.session.get(User, i) for i in form.learner_ids.data]
        learners = [u for u in learners if u is not None]
    elif current_user.role == Role.LEARNER and found.learners_form_teams:
        learners = [current_user]
    else:
        abort(403)
    back = url_for("projects.offer", offer_id=found.id)
    if not form.validate_on_submit():
        flash(form.first_error(), "error")
        return redirect(back)
    with refusal(back):
        team = service.create_team(found, form.name.data or "", learners)
    flash(_("Team %(name)s created.", name=team.name), "success")
    return redirect(back)


@bp.post("/projects/teams/<int:team_id>/join")
@access.roles_required(Role.LEARNER)
def join_team(team_id: int):
    team = db.session.get(ProjectTeam, team_id)
    if team is None or not rules.can_read_offer(current_user, team.offer):
        abort(404)
    back = url_for("projects.offer", offer_id=team.offer_id)
    with refusal(back):
        service.join_team(team, current_user)
    flash(_("You joined %(name)s.", name=team.name), "success")
    return redirect(back)


@bp.post("/projects/teams/<int:team_id>/leave")
@access.roles_required(Role.LEARNER)
def leave_team(team_id: int):
    team = _get(ProjectTeam, team_id, rules.can_read_team)
    back = url_for("projects.offer", offer_id=team.offer_id)
    with refusal(back):
        service.leave_team(team, current_user)
    flash(_("You left the team."), "success")
    return redirect(back)


# Teams: deliverables --------------------------------------------------------------------------


@bp.get("/projects/teams/<int:team_id>")
@login_required
def team(team_id: int):
    found = _get(ProjectTeam, team_id, rules.can_read_team)
    is_company = rules.can_review(current_user, found)
    reviews = [
        r for r in found.reviews if r.submitted or (is_company and r.reviewer_id == current_user.id)
    ]
    return render_template(
        "projects/team.html",
        team=found,
        offer=found.offer,
        version=found.offer.version,
        reviews=reviews,
        final=service.current_final(found),
        open_until=service.open_until(found),
        can_submit=rules.is_member(current_user, found),
        can_review=is_company,
        max_archive_mb=current_app.config["LMS_MAX_ARCHIVE_BYTES"] // 2**20,
        render=_markdown,
    )


@bp.post("/projects/teams/<int:team_id>/deliverables")
@access.roles_required(Role.LEARNER)
def submit_deliverable(team_id: int):
    # The body's size cap for this endpoint is raised in lms.projects.init_app.
    found = _get(ProjectTeam, team_id, rules.can_read_team)
    if not rules.is_member(current_user, found):
        abort(404)
    back = url_for("projects.team", team_id=found.id)
    form = DeliverableForm()
    if not form.validate_on_submit():
        flash(_not_handed_in(form.first_error()), "error")
        return redirect(back, 303)
    upload = form.archive.data
    archive = service.Upload(upload.filename, upload.stream) if upload and upload.filename else None
    with refusal(back, flash=_not_handed_in, code=303):
        deliverable = service.submit_deliverable(
            found,
            current_user,
            repo_url=form.repo_url.data or "",
            commit=form.commit.data or "",
            archive=archive,
            report=form.report.data or "",
            limits=_archive_limits(),
        )
    flash(_("Version %(n)d handed in.", n=deliverable.number), "success")
    return redirect(back, 303)


def _not_handed_in(reason: str) -> str:
    return _("Not handed in: %(reason)s", reason=reason)


@bp.get("/projects/deliverables/<int:deliverable_id>/archive")
@login_required
def archive(deliverable_id: int):
    found = db.session.get(Deliverable, deliverable_id)
    if (
        found is None
        or not found.archive_sha256
        or not rules.can_read_team(current_user, found.team)
    ):
        abort(404)
    return send_file(
        storage.path_for(found.archive_sha256),
        mimetype="application/zip",
        as_attachment=True,
        download_name=found.archive_name or f"{found.archive_sha256}.zip",
    )


# Companies: reviews ---------------------------------------------------------------------------


@bp.get("/projects/teams/<int:team_id>/review")
@access.roles_required(Role.COMPANY)
def review_form(team_id: int):
    found = _get(ProjectTeam, team_id, rules.can_review)
    deliverable = service.latest_deliverable(found)
    if deliverable is None:
        flash(_("The team has not handed in anything yet."), "error")
        return redirect(url_for("projects.team", team_id=found.id))
    return render_template(
        "projects/review.html",
        team=found,
        version=found.offer.version,
        deliverable=deliverable,
        draft=service.draft_of(found, current_user),
        final=service.current_final(found),
        revision_asked=any(r.status == ReviewStatus.REVISION for r in found.reviews),
        # When the server last stored this reviewer's work here, submitted or not: a copy the
        # browser kept from before then is not restored (review.js).
        saved_at=max(
            (r.updated_at for r in found.reviews if r.reviewer_id == current_user.id), default=None
        ),
    )


def _review_input(team: ProjectTeam) -> tuple[dict, dict, str, str, str]:
    """Levels, comments, overall comment, decision and reason for superseding: from the
    editor's JSON as it saves, or from the form (:func:`lms.projects.forms.rubric_review_form`)."""
    if request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            abort(400, description='expected JSON {"levels", "comments", "overall"}')
        levels, comments = data.get("levels") or {}, data.get("comments") or {}
        return levels, comments, data.get("overall") or "", "", ""
    form = rubric_review_form(team.offer.version.rubric)
    form.validate_on_submit()  # nothing in a review is refused by its shape: the CSRF token
    return (
        form.levels(),
        form.comments(),
        form.overall.data or "",
        form.decision.data or "",
        form.supersede_reason.data or "",
    )


@bp.post("/projects/teams/<int:team_id>/review/draft")
@access.roles_required(Role.COMPANY)
def save_review_draft(team_id: int):
    """Saved as the reviewer types (and by the form's "save draft" button)."""
    found = _get(ProjectTeam, team_id, rules.can_review)
    levels, comments, overall, _decision, _reason = _review_input(found)
    with refusal(render=lambda message: (jsonify(error=message), 400), flash=False):
        review = service.save_draft(found, current_user, levels, comments, overall)
    if request.is_json:
        return jsonify(saved_at=review.updated_at.isoformat() + "Z", id=review.id)
    flash(_("Draft saved."), "success")
    return redirect(url_for("projects.review_form", team_id=found.id))


@bp.post("/projects/teams/<int:team_id>/review")
@access.roles_required(Role.COMPANY)
def submit_review(team_id: int):
    found = _get(ProjectTeam, team_id, rules.can_review)
    levels, comments, overall, decision, reason = _review_input(found)
    # Refused, what was typed is not lost: submit_review saved it as the reviewer's draft
    # before it checked anything, and that draft is kept.
    with refusal(url_for("projects.review_form", team_id=found.id), keep=True):
        service.submit_review(
            found, current_user, decision, levels, comments, overall, supersede_reason=reason
        )
    flash(_("Review submitted and signed."), "success")
    return redirect(url_for("projects.team", team_id=found.id))


# Learners ---------------------------------------------------------------------------------------


@bp.get("/projects")
@login_required
def my_projects():
    """A learner's offered projects and teams; other roles are sent where their work is."""
    if current_user.role == Role.COMPANY:
        return redirect(url_for("projects.company_briefs"))
    if current_user.role != Role.LEARNER:
        return redirect(url_for("trainer.cohorts"))
    cohort_ids = [e.cohort_id for e in _enrollments(current_user)]
    offers = service.cohort_offers(cohort_ids)
    teams = {o.id: service.team_of(o, current_user) for o in offers}
    return render_template("projects/mine.html", offers=offers, teams=teams)


def _enrollments(user: User):
    return db.session.scalars(select(Enrollment).where(Enrollment.learner_id == user.id))


@bp.get("/learners/<int:learner_id>/profile")
@login_required
def profile(learner_id: int):
    learner = db.session.get(User, learner_id)
    if learner is None or learner.role != Role.LEARNER or not _can_see_profile(learner):
        abort(404)
    query = rules.visible_reviews(current_user, service.final_reviews())
    reviews = []
    if query is not None:
        member_teams = select(TeamMember.team_id).where(TeamMember.learner_id == learner.id)
        reviews = list(
            db.session.scalars(query.where(Review.team_id.in_(member_teams)).order_by(Review.id))
        )
    return render_template(
        "projects/profile.html",
        learner=learner,
        results=[service.result_entry(r) for r in reviews],
    )


def _can_see_profile(learner: User) -> bool:
    if current_user.id == learner.id or current_user.role in access.READ_ALL:
        return True
    if current_user.role == Role.TRAINER:
        cohorts = access.trainer_cohorts(current_user)
        return any(e.learner_id == learner.id for c in cohorts for e in c.enrollments)
    return False
