"""Briefs, offers, teams, deliverables and reviews. Operations check the rules of the domain,
flush and announce what happened (:mod:`lms.signals`: a brief offered, work handed in, a review
submitted); views check who may call them, and the request commits."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms import signals
from lms.errors import DomainError
from lms.extensions import db
from lms.models import (
    BriefAttachment,
    BriefVersion,
    CheckStatus,
    Cohort,
    Deliverable,
    Enrollment,
    ProjectBrief,
    ProjectOffer,
    ProjectTeam,
    Review,
    ReviewStatus,
    TeamMember,
    User,
)
from lms.models.base import utcnow
from lms.projects import checks, storage
from lms.projects import rubric as rubrics
from lms.projects.archives import ArchiveLimits, inspect_archive

#: Deadlines are given as dates in the programme's time zone: the day ends at midnight there.
PROGRAMME_TZ = ZoneInfo("Africa/Casablanca")
#: A revision asked after the deadline leaves the team this long to hand in again.
REVISION_WINDOW = timedelta(days=7)
COMMIT = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
REPO_URL = re.compile(r"^(?:https://|ssh://|git@)[^\s]{3,490}$")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_REPORT_CHARS = 20_000


class ProjectError(DomainError, ValueError):
    """A request the rules do not allow, with a message for the person who made it."""


# Briefs ------------------------------------------------------------------------------------


@dataclass
class BriefFields:
    title: str
    track: str
    context: str
    deliverables: str
    rubric_text: str
    skills: list[str] = field(default_factory=list)
    team_size_min: int = 1
    team_size_max: int = 4
    starts_on: date | None = None
    ends_on: date | None = None
    check_grader: str | None = None
    check_tests: dict[str, str] | None = None


def save_brief(
    author: User,
    fields: BriefFields,
    brief: ProjectBrief | None = None,
    change_note: str = "",
    known_tracks: set[str] | None = None,
) -> BriefVersion:
    """Create a brief, or edit one. A version no cohort has taken is edited in place; once
    taken, editing makes a new version, and the company must say what changed."""
    values = _validated(fields, known_tracks)
    if brief is None:
        brief = ProjectBrief(company_id=author.organization_id, created_by_id=author.id)
        db.session.add(brief)
        return _new_version(brief, author, values, number=1, note=None)
    latest = brief.latest
    if not latest.locked:
        for key, value in values.items():
            setattr(latest, key, value)
        latest.updated_at = utcnow()
        db.session.flush()
        return latest
    if not change_note.strip():
        raise ProjectError(
            _l("This brief was offered to a cohort: say what changes in the new version.")
        )
    version = _new_version(brief, author, values, latest.number + 1, change_note.strip())
    for attachment in latest.attachments:
        version.attachments.append(
            BriefAttachment(
                filename=attachment.filename,
                content_type=attachment.content_type,
                size=attachment.size,
                sha256=attachment.sha256,
            )
        )
    db.session.flush()
    return version


def _new_version(brief, author, values: dict, number: int, note: str | None) -> BriefVersion:
    version = BriefVersion(brief=brief, number=number, author_id=author.id, change_note=note)
    for key, value in values.items():
        setattr(version, key, value)
    db.session.add(version)
    db.session.flush()
    return version


def _validated(fields: BriefFields, known_tracks: set[str] | None) -> dict:
    title = fields.title.strip()
    if not 3 <= len(title) <= 200:
        raise ProjectError(_l("The title needs between 3 and 200 characters."))
    if known_tracks is not None and fields.track not in known_tracks:
        raise ProjectError(_l("Unknown track: %(track)s.", track=fields.track))
    if not fields.context.strip() or not fields.deliverables.strip():
        raise ProjectError(_l("Describe the context and the expected deliverables."))
    if not 1 <= fields.team_size_min <= fields.team_size_max <= 12:
        raise ProjectError(_l("Team sizes must satisfy 1 ≤ minimum ≤ maximum ≤ 12."))
    if fields.starts_on and fields.ends_on and fields.ends_on < fields.starts_on:
        raise ProjectError(_l("The project cannot end before it starts."))
    try:
        criteria = rubrics.parse(fields.rubric_text)
    except rubrics.RubricError as exc:
        raise ProjectError(str(exc)) from exc
    skills = [s.strip() for s in fields.skills if s.strip()][:20]
    _check_suite(fields.check_grader, fields.check_tests)
    return {
        "title": title,
        "track": fields.track,
        "context": fields.context.strip(),
        "deliverables": fields.deliverables.strip(),
        "rubric": criteria,
        "skills": skills,
        "team_size_min": fields.team_size_min,
        "team_size_max": fields.team_size_max,
        "starts_on": fields.starts_on,
        "ends_on": fields.ends_on,
        "check_grader": fields.check_grader or None,
        "check_tests": fields.check_tests or None,
    }


def _check_suite(grader: str | None, tests: dict[str, str] | None) -> None:
    """An automated check needs a grader that takes whole projects and tests it can count."""
    if not grader:
        return
    if grader not in checks.CHECK_GRADERS:
        raise ProjectError(
            _l("Automated checks run with: %(names)s.", names=", ".join(checks.CHECK_GRADERS))
        )
    if not tests:
        raise ProjectError(_l("Upload the test files of the automated check."))
    try:
        points = checks.suite_max_score(grader, tests)
    except ValueError as exc:  # a file the test parser cannot read (a null byte)
        raise ProjectError(str(exc)) from exc
    if points <= 0:
        raise ProjectError(
            _l("No test found in the uploaded files (test_*.py functions or test() calls).")
        )


def attach_file(
    version: BriefVersion, filename: str, data: bytes, content_type: str
) -> BriefAttachment:
    if version.locked:
        raise ProjectError(_l("This version was offered to a cohort; edit the brief first."))
    name = _safe_filename(filename)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ProjectError(
            _l("An attachment may not exceed %(mb)d MB.", mb=MAX_ATTACHMENT_BYTES // 2**20)
        )
    if any(a.filename == name for a in version.attachments):
        raise ProjectError(_l("There is already an attachment named %(name)s.", name=name))
    attachment = BriefAttachment(
        filename=name,
        content_type=content_type or "application/octet-stream",
        size=len(data),
        sha256=storage.save(data),
    )
    version.attachments.append(attachment)
    db.session.flush()
    return attachment


def _safe_filename(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or name.startswith(".") or len(name) > 200 or any(ord(c) < 32 for c in name):
        raise ProjectError(_l("This file name cannot be used."))
    return name


def company_briefs(company_id: int) -> list[ProjectBrief]:
    return list(
        db.session.scalars(
            select(ProjectBrief)
            .where(ProjectBrief.company_id == company_id)
            .order_by(ProjectBrief.id.desc())
        )
    )


def offerable_versions(track: str) -> list[BriefVersion]:
    """The newest version of every brief for ``track``: what a trainer may offer."""
    briefs = db.session.scalars(select(ProjectBrief).order_by(ProjectBrief.id.desc()))
    return [b.latest for b in briefs if b.versions and b.latest.track == track]


# Offers and teams --------------------------------------------------------------------------


def end_of_day(day: date) -> datetime:
    """Midnight ending ``day`` in the programme's time zone, as naive UTC."""
    local = datetime.combine(day + timedelta(days=1), time(0), tzinfo=PROGRAMME_TZ)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def offer(
    trainer: User,
    cohort: Cohort,
    version: BriefVersion,
    deadline: date,
    team_size_max: int | None = None,
    learners_form_teams: bool = False,
) -> ProjectOffer:
    if version.track != cohort.track:
        raise ProjectError(_l("This brief is for another track than the cohort's."))
    if version is not version.brief.latest:
        raise ProjectError(_l("A newer version of this brief exists; offer that one."))
    if db.session.scalar(
        select(ProjectOffer).where(
            ProjectOffer.cohort_id == cohort.id, ProjectOffer.version_id == version.id
        )
    ):
        raise ProjectError(_l("This brief is already offered to this cohort."))
    if deadline < utcnow().date():
        raise ProjectError(_l("The deadline is in the past."))
    size = team_size_max or version.team_size_max
    if not version.team_size_min <= size <= version.team_size_max:
        raise ProjectError(
            _l(
                "The brief asks for teams of %(min)d to %(max)d.",
                min=version.team_size_min,
                max=version.team_size_max,
            )
        )
    project = ProjectOffer(
        cohort=cohort,
        version=version,
        offered_by_id=trainer.id,
        deadline=end_of_day(deadline),
        team_size_max=size,
        learners_form_teams=learners_form_teams,
    )
    db.session.add(project)
    db.session.flush()
    signals.brief_offered.send(project, actor=trainer)
    return project


