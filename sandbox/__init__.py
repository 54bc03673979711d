"""Runs one grading job: the judge and the learner's code in boxes of their own, and returns
its result.

The only package that imports ``docker`` (to build grader images and export their file
systems) and starts boxes (with runc). Callers build a :class:`Job`, call :func:`run`, and get
a :class:`RunResult`; nothing here knows about the LMS's database.
"""

import sys
from pathlib import Path

# The grading framework lives in the base grader image's folder (it is baked into every image);
# the host uses its control channel and static readers from the same files.
_FRAMEWORK = Path(__file__).resolve().parent.parent / "graders" / "base"
if str(_FRAMEWORK) not in sys.path:
    sys.path.append(str(_FRAMEWORK))

from sandbox.errors import ImageMissing, SandboxError, SandboxUnavailable  # noqa: E402
from sandbox.job import Job, Limits, RunResult, TestResult  # noqa: E402
from sandbox.runner import run, sweep_orphans  # noqa: E402

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
