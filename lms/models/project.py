"""Learning by doing: partner companies' project briefs and rubrics, the cohorts they are
offered to, learner teams, their deliverables, and the companies' reviews."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import enum_type, utcnow


class ProjectBrief(db.Model):
    """A company's brief. What it says lives in its versions: once a cohort takes a version,
    that version never changes; an edit makes the next one."""

    __tablename__ = "project_briefs"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id"), nullable=False, index=True
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)

    company = relationship("Organization")
    created_by = relationship("User")
    versions = relationship(
        "BriefVersion",
        back_populates="brief",
        order_by="BriefVersion.number",
        cascade="all, delete-orphan",
    )

    @property
    def latest(self) -> BriefVersion:
        return self.versions[-1]


class BriefVersion(db.Model):
    __tablename__ = "brief_versions"
    __table_args__ = (UniqueConstraint("brief_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("project_briefs.id"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    #: Track slug the project fits.
    track: Mapped[str] = mapped_column(String(100), nullable=False)
    skills: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    #: Markdown: the company's context and the problem.
    context: Mapped[str] = mapped_column(Text, nullable=False)
    #: Markdown: what the team hands in.
    deliverables: Mapped[str] = mapped_column(Text, nullable=False)
    team_size_min: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    team_size_max: Mapped[int] = mapped_column(Integer, nullable=False, default=4)
    starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: [{"name", "weight", "levels": [{"label", "description"}, ...lowest to highest]}]
    rubric: Mapped[list] = mapped_column(JSON, nullable=False)
    #: Optional automated check: a grader name and the company's test files {name: text}.
    check_grader: Mapped[str | None] = mapped_column(String(40), nullable=True)
    check_tests: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    #: Why this version exists, when it is not the first.
    change_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)

    brief = relationship("ProjectBrief", back_populates="versions")
    author = relationship("User")
    offers = relationship("ProjectOffer", back_populates="version")
    attachments = relationship(
        "BriefAttachment",
        back_populates="version",
        order_by="BriefAttachment.filename",
        cascade="all, delete-orphan",
    )

    @property
    def locked(self) -> bool:
        """Offered to a cohort: from then on it is evidence and never edited."""
        return bool(self.offers)

    @property
    def max_score(self) -> float:
        return float(sum(criterion["weight"] for criterion in self.rubric))


class BriefAttachment(db.Model):
    """A file the company joins to a brief version, stored by content hash in the instance
    folder (so copying it to the next version copies a row, not the file)."""

    __tablename__ = "brief_attachments"
    __table_args__ = (UniqueConstraint("version_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("brief_versions.id"), nullable=False)
    filename: Mapped[str] = mapped_column(String(200), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)

    version = relationship("BriefVersion", back_populates="attachments")


class ProjectOffer(db.Model):
    """A brief version offered to a cohort by its trainer, with the cohort's deadline."""

    __tablename__ = "project_offers"
    __table_args__ = (UniqueConstraint("cohort_id", "version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id"), nullable=False, index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("brief_versions.id"), nullable=False)
    offered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    #: Last moment a deliverable is accepted (naive UTC).
    deadline: Mapped[datetime] = mapped_column(DateTime(), nullable=False)
    team_size_max: Mapped[int] = mapped_column(Integer, nullable=False)
    #: Learners may form and join teams themselves (within ``team_size_max``).
    learners_form_teams: Mapped[bool] = mapped_column(default=False, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)

    cohort = relationship("Cohort")
    version = relationship("BriefVersion", back_populates="offers")
    offered_by = relationship("User")
    teams = relationship(
        "ProjectTeam", back_populates="offer", order_by="ProjectTeam.name", cascade="all"
    )


class ProjectTeam(db.Model):
    __tablename__ = "project_teams"
    __table_args__ = (UniqueConstraint("offer_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("project_offers.id"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)

    offer = relationship("ProjectOffer", back_populates="teams")
    members = relationship("TeamMember", back_populates="team", cascade="all, delete-orphan")
    deliverables = relationship("Deliverable", back_populates="team", order_by="Deliverable.number")
    reviews = relationship("Review", back_populates="team", order_by="Review.id")

    @property
    def learners(self) -> list:
        return sorted((m.learner for m in self.members), key=lambda u: u.name)


class TeamMember(db.Model):
    """A learner in a team. ``offer_id`` is repeated here so that the database itself
    refuses a learner in two teams of the same project."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("offer_id", "learner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("project_teams.id"), nullable=False)
    offer_id: Mapped[int] = mapped_column(ForeignKey("project_offers.id"), nullable=False)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)

    team = relationship("ProjectTeam", back_populates="members")
    learner = relationship("User")


class CheckStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    ERROR = "error"


class Deliverable(db.Model):
    """One version of a team's work. Every version is kept; the newest is the one reviewed."""

    __tablename__ = "deliverables"
    __table_args__ = (UniqueConstraint("team_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("project_teams.id"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    repo_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: The exact commit (40 or 64 hex digits) the team hands in.
    commit: Mapped[str | None] = mapped_column(String(64), nullable=True)
    archive_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    archive_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: SHA-256 of the uploaded archive's bytes, which are stored under that name.
    archive_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    report: Mapped[str] = mapped_column(Text, nullable=False, default="")
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    check_status: Mapped[CheckStatus | None] = mapped_column(
        enum_type(CheckStatus), nullable=True, index=True
    )
    check_result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    check_image_digest: Mapped[str | None] = mapped_column(String(100), nullable=True)
    check_lease_until: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)

    team = relationship("ProjectTeam", back_populates="deliverables")
    submitted_by = relationship("User")


class ReviewStatus(enum.StrEnum):
    #: Being written; saved as the reviewer goes, visible to nobody else.
    DRAFT = "draft"
    #: Submitted, asking the team for one revision before the final review.
    REVISION = "revision"
    #: Submitted, the company's assessment.
    FINAL = "final"


class Review(db.Model):
    """A company reviewer's assessment of a deliverable against the rubric. Once submitted it
    is signed (its digest covers reviewer, time and content) and never edited; a later review
    may supersede it, saying why."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("project_teams.id"), nullable=False, index=True)
    deliverable_id: Mapped[int] = mapped_column(ForeignKey("deliverables.id"), nullable=False)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    status: Mapped[ReviewStatus] = mapped_column(
        enum_type(ReviewStatus), nullable=False, default=ReviewStatus.DRAFT
    )
    #: {criterion name: level index, 0 = lowest}
    levels: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    #: {criterion name: comment}
    comments: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    overall_comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    max_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"), nullable=True)
    supersede_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    #: SHA-256 of the canonical JSON of what was submitted, by whom, when.
    digest: Mapped[str | None] = mapped_column(String(64), nullable=True)

    team = relationship("ProjectTeam", back_populates="reviews")
    deliverable = relationship("Deliverable")
    reviewer = relationship("User")
    supersedes = relationship("Review", remote_side=[id])

    @property
    def submitted(self) -> bool:
        return self.status != ReviewStatus.DRAFT