def set_deadline(offer_: ProjectOffer, deadline: date) -> None:
    """Move the deadline (later to give more time, earlier while it is still ahead)."""
    if deadline < utcnow().date():
        raise ProjectError(_l("The deadline is in the past."))
    offer_.deadline = end_of_day(deadline)
    db.session.flush()


def cohort_offers(cohort_ids: list[int]) -> list[ProjectOffer]:
    if not cohort_ids:
        return []
    return list(
        db.session.scalars(
            select(ProjectOffer)
            .where(ProjectOffer.cohort_id.in_(cohort_ids))
            .order_by(ProjectOffer.deadline.desc())
        )
    )


def create_team(offer_: ProjectOffer, name: str, learners: list[User]) -> ProjectTeam:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise ProjectError(_l("A team needs a name (up to 100 characters)."))
    if any(t.name == name for t in offer_.teams):
        raise ProjectError(_l("A team named %(name)s exists already.", name=name))
    if not learners:
        raise ProjectError(_l("A team needs at least one learner."))
    team = ProjectTeam(offer=offer_, name=name)
    db.session.add(team)
    for learner in learners:
        _add_member(team, learner)
    db.session.flush()
    return team


def join_team(team: ProjectTeam, learner: User) -> None:
    if not team.offer.learners_form_teams:
        raise ProjectError(_l("Your trainer forms the teams for this project."))
    _add_member(team, learner)
    db.session.flush()


