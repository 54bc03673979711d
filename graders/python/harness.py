"""Python grader harness: runs the hidden pytest tests against the learner's files and prints
one result JSON line. Runs as PID 1 of the grader container.

Trust boundary: this process is trusted; the pytest child imports learner code and is not.
- Only this process writes to the container's stdout. The child's output goes to a pipe read
  here and capped; this process makes itself non-dumpable so the child (same uid) cannot open
  ``/proc/1/fd/1`` to print a forged result.
- The expected tests and their points are read statically (``ast``) from the hidden tests
  before any learner code runs. A test with no report did not pass, so exiting early earns
  nothing.
- A canary test that must fail is added under a random name. If it passes, the framework was
  patched; if it never reports, the run ended early. Either way the score is 0.
"""

from __future__ import annotations

import ast
import ctypes
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SUBMISSION = Path("/job/submission")
TESTS = Path("/job/tests")
WORK = Path("/tmp/work")
RESULT_LIMIT = 1_000_000
#: Exceptions that mean "the answer is wrong" rather than "the code crashed".
FAILURES = {"AssertionError", "Failed"}

MESSAGES = {
    "fr": {
        "not_run": "Ce test n'a pas été exécuté.",
        "import_error": "Votre code n'a pas pu être importé : {error}",
        "timeout": "Temps limite dépassé ({limit} s) : une boucle infinie, ou un calcul trop "
        "lent ?",
        "memory": "Mémoire épuisée : votre programme a dépassé la limite de mémoire.",
        "output": "Trop de sortie : votre programme a écrit plus de {limit} octets.",
        "tampered": "Le déroulement des tests a été modifié par le code soumis : aucun point "
        "n'est accordé.",
        "early_exit": "Le programme s'est arrêté avant la fin des tests (exit ?) : aucun point "
        "n'est accordé.",
        "summary": "**{score}/{max_score}** — {passed} test(s) réussi(s) sur {total}.",
        "all_passed": "Bravo, tous les tests passent !",
    },
    "en": {
        "not_run": "This test did not run.",
        "import_error": "Your code could not be imported: {error}",
        "timeout": "Time limit exceeded ({limit} s): an infinite loop, or a computation too slow?",
        "memory": "Out of memory: your program went over the memory limit.",
        "output": "Too much output: your program wrote more than {limit} bytes.",
        "tampered": "The submitted code interfered with the test run: no points are awarded.",
        "early_exit": "The program stopped before the tests finished (exit?): no points are "
        "awarded.",
        "summary": "**{score}/{max_score}** — {passed} of {total} test(s) passed.",
        "all_passed": "Well done, every test passes!",
    },
}


@dataclass(frozen=True)
class ExpectedTest:
    file: str
    function: str
    points: int
    description: str


def discover_tests(tests_dir: Path) -> list[ExpectedTest]:
    """The hidden tests and their points, read without importing anything.

    A test is a top-level ``test_*`` function of a ``test_*.py`` file; ``@pytest.mark.points(N)``
    sets its points (default 1). The LMS uses this too, to know an exercise's maximum score.
    """
    found = []
    for path in sorted(tests_dir.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                doc = (ast.get_docstring(node) or "").strip().splitlines()
                found.append(
                    ExpectedTest(path.name, node.name, _points(node), doc[0] if doc else node.name)
                )
    return found


def _points(node: ast.FunctionDef) -> int:
    for decorator in node.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == "points"
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
            and isinstance(decorator.args[0].value, int)
        ):
            return decorator.args[0].value
    return 1


class CappedReader(threading.Thread):
    """Drains a pipe so the writer never blocks, keeping at most ``limit`` bytes."""

    def __init__(self, fd: int, limit: int) -> None:
        super().__init__(daemon=True)
        self.fd, self.limit = fd, limit
        self.kept = bytearray()
        self.total = 0
        self.overflow = threading.Event()

    def run(self) -> None:
        while chunk := os.read(self.fd, 65536):
            self.total += len(chunk)
            room = self.limit - len(self.kept)
            self.kept += chunk[: max(room, 0)]
            if self.total > self.limit:
                self.overflow.set()


def make_nondumpable() -> None:
    """PR_SET_DUMPABLE=0: processes of the same uid can no longer open our /proc entries."""
    ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)


def prepare_workdir() -> tuple[str, str]:
    WORK.mkdir(parents=True, exist_ok=True)
    for source in (SUBMISSION, TESTS):
        for path in source.iterdir():
            if path.is_file():
                shutil.copyfile(path, WORK / path.name)
            elif path.is_dir():
                shutil.copytree(path, WORK / path.name, dirs_exist_ok=True)
    token = secrets.token_hex(8)
    canary_file = f"test_zzzz_{token}.py"
    (WORK / canary_file).write_text(f"def test_{token}():\n    assert 1 + 1 == 3\n")
    return canary_file, f"test_{token}"


