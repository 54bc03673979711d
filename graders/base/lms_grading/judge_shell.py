"""The judge for shell exercises: the cases and their expected output stay here; the learner's
script runs in the learner's box (:mod:`lms_grading.learner_shell`), which sends back its
output by value. Capture-the-flag answers are checked here by their SHA-256.

Feedback on a case the prompt does not show says what differed (the first line that differs,
lines missing or extra, the exit status) and quotes the learner's output, never the expected
output. Example cases (``example = true``, or named in the exercise's ``examples``) may.
"""

from __future__ import annotations

import base64
import hashlib
import re
import socket
import time
from pathlib import Path

from lms_grading import checks, results
from lms_grading.control import Control
from lms_grading.judging import Job, connect_first, learner_for, receive, serve_jobs, stop_message
from lms_grading.proxies import Learner, LearnerStopped

TESTS = Path("/job/tests")
MESSAGE_LIMIT = 2000

MESSAGES = {
    "fr": {
        "stdout": "Sortie attendue :\n{expected}\nSortie obtenue :\n{actual}",
        "stdout_hidden": "La sortie diffère de celle attendue à partir de la ligne {line}. Sortie "
        "obtenue :\n{actual}",
        "lines": "Lignes manquantes : {missing}\nLignes en trop : {extra}",
        "lines_hidden": "{missing} ligne(s) attendue(s) manquante(s). Lignes en trop : {extra}",
        "regex": "La sortie ne correspond pas au motif attendu `{pattern}`. Sortie obtenue :\n"
        "{actual}",
        "regex_hidden": "La sortie n'a pas la forme attendue. Sortie obtenue :\n{actual}",
        "exit": "Code de sortie attendu : {expected}, obtenu : {actual}.{stderr}",
        "stderr": "\nErreurs affichées :\n{stderr}",
        "flag_wrong": "Ce n'est pas le bon drapeau.",
        "flag_missing": "Le fichier {file} est vide ou absent.",
        "pids": "Le script a laissé trop de processus en arrière-plan : plus rien ne peut tourner.",
        "timeout": "Temps limite dépassé ({limit} s) : le script ne se termine pas.",
        "output": "Trop de sortie : le script a écrit plus de {limit} octets.",
        "no_script": "Aucun script .sh n'a été soumis.",
        "setup": "La préparation de ce cas a échoué : {error}",
        "summary": "**{score}/{max_score}** — {passed} vérification(s) réussie(s) sur {total}.",
        "all_passed": "Bravo, tout est juste !",
    },
    "en": {
        "stdout": "Expected output:\n{expected}\nActual output:\n{actual}",
        "stdout_hidden": "The output differs from the expected one from line {line} on. Actual "
        "output:\n{actual}",
        "lines": "Missing lines: {missing}\nExtra lines: {extra}",
        "lines_hidden": "{missing} expected line(s) missing. Extra lines: {extra}",
        "regex": "The output does not match the expected pattern `{pattern}`. Actual output:\n"
        "{actual}",
        "regex_hidden": "The output does not have the expected form. Actual output:\n{actual}",
        "exit": "Expected exit status {expected}, got {actual}.{stderr}",
        "stderr": "\nErrors printed:\n{stderr}",
        "flag_wrong": "That is not the right flag.",
        "flag_missing": "The file {file} is empty or missing.",
        "pids": "The script left too many processes behind: nothing else can run.",
        "timeout": "Time limit exceeded ({limit} s): the script does not finish.",
        "output": "Too much output: the script wrote more than {limit} bytes.",
        "no_script": "No .sh script was submitted.",
        "setup": "Preparing this case failed: {error}",
        "summary": "**{score}/{max_score}** — {passed} of {total} check(s) passed.",
        "all_passed": "Well done, everything is right!",
    },
}


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n")


def _short(text: str) -> str:
    return text if len(text) <= MESSAGE_LIMIT // 2 else text[: MESSAGE_LIMIT // 2] + " …"


