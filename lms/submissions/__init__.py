"""Submissions: learners' code, queued, graded in the sandbox, shown back test by test."""

from __future__ import annotations

import threading

from flask import Flask

from lms.config import grades_in_web_process

_start_lock = threading.Lock()


def init_app(app: Flask) -> None:
    if app.config["LMS_QUEUE"] == "celery":
        from lms.queue import outbox

        outbox.init_app(app)
    if not grades_in_web_process(app.config):
        return

    @app.before_request
    def _start_workers() -> None:
        # Started on the first request, not in create_app: building the app must not spawn
        # threads or reach Docker (tests, CLI commands, gunicorn's master process).
        from lms.submissions.worker import pool, start_pool

        if pool(app) is None:
            with _start_lock:
                start_pool(app)


def notify_workers(app: Flask) -> None:
    from lms.submissions.worker import pool

    workers = pool(app)
    if workers is not None:
        workers.notify()
