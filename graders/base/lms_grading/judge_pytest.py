"""The judge for pytest suites: the hidden tests run here, the learner's code in its own process.

Authors write ordinary pytest files (``from prix import prix_ttc``). An import hook makes every
module of the learner's files a :class:`~lms_grading.proxies.LearnerModule`, so each call goes
to the learner's process and comes back as plain data (see :mod:`lms_grading.proxies`).

Two ways to run:

- **cold**: one job; pytest starts, collects and runs the tests.
- **zygote**: pytest is imported and the tests collected once, ahead of any submission (the
  learner's names are then references resolved later); for each job the zygote forks, the child
  takes the job's learner process and runs the collected tests. A suite whose modules use the
  learner's code while being imported cannot be collected ahead: its zygote only imports pytest,
  and each child collects for itself.

Reports are read here, in the judge, where the learner's code never runs: no nonce, no canary,
no snapshot is needed.
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import os
import socket
import sys
from pathlib import Path

import pytest

from lms_grading import results
from lms_grading.control import Control
from lms_grading.judging import (
    Job,
    adopt,
    connect_first,
    learner_for,
    receive,
    serve_jobs,
    stop_message,
)
from lms_grading.proxies import (
    Learner,
    LearnerModule,
    LearnerStopped,
    NeedsLearner,
    bind_names,
)
from lms_grading.pytest_tests import discover_tests

TESTS = Path("/job/tests")
#: Exception names that mean "the answer is wrong" rather than "the code crashed".
FAILURES = (AssertionError, pytest.fail.Exception)
PYTEST_ARGS = [
    "-p",
    "no:cacheprovider",
    "-p",
    "no:stepwise",
    # Plugins a judge does not need, each of which costs time on every test.
    "-p",
    "no:logging",
    "-p",
    "no:warnings",
    "-p",
    "no:junitxml",
    "-p",
    "no:doctest",
    "-p",
    "no:pastebin",
    "-p",
    "no:nose",
    "-q",
    "--assert=plain",
    "--capture=sys",
    "--tb=no",
    "--color=no",
    "--continue-on-collection-errors",
    "-o",
    "python_classes=",
    "-o",
    "python_files=test_*.py",
    "--rootdir",
    str(TESTS),
]


class EarlierStop(LearnerStopped):
    """The learner's process stopped during an earlier test and could not be restarted."""


def test_modules() -> set[str]:
    prefix = str(TESTS) + "/"
    return {
        name
        for name, module in list(sys.modules.items())
        if str(getattr(module, "__file__", None) or "").startswith(prefix)
    }


