"""Notifications: in the app for every recipient, by e-mail too when SMTP is configured.

``notify`` only adds rows to the session; the caller's unit of work commits them. Features'
notices that report a domain event subscribe to its signal (:mod:`lms.signals`); those that are
an operation's very purpose (an invitation, a survey) are sent by the operation.

E-mail leaves after that commit succeeds (a SQLAlchemy ``after_commit`` hook), never for a
transaction that was rolled back, and outside the request (see :mod:`lms.notifications.mail`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Literal

from flask import Flask, current_app
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import event, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, SessionTransaction

from lms.extensions import db
from lms.models import Notification, Role, User
from lms.models.base import utcnow
from lms.notifications import mail

log = logging.getLogger(__name__)

#: ``session.info`` key: ids of the notifications to e-mail once the transaction commits.
_PENDING = "lms_notifications_to_email"


def notify(
    users: Iterable[User], kind: str, subject: str, body: str, link: str | None = None
) -> list[Notification]:
    """Add one notification per user to the session (the caller commits) and arrange its
    e-mail for after the commit. Users without an e-mail address, inactive users, and every
    user while no SMTP host is configured get the in-app notification only.

    ``link`` is a site path ("/submissions/12"); e-mails make it absolute with LMS_BASE_URL.
    """
    if link is not None and not _is_safe_link(link):
        raise ValueError(f"a notification link must be a site path or an http(s) URL: {link!r}")
    users = list(users)
    notifications = [
        Notification(user_id=user.id, kind=kind, subject=subject[:200], body=body, link=link)
        for user in users
    ]
    db.session.add_all(notifications)
    db.session.flush()  # ids, for the e-mails sent after the commit
    if mail.enabled(current_app.config):
        db.session.info.setdefault(_PENDING, set()).update(
            n.id for n, user in zip(notifications, users, strict=True) if user.email and user.active
        )
    return notifications


def notify_each(
    users: Iterable[User],
    kind: str,
    subject: Callable[[], str],
    body: Callable[[], str],
    link: str | None = None,
) -> None:
    """Notify each user once, with ``subject`` and ``body`` rendered in the user's own
    language (the callables run under that locale)."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    for user in {u.id: u for u in users}.values():
        with force_locale(user.locale or default):
            notify([user], kind, subject(), body(), link)


def site_path(endpoint: str, **values) -> str:
    """The site path of a page ("/projects/teams/3"), for a notification's link: notices are
    also added outside a request (the workers, the CLI, tests), where ``url_for`` has no server
    to build for; the URL map alone gives the path."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def company_users(company_id: int) -> list[User]:
    """The active accounts of a company: who is told about what concerns it."""
    return list(
        db.session.scalars(
            select(User).where(
                User.organization_id == company_id, User.role == Role.COMPANY, User.active
            )
        )
    )


def unread_count(user: User) -> int:
    return db.session.scalar(_unread_count_query(user.id)) or 0


def recent(user: User, limit: int = 50) -> list[Notification]:
    """The user's own notifications, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_read(user: User, ids: Iterable[int] | Literal["all"]) -> int:
    """Mark the user's unread notifications among ``ids`` (or all of them) read; other users'
    notifications are never touched. Returns how many changed; the caller commits."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if ids != "all":
        query = query.where(Notification.id.in_(list(ids)))
    return db.session.execute(query.values(read_at=utcnow())).rowcount


def init_app(app: Flask) -> None:
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_transaction_end", _after_transaction_end)

    @app.context_processor
    def _unread_badge() -> dict:
        # A callable: only pages that show the badge (signed in) pay for the query.
        return {"unread_notifications": _badge_count}


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction may still roll back
    ids = session.info.pop(_PENDING, None)
    if ids:
        mail.dispatch(current_app._get_current_object(), ids)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        # Rolled back or closed without commit: those rows no longer exist, mail nothing.
        session.info.pop(_PENDING, None)


def _badge_count() -> int | None:
    """The signed-in user's unread count for the navigation bar, None if unknown.

    On its own connection, and never raising: the badge must neither break a page (the
    "database unavailable" page renders base.html too) nor abort the request's transaction.
    """
    try:
        with db.engine.connect() as connection:
            return connection.scalar(_unread_count_query(current_user.id))
    except SQLAlchemyError as exc:
        log.warning("unread notification count unavailable: %s", exc)
        return None


def _unread_count_query(user_id: int):
    return select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)
    )


def _is_safe_link(link: str) -> bool:
    # Shown as an href: a "javascript:" or protocol-relative link would be an injection.
    if link.startswith("/"):
        return not link.startswith("//") and "\\" not in link
    return link.startswith(("https://", "http://"))
