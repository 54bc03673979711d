"""Content releases: which git commit of the content repository was loaded, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models.base import utcnow


class ContentRelease(db.Model):
    __tablename__ = "content_releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Git commit of the content repository, or "worktree-<hash>" outside git.
    commit: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    #: True when the working tree had uncommitted changes at load time.
    dirty: Mapped[bool] = mapped_column(default=False, nullable=False)
    content_dir: Mapped[str] = mapped_column(String(500), nullable=False)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow)
    #: Problems found while loading, one per line, each naming its file.
    problems: Mapped[str] = mapped_column(Text, default="", nullable=False)
    #: "working-tree" (served from LMS_CONTENT_DIR as it is), "live" (the published snapshot
    #: every process serves), "retired" (a previous live one), "refused" (failed its check).
    status: Mapped[str] = mapped_column(String(20), default="working-tree", nullable=False)
    #: The branch, tag or commit asked for when it was published.
    ref: Mapped[str | None] = mapped_column(String(200), nullable=True)


class WebhookDelivery(db.Model):
    """A content-webhook delivery accepted, remembered while its signature is still fresh
    (``LMS_WEBHOOK_TOLERANCE_SECONDS``): the same delivery id again is a replay."""

    __tablename__ = "webhook_deliveries"

    #: The sender's ``X-LMS-Delivery``, covered by the signature.
    delivery_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    #: The ``X-LMS-Timestamp`` it was signed with (naive UTC); rows older than the window are
    #: deleted, since a delivery that old is refused as stale anyway.
    signed_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False, index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(), default=utcnow, nullable=False)
