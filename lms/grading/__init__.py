"""The grader interface every track plugs into, and the registry of graders by name.

A grader turns (exercise, files) into a :class:`sandbox.RunResult`. It never touches the
database. Adding a track's grader is one folder under ``graders/`` and one registered class.
"""

from __future__ import annotations

import importlib.util
import sys
import time
import tomllib
from abc import ABC, abstractmethod
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import sandbox
from sandbox.images import grader_tag
from sandbox.result import tests_of

if TYPE_CHECKING:
    from lms.content.model import Exercise

GRADERS_ROOT = Path(__file__).resolve().parent.parent.parent / "graders"
GRADERS: dict[str, type[Grader]] = {}


def register(cls: type[Grader]) -> type[Grader]:
    GRADERS[cls.name] = cls
    return cls


def get(name: str) -> Grader:
    """The grader registered as ``name``; KeyError if there is none."""
    return GRADERS[name]()


class Grader(ABC):
    name: str

    @abstractmethod
    def max_score(self, exercise: Exercise) -> int:
        """Points available, known from the content alone (no learner code runs)."""

    @abstractmethod
    def grade(
        self,
        exercise: Exercise,
        files: dict[str, str],
        language: str = "fr",
        labels: dict[str, str] | None = None,
        docker_url: str | None = None,
    ) -> sandbox.RunResult:
        """Grade ``files`` against ``exercise``'s hidden tests."""


class ContainerGrader(Grader):
    """A grader whose harness runs in the image built from ``graders/<name>/``."""

    @property
    def image(self) -> str:
        return grader_tag(GRADERS_ROOT / self.name)

    def grade(
        self,
        exercise: Exercise,
        files: dict[str, str],
        language: str = "fr",
        labels: dict[str, str] | None = None,
        docker_url: str | None = None,
    ) -> sandbox.RunResult:
        job = sandbox.Job(
            image=self.image,
            files=files,
            tests_dir=exercise.tests_dir,
            limits=exercise.limits,
            language=language,
            labels=labels or {},
            max_score=exercise.max_score,
        )
        engine = sandbox.runner.client(docker_url) if docker_url else None
        return sandbox.run(job, engine)


@cache
def harness(grader: str):
    """The harness module of ``graders/<grader>``, for what it reads statically from tests."""
    spec = importlib.util.spec_from_file_location(
        f"lms_{grader}_harness", GRADERS_ROOT / grader / "harness.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@register
class PythonGrader(ContainerGrader):
    """pytest tests in ``tests/test_*.py``; ``@pytest.mark.points(N)`` per test."""

    name = "python"

    def max_score(self, exercise: Exercise) -> int:
        tests = harness("python").discover_tests(exercise.tests_dir)
        if not tests:
            raise ValueError("no test_* function in tests/test_*.py")
        return sum(test.points for test in tests)


@register
class DataGrader(PythonGrader):
    """The Python harness in an image with pandas and NumPy (``graders/data``)."""

    name = "data"


@register
class MLGrader(PythonGrader):
    """The Python harness in an image with NumPy and scikit-learn (``graders/ml``)."""

    name = "ml"


@register
class SqlGrader(ContainerGrader):
    """SQLite: the learner's query against ``schema.sql`` (plus each case's setup), compared
    with ``reference.sql``; cases and points in ``checks.toml``."""

    name = "sql"

    def max_score(self, exercise: Exercise) -> int:
        try:
            return harness("sql").max_score(exercise.tests_dir)
        except (KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"checks.toml: {exc}") from None


@register
class ShellGrader(ContainerGrader):
    """bash scripts run on fixture files, case by case, and capture-the-flag answers checked
    by SHA-256 (the flag is never stored in clear); cases and flags in ``checks.toml``."""

    name = "shell"

    def max_score(self, exercise: Exercise) -> int:
        try:
            return harness("shell").max_score(exercise.tests_dir)
        except (KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"checks.toml: {exc}") from None


@register
class JavaScriptGrader(ContainerGrader):
    """node:test tests in ``tests/*.test.js``: top-level ``test('name [N pts]', ...)`` calls."""

    name = "javascript"

    def max_score(self, exercise: Exercise) -> int:
        tests = harness("javascript").discover_tests(exercise.tests_dir)
        if not tests:
            raise ValueError("no top-level test('...') call in tests/*.test.js")
        return sum(test.points for test in tests)


@register
class QuizGrader(Grader):
    """Quizzes written in lessons: graded here, in microseconds, with no container."""

    name = "quiz"

    def max_score(self, exercise: Exercise) -> int:
        return len(exercise.quiz.questions) if exercise.quiz else 0

    def grade(
        self,
        exercise: Exercise,
        files: dict[str, str],
        language: str = "fr",
        labels: dict[str, str] | None = None,
        docker_url: str | None = None,
    ) -> sandbox.RunResult:
        from lms.content.quiz import grade

        started = time.monotonic()
        data = grade(exercise.quiz, files.get("answers.json", "{}"), language)
        return sandbox.RunResult(
            score=data["score"],
            max_score=data["max_score"],
            tests=tests_of(data),
            feedback=data["feedback"],
            truncated=False,
            limit_hit=None,
            tampered=False,
            image_digest="in-app:quiz",
            duration=time.monotonic() - started,
            exit_code=None,
        )
