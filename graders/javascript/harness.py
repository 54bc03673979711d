"""JavaScript grader harness: runs the hidden node:test tests against the learner's modules in
one Node.js process and prints one result JSON line. Runs as PID 1 of the grader container.

The trust boundary is the one of the Python harness (see graders/python/harness.py): this
process is trusted, the node process is not.
- Node's TAP report goes to a private pipe (its own descriptor); the learner's console output
  goes to another pipe, capped, and never reaches the container's stdout (this process is
  non-dumpable).
- Expected tests and points are read statically: top-level ``test('name [N pts]', ...)`` calls
  of ``tests/*.test.js``. A test with no report did not pass; a test reported twice means
  forged reports.
- A canary test that must fail runs last under a random name; if it passes the assertions
  were patched, if it never reports the run ended early: the score is then 0.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
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
MESSAGE_LIMIT = 3000
TEST_CALL = re.compile(r"^test\(\s*(['\"])(.*?)\1", re.M)
POINTS = re.compile(r"\s*\[(\d+)\s*pts?\]\s*$")
TAP_RESULT = re.compile(r"^(not ok|ok) \d+ - (.*?)(?: # (?:SKIP|TODO).*)?$")

MESSAGES = {
    "fr": {
        "not_run": "Ce test n'a pas été exécuté.",
        "load_error": "Votre code n'a pas pu être chargé : {error}",
        "timeout": "Temps limite dépassé ({limit} s) : une boucle infinie, ou une promesse "
        "jamais résolue ?",
        "memory": "Mémoire épuisée : votre programme a dépassé la limite de mémoire.",
        "output": "Trop de sortie : votre programme a écrit plus de {limit} octets.",
        "tampered": "Le déroulement des tests a été modifié par le code soumis : aucun point "
        "n'est accordé.",
        "early_exit": "Le programme s'est arrêté avant la fin des tests (process.exit ?) : "
        "aucun point n'est accordé.",
        "summary": "**{score}/{max_score}** — {passed} test(s) réussi(s) sur {total}.",
        "all_passed": "Bravo, tous les tests passent !",
        "expected": "attendu : {expected}\nobtenu : {actual}",
    },
    "en": {
        "not_run": "This test did not run.",
        "load_error": "Your code could not be loaded: {error}",
        "timeout": "Time limit exceeded ({limit} s): an infinite loop, or a promise that never "
        "settles?",
        "memory": "Out of memory: your program went over the memory limit.",
        "output": "Too much output: your program wrote more than {limit} bytes.",
        "tampered": "The submitted code interfered with the test run: no points are awarded.",
        "early_exit": "The program stopped before the tests finished (process.exit?): no "
        "points are awarded.",
        "summary": "**{score}/{max_score}** — {passed} of {total} test(s) passed.",
        "all_passed": "Well done, every test passes!",
        "expected": "expected: {expected}\nactual: {actual}",
    },
}


@dataclass(frozen=True)
class ExpectedTest:
    file: str
    name: str
    points: int
    description: str


def discover_tests(tests_dir: Path) -> list[ExpectedTest]:
    """Top-level ``test('description [N pts]', ...)`` calls; the LMS uses this too."""
    found = []
    for path in sorted(tests_dir.glob("*.test.js")):
        for match in TEST_CALL.finditer(path.read_text(encoding="utf-8")):
            name = match.group(2)
            points = POINTS.search(name)
            found.append(
                ExpectedTest(
                    path.name, name, int(points.group(1)) if points else 1, POINTS.sub("", name)
                )
            )
    return found


class CappedReader(threading.Thread):
    """Drains a pipe so the writer never blocks, keeping at most ``limit`` bytes."""

    def __init__(self, fd: int, limit: int) -> None:
        super().__init__(daemon=True)
        self.fd, self.limit = fd, limit
        self.kept = bytearray()
        self.overflow = threading.Event()

    def run(self) -> None:
        while chunk := os.read(self.fd, 65536):
            room = self.limit - len(self.kept)
            self.kept += chunk[: max(room, 0)]
            if len(chunk) > room:
                self.overflow.set()


def prepare(expected: list[ExpectedTest]) -> str:
    """Copy files, write the canary and a runner that loads every test file in order."""
    WORK.mkdir(parents=True, exist_ok=True)
    for source in (SUBMISSION, TESTS):
        for path in source.iterdir():
            if path.is_file():
                shutil.copyfile(path, WORK / path.name)
            elif path.is_dir():
                shutil.copytree(path, WORK / path.name, dirs_exist_ok=True)
    canary = f"canary {secrets.token_hex(8)}"
    (WORK / "zzzz_canary.test.js").write_text(
        "const test = require('node:test');\nconst assert = require('node:assert');\n"
        f"test({json.dumps(canary)}, () => {{ assert.strictEqual(1 + 1, 3); }});\n"
    )
    files = sorted({t.file for t in expected}) + ["zzzz_canary.test.js"]
    lines = [
        f"try {{ require({json.dumps('./' + f)}); }} catch (error) {{ "
        f"process.stderr.write('LMS-LOAD-ERROR ' + {json.dumps(f)} + ' ' + "
        "JSON.stringify(String(error && error.stack || error)) + '\\n'); }"
        for f in files
    ]
    (WORK / "run_tests.js").write_text("\n".join(lines) + "\n")
    return canary


def run_node(timeout: float, output_limit: int) -> tuple[str, str | None, bytes]:
    report_r, report_w = os.pipe()
    output_r, output_w = os.pipe()
    report = CappedReader(report_r, 4 * RESULT_LIMIT)
    output = CappedReader(output_r, output_limit)
    report.start()
    output.start()
    child = subprocess.Popen(
        [
            "/usr/bin/node",
            "--test-reporter=tap",
            # The report goes to a pipe only the harness reads; the learner's prints go elsewhere.
            # (Its own number, not a dup2 onto fd 3, which could be the read end of a pipe.)
            f"--test-reporter-destination=/dev/fd/{report_w}",
            "run_tests.js",
        ],
        cwd=WORK,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"},
        stdin=subprocess.DEVNULL,
        stdout=output_w,
        stderr=output_w,
        pass_fds=(report_w,),
        start_new_session=True,
    )
    os.close(report_w)
    os.close(output_w)
    limit = None
    deadline = time.monotonic() + timeout
    while child.poll() is None:
        if output.overflow.is_set():
            limit = "output"
        elif time.monotonic() > deadline:
            limit = "timeout"
        if limit:
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            break
        time.sleep(0.02)
    child.wait()
    if limit is None and child.returncode == -signal.SIGKILL:
        limit = "memory"
    report.join(timeout=2)
    output.join(timeout=0.5)
    return bytes(report.kept).decode("utf-8", "replace"), limit, bytes(output.kept)


def parse_tap(tap: str) -> dict[str, list[dict]]:
    """Top-level results by test name, each with its YAML diagnostics (block scalars such as
    ``error: |-`` and ``stack: |-`` gather their indented lines)."""
    results: dict[str, list[dict]] = {}
    current, block = None, None
    for line in tap.splitlines():
        match = TAP_RESULT.match(line)
        if match:
            current, block = {"ok": match.group(1) == "ok", "yaml": {}}, None
            results.setdefault(_unescape(match.group(2)), []).append(current)
        elif current is None:
            continue
        elif line.startswith("    ") and block:
            current["yaml"][block] = (current["yaml"][block] + "\n" + line.strip()).strip()
        elif line.startswith("  ") and ":" in line:
            key, _, value = line.strip().partition(":")
            value = value.strip()
            block = key if value in ("|", "|-", ">", ">-") else None
            current["yaml"].setdefault(key, "" if block else value.strip("'\""))
    return results


def _unescape(name: str) -> str:
    return name.replace("\\#", "#").replace("\\\\", "\\")


def _message(yaml: dict, text: dict) -> tuple[str, str]:
    """(outcome, message): a failed assertion, or the learner's code crashing."""
    if yaml.get("name", "").startswith("AssertionError") or yaml.get("code") == "ERR_ASSERTION":
        message = yaml.get("error", "")
        if "expected" in yaml:
            message += "\n" + text["expected"].format(
                expected=yaml["expected"], actual=yaml.get("actual", "")
            )
        return "failed", message[:MESSAGE_LIMIT]
    stack = "\n".join(
        line
        for line in yaml.get("stack", "").splitlines()
        if "/tmp/work/" in line and ".test.js" not in line
    )
    return "error", f"{yaml.get('name', 'Error')}: {yaml.get('error', '')}\n{stack}"[:MESSAGE_LIMIT]


