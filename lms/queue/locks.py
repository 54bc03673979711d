"""One process at a time for the relay and the reconciler, across hosts, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from lms.extensions import db

#: Advisory lock keys ("LMS" and a number), the same in every process.
RELAY = 0x4C4D5301
RECONCILER = 0x4C4D5302


@contextmanager
def exclusive(key: int) -> Iterator[bool]:
    """Yield whether this process holds ``key`` for the block. On PostgreSQL the lock is a
    session advisory lock on a connection of its own, so the block may commit as often as it
    likes; if the process dies, the server drops the connection and the lock with it. SQLite
    serves one host, whose workers may well overlap: what they do is idempotent."""
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    with db.engine.connect() as connection:
        held = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}))
        try:
            yield held
        finally:
            if held:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                # The lock's own connection, not a unit of work: this only ends the
                # transaction SQLAlchemy began on it for the unlock.
                connection.commit()
