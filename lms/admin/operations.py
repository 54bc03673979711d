"""Creating users, organisations, cohorts and enrolments. Operations flush; callers commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from lms.errors import DomainError
from lms.extensions import db
from lms.models import Cohort, Enrollment, Organization, Role, User
from lms.models.organization import REGIONS, OrganizationKind


class AdminError(DomainError):
    """A request the data does not allow, with a message saying why."""


def create_organization(name: str, kind: str) -> Organization:
    if kind not in OrganizationKind.__members__.values():
        raise AdminError(f"kind must be one of {[k.value for k in OrganizationKind]}")
    if db.session.scalar(select(Organization).where(Organization.name == name)):
        raise AdminError(f"an organisation named {name!r} exists already")
    organization = Organization(name=name, kind=OrganizationKind(kind))
    db.session.add(organization)
    db.session.flush()
    return organization


def find_organization(name: str) -> Organization:
    organization = db.session.scalar(select(Organization).where(Organization.name == name))
    if organization is None:
        raise AdminError(f"no organisation named {name!r}")
    return organization


def create_user(
    email: str,
    name: str,
    role: str,
    password: str,
    organization: Organization | None = None,
    locale: str | None = None,
) -> User:
    email = email.strip().lower()
    if "@" not in email:
        raise AdminError(f"{email!r} is not an email address")
    if role not in Role.__members__.values():
        raise AdminError(f"role must be one of {[r.value for r in Role]}")
    if len(password) < 8:
        raise AdminError("the password must have at least 8 characters")
    if find_user(email, required=False):
        raise AdminError(f"a user with email {email} exists already")
    user = User(email=email, name=name, role=Role(role), organization=organization, locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def find_user(email: str, required: bool = True) -> User | None:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None and required:
        raise AdminError(f"no user with email {email}")
    return user


def create_cohort(
    name: str,
    operator: Organization,
    track: str,
    region: str,
    starts_on: date,
    ends_on: date,
    known_tracks: set[str],
) -> Cohort:
    if operator.kind != OrganizationKind.OPERATOR:
        raise AdminError(f"{operator.name} is not a training operator")
    if track not in known_tracks:
        raise AdminError(f"no track {track!r} in the content (known: {sorted(known_tracks)})")
    if region not in REGIONS:
        raise AdminError(f"unknown region {region!r}; regions: {', '.join(REGIONS)}")
    if ends_on <= starts_on:
        raise AdminError("the cohort must end after it starts")
    if db.session.scalar(select(Cohort).where(Cohort.name == name)):
        raise AdminError(f"a cohort named {name!r} exists already")
    cohort = Cohort(
        name=name,
        operator=operator,
        track=track,
        region=region,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    db.session.add(cohort)
    db.session.flush()
    return cohort


def find_cohort(name: str) -> Cohort:
    cohort = db.session.scalar(select(Cohort).where(Cohort.name == name))
    if cohort is None:
        raise AdminError(f"no cohort named {name!r}")
    return cohort


def assign_trainer(cohort: Cohort, trainer: User) -> None:
    if trainer.role != Role.TRAINER:
        raise AdminError(f"{trainer.email} is not a trainer")
    if trainer not in cohort.trainers:
        cohort.trainers.append(trainer)
    db.session.flush()


def enrol(cohort: Cohort, learner: User) -> Enrollment:
    if learner.role != Role.LEARNER:
        raise AdminError(f"{learner.email} is not a learner")
    existing = db.session.scalar(
        select(Enrollment).where(
            Enrollment.cohort_id == cohort.id, Enrollment.learner_id == learner.id
        )
    )
    if existing:
        return existing
    enrollment = Enrollment(cohort=cohort, learner=learner)
    db.session.add(enrollment)
    db.session.flush()
    return enrollment
