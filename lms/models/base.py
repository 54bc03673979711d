"""Shared column helpers."""

import enum
from datetime import UTC, datetime

from sqlalchemy import Enum


def utcnow() -> datetime:
    """Naive UTC now. Every timestamp column holds naive UTC, the one form SQLite and
    PostgreSQL round-trip identically."""
    return datetime.now(UTC).replace(tzinfo=None)


def enum_type(kind: type[enum.Enum]) -> Enum:
    """A VARCHAR holding the enum's *values* ("queued"), readable in SQL and reports."""
    return Enum(
        kind,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )
