"""E-mail of notifications through the configured SMTP server.

Runs after the commit that created the notifications, outside the request: in its own app
context and its own database session, so that a slow or absent mail server never holds a
request or its transaction, and the outcome (``emailed_at`` or ``email_error``) is recorded on
each row.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections.abc import Collection, Mapping
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from urllib.parse import urljoin

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.models import Notification
from lms.models.base import utcnow
from lms.transactions import separate_unit

log = logging.getLogger(__name__)


def enabled(config: Mapping) -> bool:
    return bool(config.get("LMS_SMTP_HOST"))


def dispatch(app: Flask, ids: Collection[int]) -> None:
    """Send the e-mails of ``ids``: at once with ``LMS_MAIL_SYNC``, else in a daemon thread
    (bounded by ``LMS_SMTP_TIMEOUT`` per SMTP operation) so the request returns right away."""
    if app.config.get("LMS_MAIL_SYNC"):
        send_emails(app, ids)
        return
    thread = threading.Thread(target=send_emails, args=(app, ids), name="lms-mail", daemon=True)
    thread.start()


def send_emails(app: Flask, ids: Collection[int]) -> None:
    """E-mail each notification of ``ids`` not yet sent, and record the outcome on its row."""
    try:
        with app.app_context(), separate_unit() as session:
            pending = list(
                session.scalars(
                    select(Notification)
                    .options(joinedload(Notification.user))
                    .where(
                        Notification.id.in_(ids),
                        Notification.emailed_at.is_(None),
                        Notification.email_error.is_(None),
                    )
                    .order_by(Notification.id)
                )
            )
            if pending:
                _deliver(app.config, pending)
    except Exception:  # noqa: BLE001 - runs after the request: log, never raise into it
        log.exception("could not send notification e-mails %s", sorted(ids))


def _deliver(config: Mapping, notifications: list[Notification]) -> None:
    try:
        with _connect(config) as smtp:
            for notification in notifications:
                try:
                    smtp.send_message(message(config, notification))
                    notification.emailed_at = utcnow()
                except OSError as exc:  # smtplib's errors are OSErrors too
                    notification.email_error = _describe(exc)
    except OSError as exc:  # server unreachable, TLS or login refused
        for notification in notifications:
            if notification.emailed_at is None and notification.email_error is None:
                notification.email_error = _describe(exc)
        log.warning("SMTP server %s unavailable: %s", config["LMS_SMTP_HOST"], exc)


def _connect(config: Mapping) -> smtplib.SMTP:
    smtp = smtplib.SMTP(
        config["LMS_SMTP_HOST"], int(config["LMS_SMTP_PORT"]), timeout=config["LMS_SMTP_TIMEOUT"]
    )
    try:
        if config.get("LMS_SMTP_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("LMS_SMTP_USER"):
            smtp.login(config["LMS_SMTP_USER"], config.get("LMS_SMTP_PASSWORD") or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def message(config: Mapping, notification: Notification) -> EmailMessage:
    """The plain-text UTF-8 e-mail of one notification, its link made absolute."""
    sender = config["LMS_SMTP_FROM"]
    email = EmailMessage()
    email["Subject"] = notification.subject
    email["From"] = sender
    email["To"] = formataddr((notification.user.name, notification.user.email))
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    text = notification.body.rstrip()
    if notification.link:
        text += "\n\n" + urljoin(config["LMS_BASE_URL"].rstrip("/") + "/", notification.link)
    email.set_content(text + "\n", charset="utf-8")
    return email


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]
