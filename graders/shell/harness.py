"""Shell grader harness: runs the learner's bash script on fixture files, case by case, and
checks capture-the-flag answers by their SHA-256. Prints one result JSON line.

Hidden tests folder::

    checks.toml   [[case]] name, points, args, stdin, setup, and one of expected_stdout /
                  expected_lines / expected_regex, optional expected_exit;
                  [[flag]] name, points, file, sha256 (of the flag, whitespace stripped)
    fixtures/     copied into a fresh working directory before each case

The script runs in a child process whose output comes back through a pipe, capped; this
process is non-dumpable, so the script cannot reach the container's stdout to forge a result.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

SUBMISSION = Path("/job/submission")
TESTS = Path("/job/tests")
WORK = Path("/tmp/work")
OUTPUT_LIMIT = 1_000_000
MESSAGE_LIMIT = 2000
EXPECTATIONS = ("expected_stdout", "expected_lines", "expected_regex")

MESSAGES = {
    "fr": {
        "stdout": "Sortie attendue :\n{expected}\nSortie obtenue :\n{actual}",
        "lines": "Lignes manquantes : {missing}\nLignes en trop : {extra}",
        "regex": "La sortie ne correspond pas au motif attendu `{pattern}`. Sortie obtenue :\n"
        "{actual}",
        "exit": "Code de sortie attendu : {expected}, obtenu : {actual}.{stderr}",
        "stderr": "\nErreurs affichées :\n{stderr}",
        "flag_wrong": "Ce n'est pas le bon drapeau.",
        "pids": "Le script a laissé trop de processus en arrière-plan : plus rien ne peut tourner.",
        "flag_missing": "Le fichier {file} est vide ou absent.",
        "timeout": "Temps limite dépassé ({limit} s) : le script ne se termine pas.",
        "output": "Trop de sortie : le script a écrit plus de {limit} octets.",
        "summary": "**{score}/{max_score}** — {passed} vérification(s) réussie(s) sur {total}.",
        "all_passed": "Bravo, tout est juste !",
    },
    "en": {
        "stdout": "Expected output:\n{expected}\nActual output:\n{actual}",
        "lines": "Missing lines: {missing}\nExtra lines: {extra}",
        "regex": "The output does not match the expected pattern `{pattern}`. Actual output:\n"
        "{actual}",
        "exit": "Expected exit status {expected}, got {actual}.{stderr}",
        "stderr": "\nErrors printed:\n{stderr}",
        "flag_wrong": "That is not the right flag.",
        "pids": "The script left too many processes behind: nothing else can run.",
        "flag_missing": "The file {file} is empty or missing.",
        "timeout": "Time limit exceeded ({limit} s): the script does not finish.",
        "output": "Too much output: the script wrote more than {limit} bytes.",
        "summary": "**{score}/{max_score}** — {passed} of {total} check(s) passed.",
        "all_passed": "Well done, everything is right!",
    },
}


def load_checks(tests_dir: Path) -> dict:
    """checks.toml, validated. The LMS reads it too, for the exercise's maximum score."""
    checks = tomllib.loads((tests_dir / "checks.toml").read_text(encoding="utf-8"))
    cases, flags = checks.get("case", []), checks.get("flag", [])
    if not cases and not flags:
        raise ValueError("checks.toml needs at least one [[case]] or [[flag]]")
    for case in cases:
        if not isinstance(case.get("name"), str) or not isinstance(case.get("points", 1), int):
            raise ValueError("each [[case]] needs a name and integer points")
        if sum(key in case for key in EXPECTATIONS) != 1:
            raise ValueError(f"case {case['name']!r}: give exactly one of {EXPECTATIONS}")
    for flag in flags:
        if not re.fullmatch(r"[0-9a-f]{64}", str(flag.get("sha256", ""))):
            raise ValueError(f"flag {flag.get('name')!r}: sha256 must be 64 hex digits")
    return checks


def max_score(tests_dir: Path) -> int:
    checks = load_checks(tests_dir)
    return sum(item.get("points", 1) for item in checks.get("case", []) + checks.get("flag", []))


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n")


def _short(text: str) -> str:
    return text if len(text) <= MESSAGE_LIMIT // 2 else text[: MESSAGE_LIMIT // 2] + " …"


