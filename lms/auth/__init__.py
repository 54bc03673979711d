"""Sign-in with Flask-Login (web). API tokens: lms/api/tokens.py."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext
from sqlalchemy import func, select

from lms.extensions import db, login_manager
from lms.models import User


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
