"""Runs one grading job in a fresh, isolated Docker container and returns its result.

The only package that imports ``docker``. Callers build a :class:`Job`, call :func:`run`, and
get a :class:`RunResult`; nothing here knows about the LMS's database.
"""

from sandbox.errors import ImageMissing, SandboxError, SandboxUnavailable
from sandbox.job import Job, Limits, RunResult, TestResult
from sandbox.runner import run, sweep_orphans

__all__ = [
    "ImageMissing",
    "Job",
    "Limits",
    "RunResult",
    "SandboxError",
    "SandboxUnavailable",
    "TestResult",
    "run",
    "sweep_orphans",
]