def load_errors(output: bytes) -> dict[str, str]:
    errors = {}
    for line in output.decode("utf-8", "replace").splitlines():
        if line.startswith("LMS-LOAD-ERROR "):
            _, file, detail = line.split(" ", 2)
            try:
                lines = json.loads(detail).splitlines()
            except ValueError:
                continue
            # Node puts "file:line", the code and a caret first, then "SyntaxError: ...".
            error = next((ln for ln in lines if re.match(r"^\w*(Error|Exception)\b", ln)), "")
            errors[file] = "\n".join(filter(None, [lines[0], error]))[:MESSAGE_LIMIT]
    return errors


def grade(expected, tap, limit, output, canary, lang, settings) -> dict:
    text = MESSAGES.get(lang, MESSAGES["fr"])
    results = parse_tap(tap)
    errors = load_errors(output)
    canary_results = results.pop(canary, [])
    tampered = any(r["ok"] for r in canary_results) or any(len(v) > 1 for v in results.values())
    ended_early = not canary_results and limit is None
    tests = []
    for test in expected:
        entry = {
            "name": test.description,
            "outcome": "failed",
            "points": 0,
            "max_points": test.points,
            "message": "",
        }
        reported = results.get(test.name, [])
        if reported and reported[0]["ok"]:
            entry.update(outcome="passed", points=test.points)
        elif reported:
            outcome, message = _message(reported[0]["yaml"], text)
            entry.update(outcome=outcome, message=message)
        elif test.file in errors:
            entry.update(
                outcome="error", message=text["load_error"].format(error=errors[test.file])
            )
        else:
            entry["message"] = text["not_run"]
        tests.append(entry)
    verdict = None
    if limit:
        verdict = text[limit].format(limit=settings.get(limit, ""))
    elif tampered:
        verdict = text["tampered"]
    elif ended_early:
        verdict = text["early_exit"]
    if verdict:
        for entry in tests:
            if entry["outcome"] == "passed":
                entry.update(outcome="failed", message=verdict)
            entry["points"] = 0
    score = sum(t["points"] for t in tests)
    max_score = sum(t.points for t in expected)
    feedback = text["summary"].format(
        score=score,
        max_score=max_score,
        total=len(tests),
        passed=sum(t["outcome"] == "passed" for t in tests),
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
        "tampered": tampered or ended_early,
    }