def run_case(script: Path, case: dict, deadline: float) -> tuple[str | None, str, str, int]:
    """(limit hit or None, stdout, stderr, exit status) of one run of the script."""
    shutil.rmtree(WORK, ignore_errors=True)
    if (TESTS / "fixtures").is_dir():
        shutil.copytree(TESTS / "fixtures", WORK)
    else:
        WORK.mkdir(parents=True)
    shutil.copy(script, WORK / script.name)
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }
    if case.get("setup"):
        subprocess.run(
            ["/bin/bash", "-c", case["setup"]],
            cwd=WORK,
            env=env,
            check=True,
            capture_output=True,
            timeout=10,
        )
    child = subprocess.Popen(
        ["/bin/bash", script.name, *map(str, case.get("args", []))],
        cwd=WORK,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    # Read as it comes, capped: communicate() would buffer a flood until memory runs out.
    readers = [CappedReader(child.stdout), CappedReader(child.stderr)]
    try:
        for reader in readers:
            reader.start()
    except RuntimeError:
        # A fork bomb can take every pid before the reader threads exist (threads count).
        _kill(child)
        raise
    try:
        child.stdin.write(case.get("stdin", "").encode())
        child.stdin.close()
    except BrokenPipeError:
        pass
    limit = None
    while child.poll() is None:
        if any(r.overflow for r in readers):
            limit = "output"
        elif time.monotonic() > deadline:
            limit = "timeout"
        if limit:
            _kill(child)
            return limit, "", "", -1
        time.sleep(0.01)
    # Background jobs the script left (a fork bomb's `:|:&`) die with its process group.
    _kill(child)
    for reader in readers:
        reader.join(timeout=1)
    if any(r.overflow for r in readers):
        return "output", "", "", child.returncode
    out, err = (bytes(r.kept).decode("utf-8", "replace") for r in readers)
    return None, out, err, child.returncode


class CappedReader(threading.Thread):
    """Drains a pipe so the script never blocks, keeping at most OUTPUT_LIMIT bytes."""

    def __init__(self, pipe) -> None:
        super().__init__(daemon=True)
        self.pipe = pipe
        self.kept = bytearray()
        self.overflow = False

    def run(self) -> None:
        while chunk := self.pipe.read1(65536):
            if len(self.kept) + len(chunk) > OUTPUT_LIMIT:
                self.overflow = True
            else:
                self.kept += chunk


def _kill(child: subprocess.Popen) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    child.wait()
    _reap()


def _reap() -> None:
    """As PID 1 we inherit orphaned processes: collect the dead so their pids are freed."""
    deadline = time.monotonic() + 1
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


def judge(case: dict, stdout: str, stderr: str, status: int, text: dict) -> str | None:
    """None when the case passes, else the message for the learner."""
    problems = []
    if "expected_stdout" in case and _normal(stdout) != _normal(case["expected_stdout"]):
        problems.append(
            text["stdout"].format(expected=_short(case["expected_stdout"]), actual=_short(stdout))
        )
    if "expected_lines" in case:
        actual = {line.strip() for line in stdout.splitlines() if line.strip()}
        expected = {line.strip() for line in case["expected_lines"]}
        if actual != expected:
            problems.append(
                text["lines"].format(
                    missing=sorted(expected - actual)[:10], extra=sorted(actual - expected)[:10]
                )
            )
    if "expected_regex" in case and not re.search(case["expected_regex"], stdout, re.M):
        problems.append(text["regex"].format(pattern=case["expected_regex"], actual=_short(stdout)))
    if "expected_exit" in case and status != case["expected_exit"]:
        shown = text["stderr"].format(stderr=_short(stderr)) if stderr.strip() else ""
        problems.append(
            text["exit"].format(expected=case["expected_exit"], actual=status, stderr=shown)
        )
    return "\n".join(problems)[:MESSAGE_LIMIT] if problems else None


def check_flag(flag: dict, text: dict) -> str | None:
    path = SUBMISSION / flag.get("file", "flag.txt")
    answer = path.read_text(encoding="utf-8", errors="replace").strip() if path.is_file() else ""
    if not answer:
        return text["flag_missing"].format(file=path.name)
    if hashlib.sha256(answer.encode()).hexdigest() != flag["sha256"]:
        return text["flag_wrong"]
    return None


def grade(lang: str, timeout: float) -> dict:
    text = MESSAGES.get(lang, MESSAGES["fr"])
    checks = load_checks(TESTS)
    scripts = sorted(p for p in SUBMISSION.iterdir() if p.suffix == ".sh")
    deadline = time.monotonic() + timeout
    tests, limit = [], None
    for case in checks.get("case", []):
        result = {
            "name": case["name"],
            "outcome": "failed",
            "points": 0,
            "max_points": case.get("points", 1),
            "message": "",
        }
        tests.append(result)
        if limit or not scripts:
            continue
        try:
            limit, stdout, stderr, status = run_case(scripts[0], case, deadline)
        except (OSError, RuntimeError):
            # Processes still hold every pid (no process or thread can start): nothing more
            # can run.
            result.update(outcome="error", message=text["pids"])
            continue
        if limit:
            result["message"] = text[limit].format(
                limit=int(timeout) if limit == "timeout" else OUTPUT_LIMIT
            )
            continue
        message = judge(case, stdout, stderr, status, text)
        if message is None:
            result.update(outcome="passed", points=result["max_points"])
        else:
            result["message"] = message
    for flag in checks.get("flag", []):
        message = check_flag(flag, text)
        tests.append(
            {
                "name": flag["name"],
                "outcome": "passed" if message is None else "failed",
                "points": flag.get("points", 1) if message is None else 0,
                "max_points": flag.get("points", 1),
                "message": message or "",
            }
        )
    if limit:
        for test in tests:
            test["points"] = 0
            if test["outcome"] == "passed":
                test["outcome"] = "failed"
    score = sum(t["points"] for t in tests)
    total = sum(t["max_points"] for t in tests)
    feedback = text["summary"].format(
        score=score,
        max_score=total,
        total=len(tests),
        passed=sum(t["outcome"] == "passed" for t in tests),
    )
    if score == total:
        feedback += "\n\n" + text["all_passed"]
    return {
        "score": score,
        "max_score": total,
        "tests": tests,
        "feedback": feedback,
        "truncated": False,
        "limit_hit": limit,
        "tampered": False,
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
    # PR_SET_DUMPABLE=0: the script (same uid) cannot open /proc/1/fd/1 to print a result.
    ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    result = grade(os.environ.get("LMS_LANG", "fr"), float(os.environ.get("LMS_TIMEOUT", "10")))
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
