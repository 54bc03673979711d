"""Notifications: what a user should know, shown in the app and e-mailed when SMTP is set up."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.base import utcnow


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    #: What it is about, for filtering and styling ("submission_graded", "content_release").
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    #: Plain text, in the language the sender chose for this user.
    body: Mapped[str] = mapped_column(Text, nullable=False)
    #: Where to go: a site path ("/submissions/12"), made absolute in e-mails.
    link: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, nullable=False)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    #: When the SMTP server accepted the e-mail; None when none was sent (yet).
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    #: Why the e-mail could not be sent; the in-app notification stands regardless.
    email_error: Mapped[str | None] = mapped_column(String(500), nullable=True)

    user = relationship("User")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} user={self.user_id}>"