class LearnerImporter(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import prix`` in a test gives the learner's module, living in the learner's process."""

    def __init__(self, learner: Learner, names: set[str], lazy: bool) -> None:
        taken = (
            set(sys.modules) | set(sys.stdlib_module_names) | {"pytest", "_pytest", "lms_grading"}
        )
        self.learner = learner
        self.names = {n for n in names if n not in taken}
        self.lazy = lazy

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] not in self.names:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec):
        return LearnerModule(spec.name, self.learner, self.lazy)

    def exec_module(self, module) -> None:
        if self.lazy:
            return
        try:
            self.learner.import_module(module.__name__)
        except ModuleNotFoundError as exc:
            # Named, as Python's own: ``from prix import etiquette`` tries ``prix.etiquette``
            # as a submodule first and, that failing, says "cannot import name 'etiquette'".
            raise ModuleNotFoundError(str(exc), name=module.__name__) from None


def install_importer(learner: Learner, names: set[str], lazy: bool) -> LearnerImporter:
    importer = LearnerImporter(learner, names, lazy)
    sys.meta_path.insert(0, importer)
    return importer


class JudgePlugin:
    """Collects each test's verdict as the judge sees it; lets the learner's process be
    replaced between tests after it stopped."""

    def __init__(self, learner: Learner) -> None:
        self.learner = learner
        self.job: Job | None = None
        self.phases: dict[tuple[str, str], list[dict]] = {}
        self.collect_errors: dict[str, str] = {}
        #: The test function during which the learner's process stopped.
        self.stopped_in: str | None = None
        self._tmp = 0

    def start(self, job: Job) -> None:
        self.job = job
        self.phases.clear()
        self.collect_errors.clear()

    def pytest_configure(self, config) -> None:
        config.addinivalue_line("markers", "points(n): points this test is worth (default 1)")

    @pytest.fixture
    def tmp_path(self) -> Path:
        """A folder of the exchange: what the test writes there, the learner's code can read,
        and the other way round (paths into it are translated on the way)."""
        self._tmp += 1
        base = Path(self.job.exchange or "/tmp") / "tmp"  # noqa: S108 - the judge's own tmpfs
        path = base / str(self._tmp)
        path.mkdir(parents=True, exist_ok=True)
        for folder in (base, path):
            folder.chmod(0o777)
        return path

    @pytest.fixture
    def secret_seed(self) -> int:
        """A seed for held-out data the learner's code cannot reproduce (same code, same seed)."""
        return secret_seed()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item) -> None:
        if self.learner.stopped is None:
            return
        # The other cases of the test that stopped it fail with it; the next test gets a new
        # process, if any is left.
        if _function(item.nodeid) == self.stopped_in or not self.learner.revive():
            raise EarlierStop("stopped earlier")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if call.excinfo is not None:
            report.lms_verdict = self.verdict(call.excinfo.value)
            if isinstance(call.excinfo.value, LearnerStopped) and self.stopped_in is None:
                self.stopped_in = _function(item.nodeid)
        if self.learner.stopped is None:
            self.stopped_in = None

    def pytest_exception_interact(self, node, call, report) -> None:
        if report.when == "collect" and call.excinfo is not None:
            error = call.excinfo.value
            # pytest wraps an import error in a CollectError holding the test module's
            # traceback: the learner is told the error itself.
            while isinstance(error, pytest.Collector.CollectError) and error.__cause__ is not None:
                error = error.__cause__
            self.collect_errors[Path(str(node.nodeid)).name] = self.verdict(error)[1]

    def pytest_runtest_logreport(self, report) -> None:
        file, _, function = report.nodeid.rpartition("::")
        self.phases.setdefault((Path(file).name, function.split("[")[0]), []).append(
            {
                "when": report.when,
                "outcome": report.outcome,
                "verdict": getattr(report, "lms_verdict", None),
            }
        )

    def verdict(self, error: BaseException) -> tuple[str, str]:
        """(outcome, message) for the learner, from what the test raised; never a traceback
        of the judge, never a line of the test's source."""
        text = results.texts(self.job.lang)
        if isinstance(error, EarlierStop):
            return "failed", text["after_stop"]
        if isinstance(error, LearnerStopped):
            return "failed", stop_message(error, self.job)
        if isinstance(error, pytest.skip.Exception):
            return "failed", text["skipped"]
        learner = getattr(error, "lms_learner", False)
        if isinstance(error, FAILURES) and not learner:
            message = str(getattr(error, "msg", None) or error).strip()
            return "failed", message or text["assertion"]
        message = f"{type(error).__name__}: {error}".strip()
        trace = getattr(error, "lms_trace", "") if learner else ""
        return "error", f"{message}\n{trace}".strip()

    def result(self, import_error: str | None) -> dict:
        job = self.job
        text = results.texts(job.lang)
        tests = []
        for expected in expected_tests():
            entry = results.test_entry(
                expected.description, expected.points, f"{expected.file}::{expected.function}"
            )
            phases = self.phases.get((expected.file, expected.function), [])
            if import_error is not None:
                entry.update(
                    outcome="error", message=text["import_error"].format(error=import_error)
                )
            elif phases:
                problems = [p for p in phases if p["outcome"] != "passed"]
                if not problems and any(p["when"] == "call" for p in phases):
                    entry.update(outcome="passed", points=expected.points)
                elif problems:
                    outcome, message = problems[0]["verdict"] or ("failed", text["not_run"])
                    entry.update(outcome=outcome, message=message)
            elif expected.file in self.collect_errors:
                entry.update(
                    outcome="error",
                    message=text["import_error"].format(error=self.collect_errors[expected.file]),
                )
            else:
                entry["message"] = text["not_run"]
            tests.append(entry)
        limit = self.learner.limit_hit
        note = stop_message(LearnerStopped(limit=limit), job) if limit else None
        result = results.build(tests, job.lang, limit, note)
        return results.fit(results.scrub(result, secret_lines(), job.lang))


@functools.cache
def expected_tests() -> list:
    """The tests owed a verdict (read once: a zygote's children inherit it)."""
    return discover_tests(TESTS)


@functools.cache
def secret_lines() -> set[str]:
    return results.hidden_lines(TESTS)


def _function(nodeid: str) -> str:
    return nodeid.split("[")[0]


_SEED: list[int] = []
#: The learner of the job at hand (for learner_module()).
_CURRENT: list[Learner] = []


