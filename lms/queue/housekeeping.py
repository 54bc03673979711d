"""The periodic thread of `lms worker`: relay every second or so, reconcile every
``LMS_RECONCILE_SECONDS``, and the chores the in-process pool also does (registered at
:func:`lms.create_app`, :mod:`lms.background`: audit checkpoints, placement surveys). Each is a
unit of work of its own.

After the database was unreachable, the reconciler takes nothing back for one lease term
(``LMS_LEASE_SECONDS``): leases that ran out meanwhile prove nothing, since no worker could
renew its lease, and live workers renew theirs within a beat of the database's return. Only
those that stay expired a whole term later belong to dead workers. The relay's round every
second notices any outage long enough to matter.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from flask import Flask

from lms import background
from lms.outages import OutageLog
from lms.queue import relay
from lms.queue.celery_app import publish
from lms.queue.reconciler import reconcile
from lms.transactions import unit_of_work

log = logging.getLogger(__name__)
RELAY_SECONDS = 1.0


class Housekeeper:
    def __init__(self, app: Flask, relay_seconds: float = RELAY_SECONDS) -> None:
        self.app = app
        self.relay_seconds = relay_seconds
        self.reconcile_seconds = float(app.config["LMS_RECONCILE_SECONDS"])
        self.lease_seconds = float(app.config["LMS_LEASE_SECONDS"])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="lms-housekeeper", daemon=True)
        self._next_reconcile = 0.0
        self.outage = OutageLog(log, "housekeeping")

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.relay_seconds)

    def run_once(self) -> None:
        """One round: relay, and the other chores when they are due."""
        with self.app.app_context():
            if self._guarded(self._relay) and self.outage.succeeded():  # every round
                log.warning("expired leases are left %.0f s to be renewed", self.lease_seconds)
            if time.monotonic() >= self._next_reconcile:
                self._next_reconcile = time.monotonic() + self.reconcile_seconds
                self._guarded(self._reconcile)
                for chore in background.of(self.app).chores:
                    self._guarded(chore.run)

    def _relay(self) -> None:
        relay.publish_pending(lambda kind, target: publish(self.app, kind, target))

    def _reconcile(self) -> None:
        config = self.app.config
        reconcile(
            config["LMS_MAX_ATTEMPTS"],
            timedelta(seconds=config["LMS_REPUBLISH_AFTER_SECONDS"]),
            # A whole term after an outage: see the module.
            take_back=self.outage.steady_for(self.lease_seconds),
        )

    def _guarded(self, chore) -> bool:
        """Run a chore in a unit of work of its own; False when it failed (logged once per
        outage when the database is away)."""
        try:
            with unit_of_work():
                chore()
        except Exception as exc:  # noqa: BLE001 - the thread must survive a database outage
            self.outage.failed(exc)
            return False
        return True