def judge(case: dict, run: dict, text: dict, example: bool) -> str | None:
    """None when the case passes, else the message for the learner."""
    stdout, stderr, status = run.get("stdout", ""), run.get("stderr", ""), run.get("status")
    problems = []
    if "expected_stdout" in case and _normal(stdout) != _normal(case["expected_stdout"]):
        if example:
            problems.append(
                text["stdout"].format(
                    expected=_short(case["expected_stdout"]), actual=_short(stdout)
                )
            )
        else:
            line = _first_difference(_normal(case["expected_stdout"]), _normal(stdout))
            problems.append(text["stdout_hidden"].format(line=line, actual=_short(stdout)))
    if "expected_lines" in case:
        actual = {line.strip() for line in stdout.splitlines() if line.strip()}
        expected = {line.strip() for line in case["expected_lines"]}
        if actual != expected:
            extra = sorted(actual - expected)[:10]
            if example:
                problems.append(
                    text["lines"].format(missing=sorted(expected - actual)[:10], extra=extra)
                )
            else:
                problems.append(
                    text["lines_hidden"].format(missing=len(expected - actual), extra=extra)
                )
    if "expected_regex" in case and not re.search(case["expected_regex"], stdout, re.M):
        key = "regex" if example else "regex_hidden"
        problems.append(text[key].format(pattern=case["expected_regex"], actual=_short(stdout)))
    if "expected_exit" in case and status != case["expected_exit"]:
        shown = text["stderr"].format(stderr=_short(stderr)) if stderr.strip() else ""
        problems.append(
            text["exit"].format(expected=case["expected_exit"], actual=status, stderr=shown)
        )
    return "\n".join(problems)[:MESSAGE_LIMIT] if problems else None


def _first_difference(expected: str, actual: str) -> int:
    for number, (left, right) in enumerate(
        zip(expected.splitlines(), actual.splitlines(), strict=False), 1
    ):
        if left != right:
            return number
    return min(len(expected.splitlines()), len(actual.splitlines())) + 1


def check_flag(flag: dict, job: Job, text: dict) -> str | None:
    name = flag.get("file", "flag.txt")
    answer = job.submitted.get(name, "").strip()
    if not answer:
        return text["flag_missing"].format(file=name)
    if hashlib.sha256(answer.encode()).hexdigest() != flag["sha256"]:
        return text["flag_wrong"]
    return None


def fixtures() -> dict[str, str]:
    folder = TESTS / "fixtures"
    if not folder.is_dir():
        return {}
    return {
        str(path.relative_to(folder)): base64.b64encode(path.read_bytes()).decode()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run_case(
    learner: Learner, case: dict, job: Job, text: dict, example: bool
) -> tuple[str | None, str | None]:
    """(message, limit hit) of one case; message None when it passes."""
    if learner.stopped is not None and not learner.revive():
        return stop_message(learner.stopped, job), None
    timeout = max(job.deadline - time.monotonic(), 0.05)
    request = {
        "op": "run",
        "args": [str(a) for a in case.get("args", [])],
        "stdin": str(case.get("stdin", "")),
        "setup": str(case.get("setup", "")),
        "timeout": timeout,
    }
    try:
        run = learner.request(request)
    except LearnerStopped as error:
        return stop_message(error, job), error.limit
    except RuntimeError as error:
        return text["setup"].format(error=str(error)[:500]), None
    if not isinstance(run, dict):
        return text["pids"], None
    if run.get("missing"):
        return text["no_script"], None
    if run.get("limit"):
        limit = run["limit"]
        limits = {"timeout": int(job.timeout), "output": job.output_limit}
        return text[limit].format(limit=limits.get(limit, "")), limit if limit != "pids" else None
    return judge(case, run, text, example), None


def grade(learner: Learner, job: Job) -> dict:
    text = MESSAGES.get(job.lang, MESSAGES["fr"])
    spec = checks.load_shell(TESTS)
    tests, limit = [], None
    for case in spec.get("case", []):
        entry = results.test_entry(case["name"], case.get("points", 1))
        example = bool(case.get("example")) or case["name"] in job.examples
        message, hit = run_case(learner, case, job, text, example)
        limit = limit or hit
        if message is None:
            entry.update(outcome="passed", points=entry["max_points"])
        else:
            entry["message"] = message
        tests.append(entry)
    for flag in spec.get("flag", []):
        entry = results.test_entry(flag["name"], flag.get("points", 1))
        message = check_flag(flag, job, text)
        if message is None:
            entry.update(outcome="passed", points=entry["max_points"])
        else:
            entry["message"] = message
        tests.append(entry)
    result = results.build(tests, job.lang, limit)
    total = result["max_score"]
    result["feedback"] = text["summary"].format(
        score=result["score"],
        max_score=total,
        total=len(tests),
        passed=sum(t["outcome"] == "passed" for t in tests),
    ) + ("\n\n" + text["all_passed"] if result["score"] == total else "")
    # No scrub here: messages are built from the learner's own output and, for example cases
    # only, the expected one; withholding the learner's lines that match the checks file would
    # tell the learner which of its lines are right.
    return results.fit(result)


def cold(control: Control) -> None:
    job, fds = receive(control)
    learner = learner_for(control, job, test_modules=set)
    learner.hello = {"fixtures": fixtures()}
    if checks.load_shell(TESTS).get("case"):
        connect_first(learner, fds)
    control.send({"op": "result", "result": grade(learner, job)})


def zygote(listener: socket.socket) -> None:
    serve_jobs(listener, lambda conn: cold(Control(conn)))