#: pytest's command line; cold, it runs as ``python -m pytest``, warm through lms_go.py.
PYTEST_ARGS = [
    "-p",
    "lms_report",
    "-p",
    "no:cacheprovider",
    "-q",
    "-s",
    "--tb=short",
    "--color=no",
    "--continue-on-collection-errors",
    "-o",
    "python_classes=",
    str(WORK),
]


class PytestChild:
    """The untrusted pytest process, its private report pipe and its capped output."""

    def __init__(self, output_limit: int, warm: bool) -> None:
        self.nonce = secrets.token_hex(16)
        report_r, report_w = os.pipe()
        output_r, output_w = os.pipe()
        self.reports = CappedReader(report_r, 4 * RESULT_LIMIT)
        self.output = CappedReader(output_r, output_limit)
        # Threads start before the child exists: a fork bomb cannot starve us of pids for them.
        self.reports.start()
        self.output.start()
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": "/tmp",
            "LANG": "C.UTF-8",
            "PYTHONPATH": "/grader",
            "PYTHONDONTWRITEBYTECODE": "1",
            "LMS_REPORT_FD": str(report_w),
            "LMS_REPORT_NONCE": self.nonce,
        }
        if warm:
            # Started before the job exists: it imports pytest (and LMS_PRELOAD), then waits
            # on its stdin for go() while /tmp/work is still empty.
            command = [sys.executable, "/grader/lms_go.py", *PYTEST_ARGS]
            env["LMS_PRELOAD"] = os.environ.get("LMS_PRELOAD", "")
        else:
            command = [sys.executable, "-m", "pytest", *PYTEST_ARGS]
        WORK.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            command,
            cwd=WORK,
            env=env,
            stdin=subprocess.PIPE if warm else subprocess.DEVNULL,
            stdout=output_w,
            stderr=output_w,
            pass_fds=(report_w,),
            start_new_session=True,
        )
        os.close(report_w)
        os.close(output_w)

    def go(self, output_limit: int) -> None:
        """Warm child: the job's files are in place; let pytest run."""
        self.output.limit = output_limit
        try:
            self.process.stdin.write(b"go\n")
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # the child died while waiting: it reports nothing, the run earns nothing

    def finish(self, timeout: float) -> tuple[list[dict], str | None, bytes]:
        """Wait ``timeout`` seconds at most; return its reports, the limit hit, its output."""
        limit = _wait(self.process, timeout, self.output)
        self.reports.join(timeout=2)
        self.output.join(timeout=0.5)
        messages = []
        for line in bytes(self.reports.kept).decode("utf-8", "replace").splitlines():
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if isinstance(message, dict) and message.get("nonce") == self.nonce:
                messages.append(message)
        return messages, limit, bytes(self.output.kept)


def run_pytest(timeout: float, output_limit: int) -> tuple[list[dict], str | None, bytes]:
    """Run pytest in a child process; return its reports, the limit it hit, and its output."""
    return PytestChild(output_limit, warm=False).finish(timeout)


def _wait(child: subprocess.Popen, timeout: float, output: CappedReader) -> str | None:
    deadline = time.monotonic() + timeout
    limit = None
    while child.poll() is None:
        if output.overflow.is_set():
            limit = "output"
        elif time.monotonic() > deadline:
            limit = "timeout"
        if limit:
            _kill_group(child)
            break
        time.sleep(0.02)
    child.wait()
    if limit is None and (child.returncode == -signal.SIGKILL or oom_kills() > 0):
        # Nobody here sent SIGKILL: the kernel's OOM killer did (maybe to a grandchild).
        limit = "memory"
    if limit is None and output.overflow.is_set():
        limit = "output"
    return limit


def oom_kills() -> int:
    """Processes of this container the kernel's OOM killer has killed (cgroup v2 or v1).

    The sandbox reads the same from the engine after the container exits; a warm run takes
    the result before that, so the harness must not miss it.
    """
    for path, key in (
        ("/sys/fs/cgroup/memory.events", "oom_kill"),
        ("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill"),
    ):
        try:
            lines = Path(path).read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            name, _, value = line.partition(" ")
            if name == key and value.strip().isdigit():
                return int(value)
    return 0


