"""The grader interface every track plugs into, and the registry of graders by name.

A grader turns (exercise, files) into a :class:`sandbox.RunResult`. It never touches the
database. Adding a track's grader is one folder under ``graders/`` (a Dockerfile built FROM the
base image, and its judge adapter in the shared framework) and one class here, listed in
:data:`BUILT_IN`. :func:`lms.create_app` registers the graders its app grades with
(:func:`init_app`); code that runs outside an app (the sandbox's own tests, benchmarks, scripts)
gets the built-in ones.

Box graders run with their exercise's judge prepared ahead and learners' boxes started ahead
(:mod:`sandbox.warm`) when the app's ``LMS_WARM_CONTAINERS`` (boxes ahead per image and limits,
default 2; 0 runs every grading cold) allows: one pool per process, shared by the process's
grading threads, closed at exit.
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import threading
import time
import tomllib
from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, current_app, has_app_context

import sandbox
from sandbox.framework import checks, node_tests, pytest_tests
from sandbox.images import grader_tag
from sandbox.result import tests_of
from sandbox.warm import WarmPool

if TYPE_CHECKING:
    from lms.content.model import Exercise

GRADERS_ROOT = Path(__file__).resolve().parent.parent.parent / "graders"
EXTENSION = "lms.graders"
#: Warm containers kept per grader image and limits when the app does not say.
DEFAULT_WARM_CONTAINERS = 2
_pools: dict[str | None, WarmPool] = {}
_pools_lock = threading.Lock()


def init_app(app: Flask, graders: Iterable[type[Grader]]) -> None:
    """Register the graders ``app`` grades with, by name (a name registered twice is a
    mistake: refused)."""
    registry: dict[str, type[Grader]] = {}
    for grader in graders:
        if grader.name in registry:
            raise ValueError(f"two graders are named {grader.name!r}")
        registry[grader.name] = grader
    app.extensions[EXTENSION] = registry


def registered() -> dict[str, type[Grader]]:
    """The current app's graders by name; the built-in ones outside an app."""
    if has_app_context() and EXTENSION in current_app.extensions:
        return current_app.extensions[EXTENSION]
    return {grader.name: grader for grader in BUILT_IN}


def get(name: str) -> Grader:
    """The grader registered as ``name``; KeyError if there is none."""
    return registered()[name]()


class Grader(ABC):
    name: str

    def case_names(self, exercise: Exercise) -> list[str] | None:
        """The names of the exercise's cases, for graders whose cases may be declared examples
        (shown with their expected output); None for the others."""
        return None

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
        path: str = "auto",
        pool: WarmPool | None = None,
    ) -> sandbox.RunResult:
        """``path``: "auto" (the app's setting), "cold" (a new judge and learner's box), or
        "warm" (the exercise's zygote and a box ahead in ``pool``, waited for)."""
        job = sandbox.Job(
            image=self.image,
            files=files,
            tests_dir=exercise.tests_dir,
            limits=exercise.limits,
            language=language,
            labels=labels or {},
            max_score=exercise.max_score,
            seed=secret_seed(exercise.id, files),
            examples=exercise.examples,
        )
        if path == "warm":
            if pool is None:
                raise ValueError("grading on the warm path needs a pool")
            pool.prepare(job)
            return pool.run(job)
        pool = warm_pool(docker_url) if path == "auto" else None
        if pool is not None:
            return pool.run(job)
        engine = sandbox.runner.client(docker_url) if docker_url else None
        return sandbox.run(job, engine)


def warm_containers() -> int:
    """Warm containers to keep per image and limits: the app's setting, 0 outside an app."""
    if not has_app_context():
        return 0
    return int(current_app.config.get("LMS_WARM_CONTAINERS", DEFAULT_WARM_CONTAINERS) or 0)


def warm_pool(docker_url: str | None) -> WarmPool | None:
    """This process's pool for ``docker_url``, created on first use; None when disabled."""
    size = warm_containers()
    if size <= 0:
        return None
    with _pools_lock:
        pool = _pools.get(docker_url)
        if pool is None:
            pool = _pools[docker_url] = WarmPool(size, docker_url=docker_url)
            atexit.register(pool.close)
        # The latest setting wins: a smaller size lets the pool shrink as it is used.
        pool.size = size
        return pool


def close_warm_pools() -> None:
    """Remove every warm container of this process (worker shutdown, tests)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


def secret_seed(exercise_id: str, files: dict[str, str]) -> int:
    """A seed for held-out data that the learner's code cannot know: derived from the app's
    secret and the submitted code, so that re-grading the same code uses the same seed."""
    key = current_app.config["SECRET_KEY"].encode() if has_app_context() else b"lms"
    code = "\0".join(f"{name}\0{files[name]}" for name in sorted(files))
    digest = hmac.new(key, f"{exercise_id}\0{code}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big")


def discover_tests(grader: str, tests_dir: Path) -> list:
    """The tests a suite declares, with their points, read without running anything."""
    if grader == "javascript":
        return node_tests.discover_tests(tests_dir)
    return pytest_tests.discover_tests(tests_dir)


class PythonGrader(ContainerGrader):
    """pytest tests in ``tests/test_*.py``; ``@pytest.mark.points(N)`` per test."""

    name = "python"

    def max_score(self, exercise: Exercise) -> int:
        tests = pytest_tests.discover_tests(exercise.tests_dir)
        if not tests:
            raise ValueError("no test_* function in tests/test_*.py")
        return sum(test.points for test in tests)


class DataGrader(PythonGrader):
    """The Python harness in an image with pandas and NumPy (``graders/data``)."""

    name = "data"


class MLGrader(PythonGrader):
    """The Python harness in an image with NumPy and scikit-learn (``graders/ml``)."""

    name = "ml"


class SqlGrader(ContainerGrader):
    """SQLite: the learner's query against ``schema.sql`` (plus each case's setup), compared
    with ``reference.sql``; cases and points in ``checks.toml``."""

    name = "sql"

    def case_names(self, exercise: Exercise) -> list[str]:
        return [case["name"] for case in checks.load_sql(exercise.tests_dir)["case"]]

    def max_score(self, exercise: Exercise) -> int:
        try:
            return checks.sql_max_score(exercise.tests_dir)
        except (KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"checks.toml: {exc}") from None


class ShellGrader(ContainerGrader):
    """bash scripts run on fixture files, case by case, and capture-the-flag answers checked
    by SHA-256 (the flag is never stored in clear); cases and flags in ``checks.toml``."""

    name = "shell"

    def case_names(self, exercise: Exercise) -> list[str]:
        return [case["name"] for case in checks.load_shell(exercise.tests_dir).get("case", [])]

    def max_score(self, exercise: Exercise) -> int:
        try:
            return checks.shell_max_score(exercise.tests_dir)
        except (KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"checks.toml: {exc}") from None


class JavaScriptGrader(ContainerGrader):
    """node:test tests in ``tests/*.test.js``: top-level ``test('name [N pts]', ...)`` calls."""

    name = "javascript"

    def max_score(self, exercise: Exercise) -> int:
        tests = node_tests.discover_tests(exercise.tests_dir)
        if not tests:
            raise ValueError("no top-level test('...') call in tests/*.test.js")
        return sum(test.points for test in tests)


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
        started = time.monotonic()
        data = exercise.quiz.grade(files.get("answers.json", "{}"), language)
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


#: Every grader of the LMS, registered by :func:`lms.create_app`.
BUILT_IN: tuple[type[Grader], ...] = (
    PythonGrader,
    DataGrader,
    MLGrader,
    SqlGrader,
    ShellGrader,
    JavaScriptGrader,
    QuizGrader,
)
