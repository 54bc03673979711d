"""Who may see and do what with projects: role *and* ownership.

A company sees only its own briefs and the teams working on them; a learner only the briefs
offered to their cohorts and their own team's work; a trainer the projects of their cohorts;
auditors and admins read everything.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from lms.access import READ_ALL
from lms.extensions import db
from lms.models import (
    BriefVersion,
    Cohort,
    Enrollment,
    ProjectBrief,
    ProjectOffer,
    ProjectTeam,
    Review,
    Role,
    TeamMember,
    User,
    cohort_trainers,
)


def is_company_of(user: User, brief: ProjectBrief) -> bool:
    return user.role == Role.COMPANY and user.organization_id == brief.company_id


def can_edit_brief(user: User, brief: ProjectBrief) -> bool:
    return is_company_of(user, brief) or user.role == Role.ADMIN


def trains(user: User, cohort: Cohort) -> bool:
    return user.role == Role.TRAINER and user in cohort.trainers


def can_manage_offer(user: User, offer: ProjectOffer) -> bool:
    """Trainers of the cohort form teams and set deadlines (admins too)."""
    return user.role == Role.ADMIN or trains(user, offer.cohort)


def can_read_version(user: User, version: BriefVersion) -> bool:
    if user.role in READ_ALL or is_company_of(user, version.brief):
        return True
    if user.role == Role.TRAINER:
        return True  # trainers browse every company's briefs to choose what to offer
    if user.role == Role.LEARNER:
        return any(_enrolled(user, offer.cohort_id) for offer in version.offers)
    return False


def can_read_offer(user: User, offer: ProjectOffer) -> bool:
    if user.role in READ_ALL or is_company_of(user, offer.version.brief):
        return True
    if user.role == Role.TRAINER:
        return trains(user, offer.cohort)
    return user.role == Role.LEARNER and _enrolled(user, offer.cohort_id)


def is_member(user: User, team: ProjectTeam) -> bool:
    return any(m.learner_id == user.id for m in team.members)


def can_read_team(user: User, team: ProjectTeam) -> bool:
    """A team's deliverables and submitted reviews: its members, the cohort's trainers, the
    company that wrote the brief, auditors and admins."""
    if user.role in READ_ALL or is_company_of(user, team.offer.version.brief):
        return True
    if user.role == Role.TRAINER:
        return trains(user, team.offer.cohort)
    return user.role == Role.LEARNER and is_member(user, team)


def can_review(user: User, team: ProjectTeam) -> bool:
    return is_company_of(user, team.offer.version.brief)


def _enrolled(user: User, cohort_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(Enrollment.id).where(
                Enrollment.cohort_id == cohort_id, Enrollment.learner_id == user.id
            )
        )
    )


def visible_reviews(user: User, query: Select) -> Select | None:
    """Narrow a query over :class:`Review` to what ``user`` may see; None means nothing."""
    if user.role in READ_ALL:
        return query
    teams = select(ProjectTeam.id).join(ProjectOffer)
    if user.role == Role.LEARNER:
        teams = select(TeamMember.team_id).where(TeamMember.learner_id == user.id)
    elif user.role == Role.TRAINER:
        teams = teams.join(
            cohort_trainers, cohort_trainers.c.cohort_id == ProjectOffer.cohort_id
        ).where(cohort_trainers.c.user_id == user.id)
    elif user.role == Role.COMPANY and user.organization_id is not None:
        teams = (
            teams.join(BriefVersion, BriefVersion.id == ProjectOffer.version_id)
            .join(ProjectBrief, ProjectBrief.id == BriefVersion.brief_id)
            .where(ProjectBrief.company_id == user.organization_id)
        )
    else:
        return None
    return query.where(Review.team_id.in_(teams))