def wait_for_go() -> None:
    """Warm container (LMS_WAIT_FOR_GO=1): block until the runner sends the job's settings.

    The container started before its job existed. The runner writes the job's files into the
    mounted folders first, then this one line; the timeout counts from here.
    """
    if os.environ.get("LMS_WAIT_FOR_GO") != "1":
        return
    line = sys.stdin.buffer.readline()
    if not line:
        sys.exit(3)  # the pool removed this container unused
    settings = json.loads(line)
    os.environ["LMS_TIMEOUT"] = str(float(settings["timeout"]))
    os.environ["LMS_LANG"] = str(settings["lang"])
    os.environ["LMS_OUTPUT_LIMIT"] = str(int(settings["output_limit"]))


def main() -> int:
    wait_for_go()
    lang = os.environ.get("LMS_LANG", "fr")
    timeout = float(os.environ.get("LMS_TIMEOUT", "10"))
    output_limit = int(os.environ.get("LMS_OUTPUT_LIMIT", str(RESULT_LIMIT)))
    ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 0
    expected = discover_tests(TESTS)
    canary = prepare(expected)
    tap, limit, output = run_node(timeout, output_limit)
    settings = {"timeout": int(timeout), "output": output_limit}
    result = grade(expected, tap, limit, output, canary, lang, settings)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
