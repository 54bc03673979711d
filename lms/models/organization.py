"""Organisations (operators, companies, the programme), cohorts and enrolments."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Column, Date, DateTime, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import enum_type, utcnow


class OrganizationKind(enum.StrEnum):
    OPERATOR = "operator"
    COMPANY = "company"
    PROGRAMME = "programme"


#: The 12 regions of Morocco, as the programme reports by them.
REGIONS = (
    "Tanger-Tétouan-Al Hoceïma",
    "L'Oriental",
    "Fès-Meknès",
    "Rabat-Salé-Kénitra",
    "Béni Mellal-Khénifra",
    "Casablanca-Settat",
    "Marrakech-Safi",
    "Drâa-Tafilalet",
    "Souss-Massa",
    "Guelmim-Oued Noun",
    "Laâyoune-Sakia El Hamra",
    "Dakhla-Oued Ed-Dahab",
)


class Organization(db.Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    kind: Mapped[OrganizationKind] = mapped_column(enum_type(OrganizationKind), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)


cohort_trainers = Table(
    "cohort_trainers",
    db.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Cohort(db.Model):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    #: The training operator running the cohort.
    operator_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), nullable=False)
    #: Track slug, the folder name under ``curricula/``.
    track: Mapped[str] = mapped_column(String(100), nullable=False)
    region: Mapped[str] = mapped_column(String(100), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)

    operator = relationship("Organization")
    trainers = relationship("User", secondary=cohort_trainers, order_by="User.name")
    enrollments = relationship("Enrollment", back_populates="cohort", cascade="all, delete-orphan")


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("cohort_id", "learner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), nullable=False, index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    enrolled_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    #: Stated at enrolment, before any outcome is known: does the learner seek an in-field
    #: job afterwards? None (never stated) counts as seeking, so nobody leaves the
    #: denominator of the placement rates by staying silent.
    seeking_in_field: Mapped[bool | None] = mapped_column(nullable=True)
    intent_recorded_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    #: The day a trainer recorded the learner as having completed the programme.
    graduated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    withdrawn_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    cohort = relationship("Cohort", back_populates="enrollments")
    learner = relationship("User")
