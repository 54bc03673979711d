"""The judge for SQL exercises: the reference query runs here, on the same SQLite database as
the learner's query, which runs in the learner's box (:mod:`lms_grading.learner_sql`) and comes
back as columns and rows by value; the result sets are compared here.

Feedback on a case the prompt does not show counts missing rows and quotes the learner's extra
rows, never the expected ones. Example cases (``example = true``, or named in the exercise's
``examples``) may show them.
"""

from __future__ import annotations

import socket
import sqlite3
import time
from pathlib import Path

from lms_grading import checks, results
from lms_grading.control import Control
from lms_grading.judging import Job, connect_first, learner_for, receive, serve_jobs, stop_message
from lms_grading.proxies import Learner, LearnerStopped

TESTS = Path("/job/tests")
MAX_ROWS = 10_000
SHOWN = 5
MESSAGE_LIMIT = 2000

MESSAGES = {
    "fr": {
        "error": "Votre requête a échoué : {error}",
        "empty": "Le fichier {name} est vide : écrivez une requête SELECT.",
        "missing_file": "Aucun fichier .sql n'a été soumis.",
        "several": "Écrivez une seule requête (une seule instruction SQL).",
        "columns": "Colonnes attendues : {expected} ; obtenues : {actual}.",
        "columns_hidden": "{expected} colonne(s) attendue(s), {actual} obtenue(s) : {names}.",
        "missing": "{n} ligne(s) manquante(s), par exemple : {rows}",
        "missing_hidden": "{n} ligne(s) attendue(s) manquante(s).",
        "extra": "{n} ligne(s) en trop, par exemple : {rows}",
        "order": "Les bonnes lignes, mais pas dans l'ordre demandé (ORDER BY ?).",
        "too_many": "Plus de {n} lignes : la requête renvoie beaucoup trop de résultats.",
        "timeout": "Temps limite dépassé ({limit} s) : la requête ne se termine pas.",
        "summary": "**{score}/{max_score}** — {passed} cas réussi(s) sur {total}.",
        "all_passed": "Bravo, la requête donne le bon résultat dans tous les cas !",
    },
    "en": {
        "error": "Your query failed: {error}",
        "empty": "The file {name} is empty: write a SELECT query.",
        "missing_file": "No .sql file was submitted.",
        "several": "Write a single query (one SQL statement).",
        "columns": "Expected columns: {expected}; got: {actual}.",
        "columns_hidden": "{expected} column(s) expected, {actual} returned: {names}.",
        "missing": "{n} missing row(s), for example: {rows}",
        "missing_hidden": "{n} expected row(s) missing.",
        "extra": "{n} extra row(s), for example: {rows}",
        "order": "The right rows, but not in the requested order (ORDER BY?).",
        "too_many": "More than {n} rows: the query returns far too many results.",
        "timeout": "Time limit exceeded ({limit} s): the query does not finish.",
        "summary": "**{score}/{max_score}** — {passed} of {total} case(s) passed.",
        "all_passed": "Well done, the query gives the right result in every case!",
    },
}


def reference(setup: str) -> tuple[list[str], list[tuple]]:
    connection = sqlite3.connect(":memory:")
    connection.executescript((TESTS / "schema.sql").read_text(encoding="utf-8"))
    if setup:
        connection.executescript(setup)
    cursor = connection.execute((TESTS / "reference.sql").read_text(encoding="utf-8"))
    columns = [d[0].lower() for d in cursor.description or []]
    return columns, [tuple(_normal(v) for v in row) for row in cursor.fetchmany(MAX_ROWS + 1)]


def _normal(value):
    # 3 and 3.0 are the same answer; floats compared to 6 decimals.
    if isinstance(value, float):
        return round(value, 6) if value != int(value) else int(value)
    return value


def compare(expected, actual, ordered: bool, text: dict, example: bool) -> str | None:
    """None when equal, else a message explaining the difference."""
    exp_cols, exp_rows = expected
    act_cols, act_rows = actual
    if len(act_rows) > MAX_ROWS:
        return text["too_many"].format(n=MAX_ROWS)
    if len(exp_cols) != len(act_cols):
        return _columns(exp_cols, act_cols, text, example)
    if ordered and exp_rows == act_rows:
        return None
    missing = _multiset_minus(exp_rows, act_rows)
    extra = _multiset_minus(act_rows, exp_rows)
    if not missing and not extra:
        return text["order"] if ordered else None
    parts = []
    if missing:
        if example:
            parts.append(text["missing"].format(n=len(missing), rows=_show(missing)))
        else:
            parts.append(text["missing_hidden"].format(n=len(missing)))
    if extra:
        parts.append(text["extra"].format(n=len(extra), rows=_show(extra)))
    if exp_cols != act_cols and example:
        parts.append(_columns(exp_cols, act_cols, text, example))
    return "\n".join(parts)


