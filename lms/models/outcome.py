"""Placement outcomes (what graduates do after the bootcamp), the 90/180-day surveys that ask
for them, and the job fair's talent pool.

Outcome records are never edited: a correction or an employer's confirmation is a new row
that ``replaces`` the old one, and each row is recorded in the audit chain when it is added.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import enum_type, utcnow


class OutcomeCategory(enum.StrEnum):
    """The CIRR outcome categories, in the order reports list them."""

    FULL_TIME_EMPLOYEE = "full_time_employee"
    #: Full-time apprenticeship, internship or contract of at least 90 days.
    FULL_TIME_CONTRACT = "full_time_contract"
    HIRED_BY_OPERATOR = "hired_by_operator"
    STARTED_COMPANY = "started_company"
    #: Short-term contract, part-time, freelance or unknown length.
    SHORT_TERM = "short_term"
    OUT_OF_FIELD = "out_of_field"
    STILL_SEEKING = "still_seeking"
    NOT_SEEKING = "not_seeking"
    NOT_REPORTING = "not_reporting"
    EXCLUDED = "excluded"


#: Categories that count as an in-field job.
IN_FIELD_CATEGORIES = (
    OutcomeCategory.FULL_TIME_EMPLOYEE,
    OutcomeCategory.FULL_TIME_CONTRACT,
    OutcomeCategory.HIRED_BY_OPERATOR,
    OutcomeCategory.STARTED_COMPANY,
    OutcomeCategory.SHORT_TERM,
)


class Situation(enum.StrEnum):
    WORKING = "working"
    SEEKING = "seeking"
    NOT_SEEKING = "not_seeking"
    EXCLUDED = "excluded"


class EmploymentStatus(enum.StrEnum):
    """The ILO's statuses in employment (ICSE-18), as the job-quality fields use them."""

    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"
    CASUAL = "casual"
    APPRENTICE_INTERN = "apprentice_intern"
    DEPENDENT_CONTRACTOR = "dependent_contractor"
    OWN_ACCOUNT = "own_account"


class ExclusionReason(enum.StrEnum):
    """Why a graduate leaves the denominator (CIRR's exclusions)."""

    FURTHER_STUDIES = "further_studies"
    HEALTH = "health"
    MILITARY_SERVICE = "military_service"
    DECEASED = "deceased"
    EMIGRATED = "emigrated"


class OutcomeSource(enum.StrEnum):
    """Who documented the record. Anything but the learner's own word is a confirmation."""

    LEARNER = "learner"
    EMPLOYER = "employer"
    THIRD_PARTY = "third_party"


class OutcomeRecord(db.Model):
    __tablename__ = "outcome_records"
    __table_args__ = (
        Index("ix_outcome_records_enrollment_effective", "enrollment_id", "effective_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), nullable=False)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    situation: Mapped[Situation] = mapped_column(enum_type(Situation), nullable=False)
    #: From when the situation holds: a job's first day, or the day it was reported.
    effective_on: Mapped[date] = mapped_column(Date, nullable=False)
    #: A job's last day, when known.
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: Derived from the fields below by :mod:`lms.outcomes.recording.categories`, stored for
    #: SQL reports.
    category: Mapped[OutcomeCategory] = mapped_column(enum_type(OutcomeCategory), nullable=False)
    in_field: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    # The job, when working.
    employer_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: The partner company (or the training operator) when the employer is one.
    employer_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id"), nullable=True, index=True
    )
    #: The project brief the hire came through, if any.
    via_brief_id: Mapped[int | None] = mapped_column(ForeignKey("project_briefs.id"), nullable=True)
    via_talent_pool: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    job_title: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: ISCO-08 unit group code ("2512"); whether it is in the track's field decides in_field.
    occupation: Mapped[str | None] = mapped_column(String(4), nullable=True)
    employment_status: Mapped[EmploymentStatus | None] = mapped_column(
        enum_type(EmploymentStatus), nullable=True
    )
    written_contract: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    weekly_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: Monthly base pay in whole dirhams, before bonuses.
    monthly_pay_mad: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cnss_declared: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    founded_company: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    exclusion_reason: Mapped[ExclusionReason | None] = mapped_column(
        enum_type(ExclusionReason), nullable=True
    )
    source: Mapped[OutcomeSource] = mapped_column(enum_type(OutcomeSource), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: The record this one corrects or confirms; only records nobody replaced are current.
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("outcome_records.id"), nullable=True, unique=True
    )
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, nullable=False)

    enrollment = relationship("Enrollment")
    learner = relationship("User", foreign_keys=[learner_id])
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    employer_org = relationship("Organization")
    via_brief = relationship("ProjectBrief")
    replaces = relationship("OutcomeRecord", remote_side=[id])

    @property
    def confirmed(self) -> bool:
        return self.source != OutcomeSource.LEARNER


class OutcomeSurvey(db.Model):
    """The LMS asked a learner for their situation ``window`` days after the cohort ended."""

    __tablename__ = "outcome_surveys"
    __table_args__ = (UniqueConstraint("enrollment_id", "window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), nullable=False)
    #: 90 or 180.
    window: Mapped[int] = mapped_column(Integer, nullable=False)
    sent_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)

    enrollment = relationship("Enrollment")


class TalentProfile(db.Model):
    """A learner's opt-in profile for the job fair. Nothing shows to companies unless
    ``visible``; the certificates, project results and skills on it are read live."""

    __tablename__ = "talent_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, unique=True)
    visible: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    headline: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    about: Mapped[str] = mapped_column(Text, nullable=False, default="")
    #: "full" or "initials", as on public certificate pages.
    name_display: Mapped[str] = mapped_column(String(10), nullable=False, default="full")
    updated_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, onupdate=utcnow)

    learner = relationship("User")


class InterestStatus(enum.StrEnum):
    INTERESTED = "interested"
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    HIRED = "hired"


class TalentInterest(db.Model):
    """A company's interest in a learner of the pool, and where it led."""

    __tablename__ = "talent_interests"
    __table_args__ = (UniqueConstraint("company_id", "learner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), nullable=False)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    status: Mapped[InterestStatus] = mapped_column(enum_type(InterestStatus), nullable=False)
    #: The invitation's text (interview date, place, role), shown to the learner.
    message: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, onupdate=utcnow)
    #: The placement recorded when the company hired the learner.
    placement_id: Mapped[int | None] = mapped_column(
        ForeignKey("outcome_records.id"), nullable=True
    )

    company = relationship("Organization")
    learner = relationship("User", foreign_keys=[learner_id])
    placement = relationship("OutcomeRecord")