def leave_team(team: ProjectTeam, learner: User) -> None:
    if team.deliverables:
        raise ProjectError(_l("The team has handed in work; ask your trainer to change it."))
    member = next((m for m in team.members if m.learner_id == learner.id), None)
    if member is None:
        raise ProjectError(_l("You are not in this team."))
    team.members.remove(member)
    if not team.members:
        db.session.delete(team)
    db.session.flush()


def _add_member(team: ProjectTeam, learner: User) -> None:
    offer_ = team.offer
    if not _enrolled(learner, offer_.cohort_id):
        raise ProjectError(_l("%(name)s is not in this cohort.", name=learner.name))
    if team_of(offer_, learner) is not None:
        raise ProjectError(_l("%(name)s is already in a team.", name=learner.name))
    if len(team.members) >= offer_.team_size_max:
        raise ProjectError(_l("Teams have at most %(n)d members.", n=offer_.team_size_max))
    team.members.append(TeamMember(offer_id=offer_.id, learner=learner))
    db.session.flush()


def _enrolled(learner: User, cohort_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(Enrollment.id).where(
                Enrollment.cohort_id == cohort_id, Enrollment.learner_id == learner.id
            )
        )
    )


def team_of(offer_: ProjectOffer, learner: User) -> ProjectTeam | None:
    return db.session.scalar(
        select(ProjectTeam)
        .join(TeamMember)
        .where(TeamMember.offer_id == offer_.id, TeamMember.learner_id == learner.id)
    )


def learner_teams(learner: User) -> list[ProjectTeam]:
    return list(
        db.session.scalars(
            select(ProjectTeam)
            .join(TeamMember)
            .where(TeamMember.learner_id == learner.id)
            .order_by(ProjectTeam.id.desc())
        )
    )


# Deliverables ------------------------------------------------------------------------------


@dataclass
class Upload:
    filename: str
    stream: object  # a binary file object


def open_until(team: ProjectTeam) -> datetime | None:
    """When the team may last hand in work; None once the final review is in."""
    if current_final(team) is not None:
        return None
    revision = _revision_request(team)
    if revision is not None and revision.submitted_at:
        return max(team.offer.deadline, revision.submitted_at + REVISION_WINDOW)
    return team.offer.deadline


