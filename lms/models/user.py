"""Users, their roles, and API tokens."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from lms.extensions import db
from lms.models.base import enum_type, utcnow


class Role(enum.StrEnum):
    LEARNER = "learner"
    TRAINER = "trainer"
    COMPANY = "company"
    AUDITOR = "auditor"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Login name, stored lower-case.
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    #: werkzeug's salted scrypt hash; never the password.
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[Role] = mapped_column(enum_type(Role), nullable=False)
    #: The operator a trainer or learner belongs to, or the company of a company user.
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id"), nullable=True
    )
    #: Preferred interface language ("fr", "en"); None follows the browser.
    locale: Mapped[str | None] = mapped_column(String(10), nullable=True)
    active: Mapped[bool] = mapped_column(default=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)

    organization = relationship("Organization")

    def set_password(self, password: str) -> None:
        # scrypt in production (LMS_PASSWORD_HASH); the test suite sets a fast method, since
        # ~0.1 s of CPU per hash would otherwise be most of its set-up time.
        method = (
            current_app.config.get("LMS_PASSWORD_HASH", "scrypt") if has_app_context() else "scrypt"
        )
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # flask-login asks this
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; it expires, carries the
    scopes it was asked for, and can be revoked (lms/api/tokens.py)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    #: What its owner called it ("CI", "laptop"), to tell tokens apart in the list; optional.
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: Space-separated scopes, from lms.api.tokens.SCOPES ("read submit").
    scopes: Mapped[str] = mapped_column(String(100), nullable=False, default="read submit")
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    #: Refused from this instant on (naive UTC).
    expires_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    revoked: Mapped[bool] = mapped_column(default=False, nullable=False)
    #: When it was revoked (the audit chain says by whom); None while it is not.
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)

    user = relationship("User")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())

    def expired(self, now: datetime) -> bool:
        return self.expires_at <= now

    def usable(self, now: datetime) -> bool:
        return not self.revoked and not self.expired(now)
