"""The job fair's talent pool: a learner's opt-in profile, what partner companies see of it,
their search, and an interest's way from a bookmark to a hire.

Privacy:

- A profile is hidden until the learner makes it visible. A hidden profile (never shown, or
  withdrawn later) does not exist for companies: it is absent from search, its page is a
  404, every action on it is refused as not found, and a company's list of interests shows
  "profile withdrawn" in its place, without the name. The same holds for deactivated
  accounts.
- Companies see the learner's name (in full or as initials, the learner's choice), headline,
  about, tracks, region, issued certificates (never pending or revoked ones) with their public
  verification links, final project results with the company's score and comments, and the
  skills the curriculum gives: the titles of the modules whose every exercise the learner
  passed (full marks, as the progress pages count it). Teammates' names are not shown.
- The e-mail address is shown to one company only after the learner accepted that company's
  invitation (and while the profile is visible). A company sees only its own interests.

How an interest moves (one per company and learner):

- (none) -> interested: the company bookmarks the learner; the learner is not told.
  Marking interest again changes nothing.
- (none) or interested -> invited: with a message (date, place, role), told to the learner.
- invited -> accepted or declined: the learner answers; the company's users are told.
- accepted -> declined: the learner may withdraw an acceptance until hired; the e-mail is
  hidden again.
- accepted -> hired: the company records the job (an employer-documented placement, via the
  talent pool) and the learner is told.
- declined and hired are final: a company is not allowed to invite a learner who said no a
  second time, and a hire is recorded once (later changes go through the placement's own
  corrections).
- Accepting needs a visible profile (accepting reveals the e-mail to a company that cannot
  see the profile otherwise); declining is always possible.

Operations flush; callers commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    and_,
    distinct,
    exists,
    false,
    func,
    or_,
    select,
)

from lms import content
from lms.certification.verification import operations as verification
from lms.content.model import Content, Module
from lms.extensions import db
from lms.learning import track_progress
from lms.models import (
    Certificate,
    CertificateStatus,
    Cohort,
    Enrollment,
    InterestStatus,
    Review,
    Role,
    Submission,
    SubmissionStatus,
    TalentInterest,
    TalentProfile,
    TeamMember,
    User,
)
from lms.notifications import company_users, notify_each, site_path
from lms.outcomes.recording import operations as recording
from lms.outcomes.recording.operations import JobDetails, OutcomeError
from lms.projects import operations as projects
from lms.submissions.operations import best_scores

MAX_HEADLINE = 200
MAX_ABOUT = 2_000
MAX_MESSAGE = 2_000
NAME_DISPLAYS = ("full", "initials")
PAGE_SIZE = 20

#: Statuses in which a company may read the learner's e-mail address.
EMAIL_REVEALED = (InterestStatus.ACCEPTED, InterestStatus.HIRED)


class TalentError(OutcomeError):
    """Something the talent pool's rules do not allow, with a message for the person."""


class NotInPool(TalentError):
    """No such learner, or one whose profile companies may not see: views answer 404."""

    status_code = 404


# What companies see ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateLink:
    track: str
    issued_on: date | None
    #: The public verification page, which anyone can check.
    url: str


@dataclass(frozen=True)
class CriterionResult:
    name: str
    level: str
    comment: str


@dataclass(frozen=True)
class ProjectResult:
    brief: str
    company: str
    score: float
    max_score: float
    overall_comment: str
    criteria: tuple[CriterionResult, ...]
    reviewed_on: date


@dataclass(frozen=True)
class TalentCard:
    """A learner as a partner company sees them in the pool."""

    learner_id: int
    name: str
    headline: str
    #: Markdown, rendered by the template with raw HTML escaped.
    about: str
    tracks: tuple[str, ...]
    region: str | None
    certificates: tuple[CertificateLink, ...]
    projects: tuple[ProjectResult, ...]
    skills: tuple[str, ...]
    #: Only for a company whose invitation the learner accepted.
    email: str | None = None


@dataclass(frozen=True)
class ProfileFields:
    visible: bool
    headline: str
    about: str
    name_display: str


def profile_of(learner: User) -> TalentProfile:
    """The learner's profile, or an unsaved hidden one when they never saved theirs."""
    found = db.session.scalar(select(TalentProfile).where(TalentProfile.learner_id == learner.id))
    if found is not None:
        return found
    return TalentProfile(
        learner_id=learner.id, visible=False, headline="", about="", name_display="full"
    )