def _kill_group(child: subprocess.Popen) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def grade(
    expected: list[ExpectedTest],
    messages: list[dict],
    canary: tuple[str, str],
    limit: str | None,
    lang: str,
    settings: dict,
) -> dict:
    text = MESSAGES.get(lang, MESSAGES["fr"])
    max_score = sum(test.points for test in expected)
    phases: dict[tuple[str, str], list[dict]] = {}
    collect_errors: dict[str, str] = {}
    tampered = False
    for message in messages:
        tampered |= bool(message.get("tampered"))
        nodeid = message.get("nodeid", "")
        if message.get("kind") == "collect":
            collect_errors[Path(nodeid).name] = _error_lines(message.get("detail", ""))
            continue
        file, _, function = nodeid.rpartition("::")
        phases.setdefault((Path(file).name, function.split("[")[0]), []).append(message)

    canary_phases = phases.pop(canary, [])
    canary_failed = any(m["when"] == "call" and m["outcome"] == "failed" for m in canary_phases)
    canary_passed = any(m["when"] == "call" and m["outcome"] == "passed" for m in canary_phases)
    tampered |= canary_passed
    ended_early = not canary_phases and limit is None

    tests = [
        _test_result(test, phases.get((test.file, test.function), []), collect_errors, text)
        for test in expected
    ]
    verdict = None
    if limit:
        verdict = text[limit].format(limit=settings.get(limit, ""))
    elif tampered:
        verdict = text["tampered"]
    elif ended_early or not canary_failed:
        verdict = text["early_exit"]
    if verdict:
        for test in tests:
            if test["outcome"] == "passed":
                test.update(outcome="failed", message=verdict)
            test["points"] = 0
    score = sum(test["points"] for test in tests)
    passed = sum(test["outcome"] == "passed" for test in tests)
    feedback = text["summary"].format(
        score=score, max_score=max_score, passed=passed, total=len(tests)
    )
    if verdict:
        feedback += "\n\n" + verdict
    elif score == max_score:
        feedback += "\n\n" + text["all_passed"]
    return {
        "score": score,
        "max_score": max_score,
        "tests": tests,
        "feedback": feedback,
        "truncated": False,
        "limit_hit": limit,
        "tampered": tampered or (ended_early and not limit),
    }


def _test_result(
    test: ExpectedTest, phases: list[dict], collect_errors: dict[str, str], text: dict
) -> dict:
    result = {
        "name": test.description,
        "id": f"{test.file}::{test.function}",
        "outcome": "failed",
        "points": 0,
        "max_points": test.points,
        "message": "",
    }
    calls = [m for m in phases if m["when"] == "call"]
    problems = [m for m in phases if m["outcome"] != "passed"]
    if calls and not problems:
        result.update(outcome="passed", points=test.points)
    elif problems:
        first = problems[0]
        crashed = first["when"] != "call" or first.get("exception") not in FAILURES
        result["outcome"] = "error" if crashed else "failed"
        headline = first.get("headline") or ""
        result["message"] = first.get("detail") or headline if crashed else headline
    elif test.file in collect_errors:
        result.update(
            outcome="error", message=text["import_error"].format(error=collect_errors[test.file])
        )
    else:
        result["message"] = text["not_run"]
    return result


def _error_lines(detail: str) -> str:
    """The ``E ...`` lines of a pytest traceback: the error itself, without pytest's frames."""
    lines = [line[1:].strip() for line in detail.splitlines() if line.startswith("E ")]
    return "\n".join(lines) if lines else detail[-1000:]


def fit(result: dict) -> dict:
    """Keep the printed result under RESULT_LIMIT by shortening messages."""
    while len(json.dumps(result)) > RESULT_LIMIT:
        result["truncated"] = True
        for test in result["tests"]:
            test["message"] = test["message"][: max(len(test["message"]) // 2, 200)]
        if all(len(test["message"]) <= 200 for test in result["tests"]):
            result["tests"] = result["tests"][: len(result["tests"]) // 2]
    return result


def wait_for_go() -> None:
    """Warm container (LMS_WAIT_FOR_GO=1): block until the runner sends the job's settings.

    The container started before its job existed. The runner writes the job's files into the
    mounted folders first, then this one line; the timeout counts from here.
    """
    line = sys.stdin.buffer.readline()
    if not line:
        sys.exit(3)  # the pool removed this container unused
    settings = json.loads(line)
    os.environ["LMS_TIMEOUT"] = str(float(settings["timeout"]))
    os.environ["LMS_LANG"] = str(settings["lang"])
    os.environ["LMS_OUTPUT_LIMIT"] = str(int(settings["output_limit"]))


def main() -> int:
    make_nondumpable()
    warm = os.environ.get("LMS_WAIT_FOR_GO") == "1"
    child = PytestChild(RESULT_LIMIT, warm=True) if warm else None
    if warm:
        wait_for_go()
    lang = os.environ.get("LMS_LANG", "fr")
    timeout = float(os.environ.get("LMS_TIMEOUT", "10"))
    output_limit = int(os.environ.get("LMS_OUTPUT_LIMIT", str(RESULT_LIMIT)))
    expected = discover_tests(TESTS)
    canary_file, canary_function = prepare_workdir()
    if child is None:
        messages, limit, _output = run_pytest(timeout, output_limit)
    else:
        child.go(output_limit)
        messages, limit, _output = child.finish(timeout)
    settings = {"timeout": int(timeout), "output": output_limit}
    result = grade(expected, messages, (canary_file, canary_function), limit, lang, settings)
    sys.stdout.write(json.dumps(fit(result), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