def _columns(expected: list[str], actual: list[str], text: dict, example: bool) -> str:
    if example:
        return text["columns"].format(expected=", ".join(expected), actual=", ".join(actual))
    return text["columns_hidden"].format(
        expected=len(expected), actual=len(actual), names=", ".join(actual)
    )


def _multiset_minus(left: list, right: list) -> list:
    remaining = list(right)
    out = []
    for row in left:
        if row in remaining:
            remaining.remove(row)
        else:
            out.append(row)
    return out


def _show(rows: list) -> str:
    return "; ".join(str(row) for row in rows[:SHOWN]) + (" …" if len(rows) > SHOWN else "")


def run_case(
    learner: Learner, case: dict, spec: dict, job: Job, text: dict
) -> tuple[str | None, str | None]:
    """(message, limit hit) of one case; message None when it passes."""
    if learner.stopped is not None and not learner.revive():
        return stop_message(learner.stopped, job), None
    setup = str(case.get("setup", ""))
    timeout = max(job.deadline - time.monotonic(), 0.05)
    try:
        answer = learner.request({"op": "query", "setup": setup, "timeout": timeout})
    except LearnerStopped as error:
        return stop_message(error, job), error.limit
    if not isinstance(answer, dict):
        return text["error"].format(error="?"), None
    if answer.get("missing"):
        return text["missing_file"], None
    if answer.get("empty"):
        return text["empty"].format(name=str(answer["empty"])[:100]), None
    if answer.get("timeout"):
        return text["timeout"].format(limit=int(job.timeout)), "timeout"
    if answer.get("several"):
        return text["several"], None
    if "error" in answer:
        return "error:" + text["error"].format(error=str(answer["error"])[:500]), None
    columns, rows = answer.get("columns"), answer.get("rows")
    if not isinstance(columns, list) or not isinstance(rows, list):
        return text["error"].format(error="?"), None
    actual = (
        [str(c) for c in columns],
        [tuple(_normal(v) for v in row) for row in rows if isinstance(row, list)],
    )
    example = bool(case.get("example")) or case["name"] in job.examples
    ordered = bool(case.get("ordered", spec.get("ordered")))
    difference = compare(reference(setup), actual, ordered, text, example)
    return (None if difference is None else difference[:MESSAGE_LIMIT]), None


def grade(learner: Learner, job: Job) -> dict:
    text = MESSAGES.get(job.lang, MESSAGES["fr"])
    spec = checks.load_sql(TESTS)
    tests, limit = [], None
    for case in spec["case"]:
        entry = results.test_entry(case["name"], case.get("points", 1))
        tests.append(entry)
        if limit:
            entry["message"] = text["timeout"].format(limit=int(job.timeout))
            continue
        message, hit = run_case(learner, case, spec, job, text)
        limit = limit or hit
        if message is None:
            entry.update(outcome="passed", points=entry["max_points"])
        elif message.startswith("error:"):
            entry.update(outcome="error", message=message.removeprefix("error:"))
        else:
            entry["message"] = message
    result = results.build(tests, job.lang, limit)
    passed = sum(t["outcome"] == "passed" for t in tests)
    result["feedback"] = text["summary"].format(
        score=result["score"], max_score=result["max_score"], passed=passed, total=len(tests)
    )
    if limit:
        result["feedback"] += "\n\n" + text["timeout"].format(limit=int(job.timeout))
    elif result["score"] == result["max_score"]:
        result["feedback"] += "\n\n" + text["all_passed"]
    return results.fit(result)


def cold(control: Control) -> None:
    job, fds = receive(control)
    learner = learner_for(control, job, test_modules=set)
    learner.hello = {"schema": (TESTS / "schema.sql").read_text(encoding="utf-8")}
    connect_first(learner, fds)
    control.send({"op": "result", "result": grade(learner, job)})


def zygote(listener: socket.socket) -> None:
    serve_jobs(listener, lambda conn: cold(Control(conn)))