def update_profile(learner: User, fields: ProfileFields) -> TalentProfile:
    if learner.role != Role.LEARNER:
        raise TalentError(_l("Only learners have a job fair profile."))
    headline, about = fields.headline.strip(), fields.about.strip()
    if len(headline) > MAX_HEADLINE:
        raise TalentError(_l("The headline is too long (200 characters at most)."))
    if len(about) > MAX_ABOUT:
        raise TalentError(_l("The presentation is too long (2,000 characters at most)."))
    if fields.name_display not in NAME_DISPLAYS:
        raise TalentError(_l("Choose how your name shows: in full or as initials."))
    profile = profile_of(learner)
    profile.visible = fields.visible
    profile.headline = headline
    profile.about = about
    profile.name_display = fields.name_display
    db.session.add(profile)
    db.session.flush()
    return profile


def preview(learner: User) -> TalentCard:
    """Exactly what a company sees of the learner, before any invitation is accepted."""
    return _card(learner, profile_of(learner))


def company_view(company_user: User, learner_id: int) -> TalentCard:
    """The learner as ``company_user``'s company sees them; NotInPool when hidden."""
    learner, profile = _in_pool(learner_id)
    interest = interest_of(company_user, learner.id)
    revealed = interest is not None and interest.status in EMAIL_REVEALED
    return _card(learner, profile, email=learner.email if revealed else None)


def display_name(name: str, mode: str) -> str:
    """The name as the learner chose to show it, like public certificate pages do."""
    if mode == "initials":
        return " ".join(f"{part[0]}." for part in name.split() if part)
    return name


def _card(learner: User, profile: TalentProfile, email: str | None = None) -> TalentCard:
    enrollments = _enrollments(learner.id)
    tracks = list(dict.fromkeys(e.cohort.track for e in enrollments))
    loaded = content.current()
    return TalentCard(
        learner_id=learner.id,
        name=display_name(learner.name, profile.name_display),
        headline=profile.headline,
        about=profile.about,
        tracks=tuple(_track_title(loaded, slug) for slug in tracks),
        region=enrollments[0].cohort.region if enrollments else None,
        certificates=_certificates(learner.id, loaded),
        projects=_project_results(learner.id),
        skills=skills(learner, tracks),
        email=email,
    )


def _enrollments(learner_id: int) -> list[Enrollment]:
    """Newest cohort first, as :func:`recording.latest_enrollment` orders them."""
    return list(
        db.session.scalars(
            select(Enrollment)
            .join(Cohort)
            .where(Enrollment.learner_id == learner_id)
            .order_by(Cohort.ends_on.desc(), Enrollment.id.desc())
        )
    )


def _track_title(loaded: Content, slug: str) -> str:
    track = loaded.tracks.get(slug)
    return track.title if track else slug


def _certificates(learner_id: int, loaded: Content) -> tuple[CertificateLink, ...]:
    issued = db.session.scalars(
        select(Certificate)
        .where(Certificate.learner_id == learner_id, Certificate.status == CertificateStatus.ISSUED)
        .order_by(Certificate.issued_at, Certificate.id)
    )
    return tuple(
        CertificateLink(
            _track_title(loaded, c.track),
            c.issued_at.date() if c.issued_at else None,
            verification.verify_url(c),
        )
        for c in issued
    )


def _project_results(learner_id: int) -> tuple[ProjectResult, ...]:
    teams = select(TeamMember.team_id).where(TeamMember.learner_id == learner_id)
    reviews = db.session.scalars(
        projects.final_reviews().where(Review.team_id.in_(teams)).order_by(Review.submitted_at)
    )
    return tuple(_project_result(review) for review in reviews)


def _project_result(review: Review) -> ProjectResult:
    # result_entry maps rubric levels to labels; teammates' names in it are left out.
    entry = projects.result_entry(review)
    return ProjectResult(
        brief=entry["brief"],
        company=entry["company"],
        score=entry["score"],
        max_score=entry["max_score"],
        overall_comment=entry["overall_comment"],
        criteria=tuple(
            CriterionResult(c["name"], c["level"], c["comment"]) for c in entry["criteria"]
        ),
        reviewed_on=review.submitted_at.date(),
    )


# Skills ----------------------------------------------------------------------------------------


def skills(learner: User, tracks: Iterable[str]) -> tuple[str, ...]:
    """Titles of the modules of the learner's tracks whose every exercise they passed."""
    loaded = content.current()
    best = best_scores(learner.id)
    found: list[str] = []
    for slug in tracks:
        track = loaded.tracks.get(slug)
        if track is None:
            continue
        done = {e.exercise_id for e in track_progress(loaded, track, best).exercises if e.done}
        found += [
            module.title
            for module in track.modules
            if (ids := module_exercises(loaded, module)) and set(ids) <= done
        ]
    return tuple(found)


