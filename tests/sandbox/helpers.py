"""Grading real submissions in real boxes, for the sandbox tests."""

from __future__ import annotations

import time
from pathlib import Path

from lms import grading
from sandbox import Job, Limits, RunResult, run
from sandbox.framework import pytest_tests
from sandbox.warm import WarmPool

EXERCISES = Path(__file__).resolve().parents[2] / "exercises"
#: Box start-up and clean-up on a busy 2-core machine.
MARGIN = 4.0
LIMITS = Limits(timeout_seconds=3, memory_mb=128, grace_seconds=4)


def exercise(exercise_id: str) -> Path:
    return EXERCISES / exercise_id


def solution(exercise_id: str) -> dict[str, str]:
    folder = exercise(exercise_id) / "solution"
    return {p.name: p.read_text() for p in sorted(folder.iterdir()) if p.is_file()}


def job(
    files: dict[str, str],
    exercise_id: str = "python-backend/prix-ttc",
    grader: str = "python",
    limits: Limits = LIMITS,
    files_dir: Path | None = None,
    tests_dir: Path | None = None,
) -> Job:
    tests = tests_dir or exercise(exercise_id) / "tests"
    declared = None
    if grader in ("python", "data", "ml"):
        declared = sum(t.points for t in pytest_tests.discover_tests(tests))
    return Job(
        image=grading.get(grader).image,
        files=files,
        files_dir=files_dir,
        tests_dir=tests,
        limits=limits,
        max_score=declared,
    )


def grade(job_: Job, pool: WarmPool | None = None) -> tuple[RunResult, float]:
    """The result (a RunResult: the submission is graded, whatever the code did) and the time
    it took."""
    started = time.monotonic()
    result = pool.run(job_) if pool is not None else run(job_)
    assert isinstance(result, RunResult)
    return result, time.monotonic() - started


def max_score(exercise_id: str) -> int:
    return sum(t.points for t in pytest_tests.discover_tests(exercise(exercise_id) / "tests"))


def assert_no_marks(result: RunResult) -> None:
    assert result.score == 0, [(t.name, t.outcome, t.message[:200]) for t in result.tests]
    assert all(test.points == 0 for test in result.tests)


def assert_below_full_marks(result: RunResult) -> None:
    assert result.score < result.max_score, [(t.name, t.outcome) for t in result.tests]


def hidden_lines(tests_dir: Path) -> set[str]:
    """Lines of the hidden tests long enough to be recognised."""
    lines = set()
    for path in tests_dir.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".js", ".toml", ".sql"):
            lines |= {ln.strip() for ln in path.read_text().splitlines() if len(ln.strip()) >= 12}
    return lines


def assert_no_hidden_line(result: RunResult, tests_dir: Path) -> None:
    """No line of the hidden tests appears anywhere in what the learner is shown."""
    shown = [result.feedback, *(t.message for t in result.tests), *(t.name for t in result.tests)]
    secret = hidden_lines(tests_dir)
    for text in shown:
        for line in text.splitlines():
            assert line.strip() not in secret, f"hidden test line leaked: {line!r}"