def secret_seed() -> int:
    """This run's secret seed (derived by the LMS from a secret and the submitted code)."""
    if not _SEED:
        raise NeedsLearner("the secret seed is known once a submission arrives")
    return _SEED[0]


def import_learner_modules(learner: Learner, job: Job) -> str | None:
    """Import the learner's modules up front: an import error is every test's verdict."""
    for name in job.modules:
        try:
            learner.import_module(name)
        except LearnerStopped as error:
            return stop_message(error, job)
        except BaseException as error:  # noqa: BLE001 - the module raised on import (even SystemExit)
            trace = getattr(error, "lms_trace", "")
            return f"{type(error).__name__}: {error}\n{trace}".strip()
    return None


def begin(control: Control, learner: Learner | None = None) -> tuple[Job, Learner, list[int]]:
    job, fds = receive(control)
    if job.seed is not None:
        _SEED[:] = [job.seed]
    if learner is None:
        learner = new_learner(control, job)
    else:
        adopt(learner, control, job)
    return job, learner, fds


def new_learner(control: Control | None, job: Job | None) -> Learner:
    learner = learner_for(control, job, test_modules=test_modules, shared=str(TESTS))
    _CURRENT[:] = [learner]
    return learner


def cold(control: Control) -> None:
    """One job: collect and run the tests against the learner's process."""
    job, learner, fds = begin(control)
    connect_first(learner, fds)
    install_importer(learner, set(job.modules), lazy=False)
    plugin = JudgePlugin(learner)
    plugin.start(job)
    import_error = None if learner.stopped else import_learner_modules(learner, job)
    if learner.stopped is not None and import_error is None:
        import_error = stop_message(learner.stopped, job)
    if import_error is None:
        pytest.main([*PYTEST_ARGS, str(TESTS)], plugins=[plugin])
    control.send({"op": "result", "result": plugin.result(import_error)})


class ZygotePlugin(JudgePlugin):
    """Collects once; then forks a child per job that runs the collected tests."""

    def __init__(self, learner: Learner, listener: socket.socket) -> None:
        super().__init__(learner)
        self.listener = listener

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session) -> bool:
        expected_tests(), secret_lines()
        serve_jobs(self.listener, lambda conn: self.run_job(conn, session))
        return True

    def run_job(self, conn: socket.socket, session) -> None:
        control = Control(conn)
        job, learner, fds = begin(control, self.learner)
        connect_first(learner, fds)
        self.start(job)
        import_error = None if learner.stopped else import_learner_modules(learner, job)
        if learner.stopped is not None and import_error is None:
            import_error = stop_message(learner.stopped, job)
        if import_error is None:
            unbound = bind_names([sys.modules[n] for n in test_modules()], learner)
            self.collect_errors.update(unbound)
            items = [i for i in session.items if Path(str(i.fspath)).name not in unbound]
            for i, item in enumerate(items):
                following = items[i + 1] if i + 1 < len(items) else None
                item.config.hook.pytest_runtest_protocol(item=item, nextitem=following)
        control.send({"op": "result", "result": self.result(import_error)})


def can_collect_ahead(names: set[str]) -> bool:
    """Collect in a throw-away child with the learner's names left unresolved: does any test
    module need the learner's code (or this run's seed) while being imported?"""
    pid = os.fork()
    if pid == 0:
        learner = new_learner(None, None)
        install_importer(learner, names, lazy=True)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        code = pytest.main([*PYTEST_ARGS, "--collect-only", str(TESTS)])
        os._exit(0 if code in (0, 5) else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def zygote(listener: socket.socket) -> None:
    names = set(filter(None, os.environ.get("LMS_LEARNER_MODULES", "").split(",")))
    if can_collect_ahead(names):
        learner = new_learner(None, None)
        install_importer(learner, names, lazy=True)
        pytest.main([*PYTEST_ARGS, str(TESTS)], plugins=[ZygotePlugin(learner, listener)])
        return
    # Each job collects for itself, with pytest (and the grader's libraries) already imported.
    serve_jobs(listener, lambda conn: cold(Control(conn)))


def learner_module(name: str) -> LearnerModule:
    """Any module as the learner's process sees it (``learner_module("sqlite3").connect(...)``):
    for objects a test must create on the learner's side and hand to the learner's code."""
    if not _CURRENT:
        raise RuntimeError("learner_module() is for tests run by the judge")
    learner = _CURRENT[0]
    return LearnerModule(name, learner, lazy=learner.peer is None)