def module_exercises(loaded: Content, module: Module) -> list[str]:
    return [ex for lesson in module.lessons for ex in lesson.exercises if ex in loaded.exercises]


def _has_skill(text: str) -> ColumnElement[bool]:
    """SQL: the profile's learner has a skill whose title contains ``text``. Module titles
    live in the content, not the database, so the matching modules are found here and the
    condition names their exercises; "passed" is the progress pages' rule (full marks)."""
    loaded = content.current()
    needle = text.casefold()
    conditions = [
        _passed_module(loaded, track.slug, ids)
        for track in loaded.tracks.values()
        for module in track.modules
        if needle in module.title.casefold() and (ids := module_exercises(loaded, module))
    ]
    return or_(*conditions) if conditions else false()


def _passed_module(loaded: Content, track: str, exercise_ids: list[str]) -> ColumnElement[bool]:
    passed = or_(
        *(
            and_(Submission.exercise_id == ex, Submission.score >= loaded.exercises[ex].max_score)
            for ex in exercise_ids
        )
    )
    passed_count = (
        select(func.count(distinct(Submission.exercise_id)))
        .where(
            Submission.learner_id == TalentProfile.learner_id,
            Submission.status == SubmissionStatus.GRADED,
            passed,
        )
        .scalar_subquery()
    )
    enrolled = exists().where(
        Enrollment.learner_id == TalentProfile.learner_id,
        Enrollment.cohort_id == Cohort.id,
        Cohort.track == track,
    )
    return and_(enrolled, passed_count == len(exercise_ids))


# Search ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchFilters:
    #: A track slug.
    track: str | None = None
    #: Region of the learner's latest cohort.
    region: str | None = None
    certified_only: bool = False
    #: Part of a skill's (a module's) title.
    skill: str = ""
    #: Part of the headline, the presentation, or the name when shown in full.
    text: str = ""
    page: int = 1


@dataclass(frozen=True)
class PoolEntry:
    learner_id: int
    name: str
    headline: str
    tracks: tuple[str, ...]
    region: str | None
    certified: bool


