"""The embedded grading queue: a pool of threads inside the web process.

No broker: workers poll the submissions table (the source of truth) and are woken at once
when this process commits a submission (or a deliverable's check) to grade. Several processes
may each run a pool; claiming is atomic, so they share the work, in the fair order of
:mod:`lms.submissions.fairness` (cohorts, then learners, take turns). Exercises come first; when
none waits, a worker runs the idle jobs registered at :func:`lms.create_app` (a deliverable's
automated check), and now and then the periodic chores (:mod:`lms.background`).

Each step of the work is a unit of work of its own (:mod:`lms.transactions`), inside the unit
of its round.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app, has_app_context
from sqlalchemy import event

from lms import background, transactions
from lms import content as content_module
from lms.config import grades_in_web_process
from lms.extensions import db
from lms.leases import LeaseTerms
from lms.models.queue import queued_by_flush
from lms.outages import OutageLog
from lms.submissions import operations
from sandbox import runner

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0
#: How often a worker looks for submissions abandoned by a dead worker, and does the chores.
REQUEUE_EVERY = 30
EXTENSION = "lms.workers"
_start_lock = threading.Lock()


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
        """Work was queued: wake a worker now rather than at the next poll."""
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
            runner.sweep_orphans()
        except Exception as exc:  # noqa: BLE001 - grading waits for the sandbox to work
            log.warning("could not sweep orphan grading boxes: %s", exc)

    def _loop(self) -> None:
        config, rounds = self.app.config, 0
        terms = LeaseTerms.from_config(config)
        registered = background.of(self.app)
        while not self._stop.is_set():
            rounds += 1
            try:
                # One round, one unit of work; its steps (a claim, a result, a chore) commit on
                # their own, and whatever a failed round left is rolled back.
                with self.app.app_context(), transactions.unit_of_work():
                    if rounds % REQUEUE_EVERY == 0:
                        # Leases that ran out during an outage prove nothing: their workers
                        # could not renew them. A term later, only dead workers' are expired.
                        if self.outage.steady_for(terms.term.total_seconds()):
                            operations.requeue_stale()
                        for chore in registered.chores:
                            background.run_chore(chore)
                    docker_url = config.get("LMS_DOCKER_URL")
                    worked = operations.grade_next(
                        content_module.current(),
                        config["LMS_MAX_ATTEMPTS"],
                        docker_url,
                        terms,
                        config["LMS_GRADING_ORDER"],
                    ) or any(job(docker_url, terms) for job in registered.idle_jobs)
                self.outage.succeeded()
            except Exception as exc:  # noqa: BLE001 - a worker thread must survive anything
                self.outage.failed(exc)
                worked = False
            if not worked:
                self._wake.wait(POLL_SECONDS)
                self._wake.clear()


def pool(app: Flask) -> WorkerPool | None:
    return app.extensions.get(EXTENSION)


def start_pool(app: Flask) -> WorkerPool:
    """Start this process's pool once (idempotent)."""
    existing = pool(app)
    if existing is not None:
        return existing
    workers = WorkerPool(app, app.config["LMS_WORKERS"])
    app.extensions[EXTENSION] = workers
    workers.start()
    return workers


def init_app(app: Flask) -> None:
    """When this process grades: start the pool on the first request, and wake it whenever a
    unit of work that queued work commits."""
    if not grades_in_web_process(app.config):
        return

    @app.before_request
    def _start_workers() -> None:
        # Started on the first request, not in create_app: building the app must not spawn
        # threads or reach Docker (tests, CLI commands, gunicorn's master process).
        if pool(app) is None:
            with _start_lock:
                start_pool(app)

    # One listener for every app of the process; it wakes the flushing app's pool, if any.
    if not event.contains(db.session, "after_flush", _wake_after_commit):
        event.listen(db.session, "after_flush", _wake_after_commit)


def _wake_after_commit(session, flush_context) -> None:  # noqa: ARG001
    if has_app_context() and pool(current_app) is not None and queued_by_flush(session):
        transactions.after_commit(_wake, key=_wake, session=session)


def _wake() -> None:
    workers = pool(current_app)
    if workers is not None:
        workers.notify()