def submit_deliverable(
    team: ProjectTeam,
    learner: User,
    repo_url: str = "",
    commit: str = "",
    archive: Upload | None = None,
    report: str = "",
    limits: ArchiveLimits | None = None,
) -> Deliverable:
    closes = open_until(team)
    if closes is None:
        raise ProjectError(_l("The company's final review is in: the project is closed."))
    if utcnow() > closes:
        raise ProjectError(_l("The deadline has passed."))
    repo_url, commit = repo_url.strip(), commit.strip().lower()
    if not (repo_url or commit or archive):
        raise ProjectError(_l("Give a repository and commit, or upload an archive, or both."))
    if bool(repo_url) != bool(commit):
        raise ProjectError(_l("A repository needs the exact commit, and a commit its repository."))
    if repo_url and not REPO_URL.match(repo_url):
        raise ProjectError(_l("The repository address must start with https://, ssh:// or git@."))
    if commit and not COMMIT.match(commit):
        raise ProjectError(_l("The commit must be the full hash: 40 (or 64) hexadecimal digits."))
    if len(report) > MAX_REPORT_CHARS:
        raise ProjectError(_l("The report may not exceed %(n)d characters.", n=MAX_REPORT_CHARS))
    stored = _store_archive(archive, limits or ArchiveLimits()) if archive else {}
    deliverable = Deliverable(
        number=len(team.deliverables) + 1,
        repo_url=repo_url or None,
        commit=commit or None,
        report=report.strip(),
        submitted_by_id=learner.id,
        submitted_at=utcnow(),
        **stored,
    )
    if team.offer.version.check_grader and deliverable.archive_sha256:
        deliverable.check_status = CheckStatus.QUEUED
    team.deliverables.append(deliverable)
    db.session.flush()
    signals.deliverable_submitted.send(deliverable, actor=learner)
    return deliverable


def _store_archive(upload: Upload, limits: ArchiveLimits) -> dict:
    """Check the archive (type, size, members) before a byte of it is kept."""
    if not upload.filename.lower().endswith(".zip"):
        raise ProjectError(_l("Only .zip archives are accepted."))
    data, info = inspect_archive(upload.stream, limits)
    return {
        "archive_name": _safe_filename(upload.filename),
        "archive_size": info.size,
        "archive_sha256": storage.save(data),
    }


def latest_deliverable(team: ProjectTeam) -> Deliverable | None:
    return team.deliverables[-1] if team.deliverables else None


# Reviews -----------------------------------------------------------------------------------


def current_final(team: ProjectTeam) -> Review | None:
    """The final review in force: the newest one, which supersedes any before it."""
    finals = [r for r in team.reviews if r.status == ReviewStatus.FINAL]
    return finals[-1] if finals else None


def _revision_request(team: ProjectTeam) -> Review | None:
    return next((r for r in team.reviews if r.status == ReviewStatus.REVISION), None)


def draft_of(team: ProjectTeam, reviewer: User) -> Review | None:
    return next(
        (
            r
            for r in team.reviews
            if r.status == ReviewStatus.DRAFT and r.reviewer_id == reviewer.id
        ),
        None,
    )


def save_draft(
    team: ProjectTeam, reviewer: User, levels: dict, comments: dict, overall: str
) -> Review:
    """Keep what the reviewer has written so far; nothing is checked but the shapes, so a
    half-done review can always be saved."""
    deliverable = latest_deliverable(team)
    if deliverable is None:
        raise ProjectError(_l("The team has not handed in anything yet."))
    criteria = team.offer.version.rubric
    review = draft_of(team, reviewer)
    if review is None:
        review = Review(team=team, reviewer_id=reviewer.id, status=ReviewStatus.DRAFT)
        db.session.add(review)
    review.deliverable = deliverable
    review.levels = _known_levels(criteria, levels)
    review.comments = {
        c["name"]: str(comments.get(c["name"], ""))[:5000]
        for c in criteria
        if comments.get(c["name"])
    }
    review.overall_comment = (overall or "")[:10000]
    review.updated_at = utcnow()
    db.session.flush()
    return review


def _known_levels(criteria: list[dict], levels: dict) -> dict:
    kept = {}
    for criterion in criteria:
        value = levels.get(criterion["name"])
        try:
            index = int(value)
        except (TypeError, ValueError):
            continue
        if 0 <= index < len(criterion["levels"]):
            kept[criterion["name"]] = index
    return kept