@dataclass(frozen=True)
class SearchPage:
    entries: tuple[PoolEntry, ...]
    page: int
    pages: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def search(filters: SearchFilters) -> SearchPage:
    """Visible profiles matching every filter given, most recently updated first."""
    conditions = [_in_pool_condition(), *_filter_conditions(filters)]
    base = select(TalentProfile, User).join(User, User.id == TalentProfile.learner_id)
    total = db.session.scalar(
        select(func.count(TalentProfile.id))
        .join(User, User.id == TalentProfile.learner_id)
        .where(*conditions)
    )
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, filters.page), pages)
    rows = db.session.execute(
        base.where(*conditions)
        .order_by(TalentProfile.updated_at.desc(), TalentProfile.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return SearchPage(_entries(rows), page, pages, total)


def _in_pool_condition() -> ColumnElement[bool]:
    return and_(TalentProfile.visible.is_(True), User.active.is_(True), User.role == Role.LEARNER)


def _filter_conditions(filters: SearchFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.track:
        conditions.append(
            exists().where(
                Enrollment.learner_id == TalentProfile.learner_id,
                Enrollment.cohort_id == Cohort.id,
                Cohort.track == filters.track,
            )
        )
    if filters.region:
        conditions.append(_latest_region() == filters.region)
    if filters.certified_only:
        conditions.append(_certified())
    if filters.skill.strip():
        conditions.append(_has_skill(filters.skill.strip()))
    if filters.text.strip():
        conditions.append(_mentions(filters.text.strip()))
    return conditions


def _latest_region():
    return (
        select(Cohort.region)
        .join(Enrollment, Enrollment.cohort_id == Cohort.id)
        .where(Enrollment.learner_id == TalentProfile.learner_id)
        .order_by(Cohort.ends_on.desc(), Enrollment.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _certified() -> ColumnElement[bool]:
    return exists().where(
        Certificate.learner_id == TalentProfile.learner_id,
        Certificate.status == CertificateStatus.ISSUED,
    )


def _mentions(text: str) -> ColumnElement[bool]:
    # A name shown as initials is not searchable: searching it would reveal it.
    return or_(
        TalentProfile.headline.icontains(text, autoescape=True),
        TalentProfile.about.icontains(text, autoescape=True),
        and_(TalentProfile.name_display == "full", User.name.icontains(text, autoescape=True)),
    )


def _entries(rows: Sequence) -> tuple[PoolEntry, ...]:
    ids = [user.id for _profile, user in rows]
    cohorts = db.session.execute(
        select(Enrollment.learner_id, Cohort.track, Cohort.region)
        .join(Cohort)
        .where(Enrollment.learner_id.in_(ids))
        .order_by(Cohort.ends_on.desc(), Enrollment.id.desc())
    ).all()
    certified = set(
        db.session.scalars(
            select(Certificate.learner_id).where(
                Certificate.learner_id.in_(ids), Certificate.status == CertificateStatus.ISSUED
            )
        )
    )
    loaded = content.current()
    entries = []
    for profile, user in rows:
        mine = [(track, region) for learner_id, track, region in cohorts if learner_id == user.id]
        entries.append(
            PoolEntry(
                learner_id=user.id,
                name=display_name(user.name, profile.name_display),
                headline=profile.headline,
                tracks=tuple(_track_title(loaded, t) for t in dict.fromkeys(t for t, _r in mine)),
                region=mine[0][1] if mine else None,
                certified=user.id in certified,
            )
        )
    return tuple(entries)


def regions() -> list[str]:
    """Regions of every cohort, for the search form."""
    return list(db.session.scalars(select(Cohort.region).distinct().order_by(Cohort.region)))


# Interests -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineEntry:
    """One of the company's interests; ``name`` is None once the profile is withdrawn."""

    interest: TalentInterest
    name: str | None
    email: str | None

    @property
    def withdrawn(self) -> bool:
        return self.name is None


def interest_of(company_user: User, learner_id: int) -> TalentInterest | None:
    """The company's own interest in the learner, if any (never another company's)."""
    if company_user.organization_id is None:
        return None
    return db.session.scalar(
        select(TalentInterest).where(
            TalentInterest.company_id == company_user.organization_id,
            TalentInterest.learner_id == learner_id,
        )
    )


def mark_interest(company_user: User, learner_id: int) -> TalentInterest:
    learner, _profile = _in_pool(learner_id)
    interest = interest_of(company_user, learner.id)
    if interest is not None:
        return interest
    interest = TalentInterest(
        company_id=_company_id(company_user),
        learner_id=learner.id,
        status=InterestStatus.INTERESTED,
        message="",
        created_by_id=company_user.id,
    )
    db.session.add(interest)
    db.session.flush()
    return interest


def invite(company_user: User, learner_id: int, message: str) -> TalentInterest:
    message = message.strip()
    if not message:
        raise TalentError(_l("Say when, where and for which role you invite the learner."))
    if len(message) > MAX_MESSAGE:
        raise TalentError(_l("The invitation is too long (2,000 characters at most)."))
    interest = mark_interest(company_user, learner_id)
    if interest.status == InterestStatus.DECLINED:
        raise TalentError(_l("This learner declined your invitation; they cannot be asked again."))
    if interest.status != InterestStatus.INTERESTED:
        raise TalentError(_l("This learner was already invited."))
    interest.status = InterestStatus.INVITED
    interest.message = message
    db.session.flush()
    notify_each(
        [interest.learner],
        "talent_invitation",
        lambda: _("%(company)s invites you to an interview", company=interest.company.name),
        lambda: message,
        site_path("talent.invitations"),
    )
    return interest


def respond(learner: User, interest: TalentInterest, accept: bool) -> TalentInterest:
    """The learner accepts or declines an invitation (or withdraws an acceptance)."""
    if interest.learner_id != learner.id:
        raise NotInPool(_l("This invitation is not yours."))
    if accept:
        _accept(learner, interest)
    else:
        _decline(interest)
    db.session.flush()
    _tell_company(learner, interest)
    return interest


def _tell_company(learner: User, interest: TalentInterest) -> None:
    # The company learns the name as the learner shows it, and the e-mail only on acceptance.
    name = display_name(learner.name, profile_of(learner).name_display)
    accepted = interest.status == InterestStatus.ACCEPTED

    def subject() -> str:
        if accepted:
            return _("%(name)s accepted your invitation", name=name)
        return _("%(name)s declined your invitation", name=name)

    def body() -> str:
        if accepted:
            return _(
                "%(name)s accepted your invitation. You can write to them at %(email)s.",
                name=name,
                email=learner.email,
            )
        return _("%(name)s declined your invitation.", name=name)

    notify_each(
        company_users(interest.company_id),
        f"talent_{interest.status}",
        subject,
        body,
        site_path("talent.interests"),
    )


def _accept(learner: User, interest: TalentInterest) -> None:
    if interest.status != InterestStatus.INVITED:
        raise TalentError(_l("Only an open invitation can be accepted."))
    if not profile_of(learner).visible:
        raise TalentError(_l("Make your profile visible to accept an invitation."))
    interest.status = InterestStatus.ACCEPTED


def _decline(interest: TalentInterest) -> None:
    if interest.status not in (InterestStatus.INVITED, InterestStatus.ACCEPTED):
        raise TalentError(_l("Only an open or accepted invitation can be declined."))
    interest.status = InterestStatus.DECLINED


def record_hire(
    company_user: User, learner_id: int, job: JobDetails, *, today: date | None = None
) -> TalentInterest:
    """Record that the company hired a learner who accepted its invitation: a placement the
    employer documents, counted as coming through the talent pool."""
    learner, _profile = _in_pool(learner_id)
    interest = interest_of(company_user, learner.id)
    if interest is None:
        raise NotInPool(_l("Your company has not invited this learner."))
    if interest.status != InterestStatus.ACCEPTED:
        raise TalentError(_l("A hire is recorded after the learner accepted your invitation."))
    enrollment = recording.latest_enrollment(learner)
    if enrollment is None:
        raise TalentError(_l("This learner is enrolled in no cohort."))
    record = recording.report_job(company_user, enrollment, job, via_talent_pool=True, today=today)
    interest.placement_id = record.id
    interest.status = InterestStatus.HIRED
    db.session.flush()
    notify_each(
        [learner],
        "talent_hired",
        lambda: _("%(company)s recorded your hire", company=interest.company.name),
        lambda: _(
            "%(company)s recorded that you work there as %(title)s from %(date)s. It is now in "
            "your placement record.",
            company=interest.company.name,
            title=record.job_title,
            date=record.effective_on.isoformat(),
        ),
        site_path("talent.invitations"),
    )
    return interest


def pipeline(company_user: User) -> list[PipelineEntry]:
    """The company's interests, newest change first; withdrawn profiles without a name."""
    if company_user.organization_id is None:
        return []
    rows = db.session.execute(
        select(TalentInterest, TalentProfile, User)
        .join(User, User.id == TalentInterest.learner_id)
        .outerjoin(TalentProfile, TalentProfile.learner_id == TalentInterest.learner_id)
        .where(TalentInterest.company_id == company_user.organization_id)
        .order_by(TalentInterest.updated_at.desc(), TalentInterest.id.desc())
    ).all()
    return [_pipeline_entry(interest, profile, user) for interest, profile, user in rows]


def _pipeline_entry(
    interest: TalentInterest, profile: TalentProfile | None, user: User
) -> PipelineEntry:
    if profile is None or not profile.visible or not user.active:
        return PipelineEntry(interest, None, None)
    revealed = interest.status in EMAIL_REVEALED
    return PipelineEntry(
        interest, display_name(user.name, profile.name_display), user.email if revealed else None
    )


def invitations(learner: User) -> list[TalentInterest]:
    """Invitations the learner received (a company's bare interest is not shown)."""
    return list(
        db.session.scalars(
            select(TalentInterest)
            .where(
                TalentInterest.learner_id == learner.id,
                TalentInterest.status != InterestStatus.INTERESTED,
            )
            .order_by(TalentInterest.updated_at.desc(), TalentInterest.id.desc())
        )
    )


def invitation(learner: User, interest_id: int) -> TalentInterest:
    found = db.session.get(TalentInterest, interest_id)
    if found is None or found.learner_id != learner.id or found.status == InterestStatus.INTERESTED:
        raise NotInPool(_l("No such invitation."))
    return found


# Helpers ---------------------------------------------------------------------------------------


def _in_pool(learner_id: int) -> tuple[User, TalentProfile]:
    row = db.session.execute(
        select(User, TalentProfile)
        .join(TalentProfile, TalentProfile.learner_id == User.id)
        .where(User.id == learner_id, _in_pool_condition())
    ).first()
    if row is None:
        raise NotInPool(_l("This profile is not in the talent pool."))
    return row[0], row[1]


def _company_id(company_user: User) -> int:
    if company_user.role != Role.COMPANY or company_user.organization_id is None:
        raise TalentError(_l("Only a partner company's users use the talent pool."))
    return company_user.organization_id
