"""One log line per database outage for the background loops, not a traceback a second.

The grading threads and the worker's housekeeper retry every second or so; while PostgreSQL is
away each round fails the same way, and a traceback per round and thread buries the one line
an operator needs: when the outage began and when it ended. Errors that are not an outage are
still logged in full every time.
"""

from __future__ import annotations

import logging
import threading
import time

from lms.errors import first_line, is_database_unreachable


class OutageLog:
    """Shared by the threads of one loop; thread-safe."""

    def __init__(self, log: logging.Logger, what: str) -> None:
        self.log = log
        self.what = what
        self.down = False
        self.failures = 0  # attempts that failed during the current (or last) outage
        #: When the database answered again after the last outage (time.monotonic()).
        self.back_at = -float("inf")
        self._lock = threading.Lock()

    def failed(self, error: BaseException) -> None:
        """Report a failed round; call from an ``except`` block."""
        if not is_database_unreachable(error):
            self.log.exception("%s failed", self.what)
            return
        with self._lock:
            first, self.down = not self.down, True
            self.failures = 1 if first else self.failures + 1
        if first:
            self.log.warning(
                "%s: database unreachable, retrying quietly: %s", self.what, first_line(error)
            )

    def succeeded(self) -> bool:
        """Report a round that reached the database; True when it ends an outage."""
        if not self.down:
            return False
        with self._lock:
            ended, self.down = self.down, False
            if ended:
                self.back_at = time.monotonic()
        if ended:
            self.log.warning(
                "%s: database reachable again after %d failed attempt(s)", self.what, self.failures
            )
        return ended

    def steady_for(self, seconds: float) -> bool:
        """Whether the database has answered for at least ``seconds`` since the last outage."""
        return not self.down and time.monotonic() - self.back_at >= seconds
