"""The periodic thread of `lms worker`: relay every second or so, reconcile every
``LMS_RECONCILE_SECONDS``, and the chores the in-process pool also does (audit checkpoints,
placement surveys)."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from flask import Flask

from lms.certification import checkpoints
from lms.extensions import db
from lms.outcomes import surveys
from lms.queue import relay
from lms.queue.celery_app import publish
from lms.queue.reconciler import reconcile

log = logging.getLogger(__name__)
RELAY_SECONDS = 1.0


class Housekeeper:
    def __init__(self, app: Flask, relay_seconds: float = RELAY_SECONDS) -> None:
        self.app = app
        self.relay_seconds = relay_seconds
        self.reconcile_seconds = float(app.config["LMS_RECONCILE_SECONDS"])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="lms-housekeeper", daemon=True)
        self._next_reconcile = 0.0

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            with self.app.app_context():
                self._guarded(self._relay)
                if time.monotonic() >= self._next_reconcile:
                    self._next_reconcile = time.monotonic() + self.reconcile_seconds
                    self._guarded(self._reconcile)
                    self._guarded(checkpoints.make_if_due)
                    self._guarded(surveys.send_if_due)  # once an hour per process at most
            self._stop.wait(self.relay_seconds)

    def _relay(self) -> None:
        relay.publish_pending(lambda kind, target: publish(self.app, kind, target))

    def _reconcile(self) -> None:
        config = self.app.config
        reconcile(
            config["LMS_MAX_ATTEMPTS"], timedelta(seconds=config["LMS_REPUBLISH_AFTER_SECONDS"])
        )

    @staticmethod
    def _guarded(chore) -> None:
        try:
            chore()
        except Exception:  # noqa: BLE001 - the thread must survive a database outage
            db.session.rollback()
            log.exception("housekeeping: %s failed", getattr(chore, "__name__", chore))
