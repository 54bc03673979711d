"""Submissions: learners' code, queued, graded in the sandbox, shown back test by test.

Its public API is :mod:`.operations`; the in-process grading pool is :mod:`.worker`.
"""

from __future__ import annotations

from flask import Flask

from lms.submissions import worker


def init_app(app: Flask) -> None:
    worker.init_app(app)
