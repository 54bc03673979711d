"""Sign-in with Flask-Login (web) and bearer tokens (API)."""

from __future__ import annotations

import secrets

from flask import Flask
from flask_babel import lazy_gettext
from sqlalchemy import func, select

from lms.extensions import db, login_manager
from lms.models import ApiToken, User
from lms.models.base import utcnow


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for unknown email and
    wrong password, so the form does not reveal who has an account)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def issue_token(user: User) -> str:
    """A new API token for ``user``; only its hash is stored, the token is shown once."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=ApiToken.hash(token)))
    db.session.flush()
    return token


def user_for_token(token: str) -> User | None:
    api_token = db.session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == ApiToken.hash(token), ApiToken.revoked.is_(False)
        )
    )
    if api_token is None or not api_token.user.active:
        return None
    api_token.last_used_at = utcnow()
    return api_token.user
