"""The embedded grading queue: a pool of threads inside the web process.

No broker: workers poll the submissions table (the source of truth) and are woken at once
when this process records a submission. Several processes may each run a pool; claiming is
atomic, so they share the work. Exercises come first; when none waits, a worker runs the
automated checks of project deliverables (:mod:`lms.projects.checks`).
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from lms import content as content_module
from lms.certification.auditing import checkpoints
from lms.leases import LeaseTerms
from lms.outages import OutageLog
from lms.outcomes.recording import surveys
from lms.projects import checks
from lms.submissions import operations

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0
#: How often a worker looks for submissions abandoned by a dead worker.
REQUEUE_EVERY = 30


class WorkerPool:
    def __init__(self, app: Flask, size: int) -> None:
        self.app = app
        self.size = size
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.outage = OutageLog(log, "grading worker")

    def start(self) -> None:
        with self.app.app_context():
            self._recover()
        for index in range(self.size):
            thread = threading.Thread(target=self._loop, name=f"lms-grader-{index}", daemon=True)
            thread.start()
            self._threads.append(thread)
        log.info("grading pool started with %d workers", self.size)

    def notify(self) -> None:
        """A submission was queued: wake a worker now rather than at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)

    def _recover(self) -> None:
        """After a crash or restart: submissions left running get graded again."""
        try:
            requeued = operations.requeue_stale()
            if requeued:
                log.warning("re-queued %d abandoned submissions", requeued)
        except Exception:  # noqa: BLE001 - the database may be down; the loop retries
            log.exception("could not re-queue abandoned submissions")
        try:
            from sandbox import runner

            runner.sweep_orphans()
        except Exception as exc:  # noqa: BLE001 - grading waits for the sandbox to work
            log.warning("could not sweep orphan grading boxes: %s", exc)

    def _loop(self) -> None:
        config, rounds = self.app.config, 0
        terms = LeaseTerms.from_config(config)
        while not self._stop.is_set():
            rounds += 1
            try:
                with self.app.app_context():
                    if rounds % REQUEUE_EVERY == 0:
                        # Leases that ran out during an outage prove nothing: their workers
                        # could not renew them. A term later, only dead workers' are expired.
                        if self.outage.steady_for(terms.term.total_seconds()):
                            operations.requeue_stale()
                        checkpoints.make_if_due()
                        surveys.send_if_due()  # once an hour per process at most
                    worked = operations.grade_next(
                        content_module.current(),
                        config["LMS_MAX_ATTEMPTS"],
                        config.get("LMS_DOCKER_URL"),
                        terms,
                    ) or checks.run_next(config.get("LMS_DOCKER_URL"), terms)
                self.outage.succeeded()
            except Exception as exc:  # noqa: BLE001 - a worker thread must survive anything
                self.outage.failed(exc)
                worked = False
            if not worked:
                self._wake.wait(POLL_SECONDS)
                self._wake.clear()


def pool(app: Flask) -> WorkerPool | None:
    return app.extensions.get("lms.workers")


def start_pool(app: Flask) -> WorkerPool:
    """Start this process's pool once (idempotent)."""
    existing = pool(app)
    if existing is not None:
        return existing
    workers = WorkerPool(app, app.config["LMS_WORKERS"])
    app.extensions["lms.workers"] = workers
    workers.start()
    return workers
