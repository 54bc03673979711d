"""SQL grader harness: runs the learner's query and the hidden reference query on the same
SQLite databases and compares the result sets. Prints one result JSON line.

Hidden tests folder::

    schema.sql      tables and rows of the fixture database
    reference.sql   the reference query (never shown to learners)
    checks.toml     ordered = false|true, then [[case]] name, points, optional setup SQL run
                    after schema.sql (so a query that hard-codes the visible answer fails)

The learner's SQL never runs Python, so it cannot print a forged result; a runaway query is
stopped by SQLite's progress handler at the time limit, and rows are capped.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
import tomllib
from pathlib import Path

SUBMISSION = Path("/job/submission")
TESTS = Path("/job/tests")
MAX_ROWS = 10_000
SHOWN = 5
MESSAGE_LIMIT = 2000

MESSAGES = {
    "fr": {
        "error": "Votre requête a échoué : {error}",
        "empty": "Le fichier {name} est vide : écrivez une requête SELECT.",
        "several": "Écrivez une seule requête (une seule instruction SQL).",
        "columns": "Colonnes attendues : {expected} ; obtenues : {actual}.",
        "missing": "{n} ligne(s) manquante(s), par exemple : {rows}",
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
        "several": "Write a single query (one SQL statement).",
        "columns": "Expected columns: {expected}; got: {actual}.",
        "missing": "{n} missing row(s), for example: {rows}",
        "extra": "{n} extra row(s), for example: {rows}",
        "order": "The right rows, but not in the requested order (ORDER BY?).",
        "too_many": "More than {n} rows: the query returns far too many results.",
        "timeout": "Time limit exceeded ({limit} s): the query does not finish.",
        "summary": "**{score}/{max_score}** — {passed} of {total} case(s) passed.",
        "all_passed": "Well done, the query gives the right result in every case!",
    },
}


class QueryError(Exception):
    pass


class QueryTimeout(Exception):
    pass


class SeveralStatements(Exception):
    pass


def load_checks(tests_dir: Path) -> dict:
    """checks.toml, validated. The LMS reads it too, for the exercise's maximum score."""
    checks = tomllib.loads((tests_dir / "checks.toml").read_text(encoding="utf-8"))
    cases = checks.get("case")
    if not isinstance(cases, list) or not cases:
        raise ValueError("checks.toml needs at least one [[case]]")
    for case in cases:
        if not isinstance(case.get("name"), str) or not isinstance(case.get("points", 1), int):
            raise ValueError("each [[case]] needs a name and integer points")
    for name in ("schema.sql", "reference.sql"):
        if not (tests_dir / name).is_file():
            raise ValueError(f"{name} is missing")
    return checks


def max_score(tests_dir: Path) -> int:
    return sum(case.get("points", 1) for case in load_checks(tests_dir)["case"])


def database(tests_dir: Path, setup: str) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.executescript((tests_dir / "schema.sql").read_text(encoding="utf-8"))
    if setup:
        connection.executescript(setup)
    return connection


def run_query(connection: sqlite3.Connection, sql: str, deadline: float):
    def check_clock() -> int:
        return 1 if time.monotonic() > deadline else 0

    connection.set_progress_handler(check_clock, 10_000)
    try:
        # sqlite3 refuses a second statement (comments after the first are fine).
        cursor = connection.execute(sql)
        columns = [d[0].lower() for d in cursor.description or []]
        rows = cursor.fetchmany(MAX_ROWS + 1)
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise QueryTimeout from None
        raise QueryError(str(exc)) from None
    except sqlite3.Warning:
        raise SeveralStatements from None
    except sqlite3.Error as exc:
        if "one statement at a time" in str(exc):  # ProgrammingError on Python 3.11
            raise SeveralStatements from None
        raise QueryError(str(exc)) from None
    return columns, [tuple(_normal(v) for v in row) for row in rows]


def _normal(value):
    # 3 and 3.0 are the same answer; floats compared to 6 decimals.
    if isinstance(value, float):
        return round(value, 6) if value != int(value) else int(value)
    return value


def compare(expected, actual, ordered: bool, text: dict) -> str | None:
    """None when equal, else a message explaining the difference."""
    exp_cols, exp_rows = expected
    act_cols, act_rows = actual
    if len(act_rows) > MAX_ROWS:
        return text["too_many"].format(n=MAX_ROWS)
    if len(exp_cols) != len(act_cols):
        return text["columns"].format(expected=", ".join(exp_cols), actual=", ".join(act_cols))
    if ordered and exp_rows == act_rows:
        return None
    missing = _multiset_minus(exp_rows, act_rows)
    extra = _multiset_minus(act_rows, exp_rows)
    if not missing and not extra:
        return text["order"] if ordered else None
    parts = []
    if missing:
        parts.append(text["missing"].format(n=len(missing), rows=_show(missing)))
    if extra:
        parts.append(text["extra"].format(n=len(extra), rows=_show(extra)))
    if exp_cols != act_cols:
        parts.append(
            text["columns"].format(expected=", ".join(exp_cols), actual=", ".join(act_cols))
        )
    return "\n".join(parts)


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


def learner_query() -> tuple[str, str]:
    files = sorted(p for p in SUBMISSION.iterdir() if p.suffix == ".sql")
    path = files[0]
    return path.name, path.read_text(encoding="utf-8")


def grade(lang: str, timeout: float) -> dict:
    text = MESSAGES.get(lang, MESSAGES["fr"])
    checks = load_checks(TESTS)
    reference = (TESTS / "reference.sql").read_text(encoding="utf-8")
    name, sql = learner_query()
    deadline = time.monotonic() + timeout
    tests, limit = [], None
    for case in checks["case"]:
        points = case.get("points", 1)
        result = {
            "name": case["name"],
            "outcome": "failed",
            "points": 0,
            "max_points": points,
            "message": "",
        }
        tests.append(result)
        if limit:
            continue
        if not sql.strip():
            result["message"] = text["empty"].format(name=name)
            continue
        setup = case.get("setup", "")
        expected = run_query(database(TESTS, setup), reference, float("inf"))
        try:
            actual = run_query(database(TESTS, setup), sql, deadline)
        except QueryTimeout:
            limit = "timeout"
            result["message"] = text["timeout"].format(limit=int(timeout))
            continue
        except QueryError as exc:
            result.update(outcome="error", message=text["error"].format(error=exc))
            continue
        except SeveralStatements:
            result["message"] = text["several"]
            continue
        difference = compare(
            expected, actual, bool(case.get("ordered", checks.get("ordered"))), text
        )
        if difference is None:
            result.update(outcome="passed", points=points)
        else:
            result["message"] = difference[:MESSAGE_LIMIT]
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
        passed=sum(t["outcome"] == "passed" for t in tests),
        total=len(tests),
    )
    if limit:
        feedback += "\n\n" + text["timeout"].format(limit=int(timeout))
    elif score == total:
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
    result = grade(os.environ.get("LMS_LANG", "fr"), float(os.environ.get("LMS_TIMEOUT", "10")))
    sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