def submit_review(
    team: ProjectTeam,
    reviewer: User,
    decision: str,
    levels: dict,
    comments: dict,
    overall: str,
    supersede_reason: str = "",
) -> Review:
    """Submit the reviewer's draft (saved first with what was sent) as a revision request or
    a final review. Submitted reviews are signed and never change."""
    if decision not in (ReviewStatus.FINAL, ReviewStatus.REVISION):
        raise ProjectError(_l("Choose between asking for a revision and a final review."))
    review = save_draft(team, reviewer, levels, comments, overall)
    criteria = team.offer.version.rubric
    missing = [c["name"] for c in criteria if c["name"] not in review.levels]
    if missing:
        raise ProjectError(_l("Choose a level for: %(names)s.", names=", ".join(missing)))
    if not review.overall_comment.strip():
        raise ProjectError(_l("Write an overall comment for the team."))
    previous = current_final(team)
    if decision == ReviewStatus.REVISION:
        if previous is not None:
            raise ProjectError(_l("The final review is in; a revision can no longer be asked."))
        if _revision_request(team) is not None:
            raise ProjectError(_l("A revision was already asked once for this team."))
    elif previous is not None:
        if not supersede_reason.strip():
            raise ProjectError(_l("A final review exists: say why this one replaces it."))
        review.supersedes_id = previous.id
        review.supersede_reason = supersede_reason.strip()
    review.status = ReviewStatus(decision)
    review.score = rubrics.score(criteria, review.levels)
    review.max_score = rubrics.max_score(criteria)
    review.submitted_at = utcnow()
    review.digest = review_digest(review, reviewer)
    db.session.flush()
    signals.review_submitted.send(review, actor=reviewer)
    if review.status == ReviewStatus.FINAL:
        signals.review_finalised.send(review, actor=reviewer)
    return review


def review_digest(review: Review, reviewer: User) -> str:
    """SHA-256 over the canonical JSON of what the reviewer signed: who, when, which bytes
    of which deliverable, and every level and comment."""
    return hashlib.sha256(signed_review_json(review, reviewer)).hexdigest()


def signed_review_json(review: Review, reviewer: User) -> bytes:
    """The canonical JSON bytes a review's digest is taken over (exported in evidence
    bundles so that anyone can recompute the digest)."""
    deliverable = review.deliverable
    signed = {
        "review": review.id,
        "reviewer": reviewer.email,
        "submitted_at": review.submitted_at.isoformat(),
        "status": str(review.status),
        "team": review.team_id,
        "deliverable": {
            "id": deliverable.id,
            "repo": deliverable.repo_url,
            "commit": deliverable.commit,
            "archive_sha256": deliverable.archive_sha256,
        },
        "levels": review.levels,
        "comments": review.comments,
        "overall": review.overall_comment,
        "score": review.score,
        "max_score": review.max_score,
        "supersedes": review.supersedes_id,
        "supersede_reason": review.supersede_reason,
    }
    canonical = json.dumps(signed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return canonical.encode()


def verify_review(review: Review) -> bool:
    """The stored digest still matches the stored review (no edit behind the app's back)."""
    return review.digest == review_digest(review, review.reviewer)


# Results -----------------------------------------------------------------------------------


def final_reviews() -> select:
    """Every final review in force (not superseded), as a query to narrow down."""
    superseded = select(Review.supersedes_id).where(Review.supersedes_id.is_not(None))
    return select(Review).where(Review.status == ReviewStatus.FINAL, Review.id.not_in(superseded))


def result_entry(review: Review) -> dict:
    """One project result, as ``/api/v1/project-results`` and learner profiles show it."""
    team = review.team
    version = team.offer.version
    deliverable = review.deliverable
    learners = team.learners
    return {
        "id": review.id,
        "brief": version.title,
        "brief_id": version.brief_id,
        "brief_version": version.number,
        "company": version.brief.company.name,
        "cohort": team.offer.cohort.name,
        "team": team.name,
        "learners": [u.name for u in learners],
        "learner_ids": [u.id for u in learners],
        "reviewer": review.reviewer.name,
        "score": review.score,
        "max_score": review.max_score,
        "criteria": [
            {
                "name": c["name"],
                "weight": c["weight"],
                "level": c["levels"][review.levels[c["name"]]]["label"],
                "comment": review.comments.get(c["name"], ""),
            }
            for c in version.rubric
        ],
        "overall_comment": review.overall_comment,
        "reviewed_at": review.submitted_at.isoformat() + "Z",
        "supersedes": review.supersedes_id,
        "digest": review.digest,
        "deliverable": {
            "version": deliverable.number,
            "repo": deliverable.repo_url,
            "commit": deliverable.commit,
            "archive_sha256": deliverable.archive_sha256,
        },
    }
