"""The SQL grader: result sets compared with the reference, differences explained, runaway
queries stopped."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest

from lms import grading
from sandbox import Job, Limits, run

pytestmark = pytest.mark.docker

EXERCISE = Path(__file__).resolve().parents[2] / "exercises/analyse-donnees/sql-ca-par-ville"
SOLUTION = (EXERCISE / "solution/requete.sql").read_text()


EXAMPLES = tuple(tomllib.loads((EXERCISE / "exercise.toml").read_text())["examples"])


def grade(sql: str, timeout: float = 3):
    job = Job(
        image=grading.get("sql").image,
        files={"requete.sql": sql},
        tests_dir=EXERCISE / "tests",
        limits=Limits(timeout_seconds=timeout),
        max_score=10,
        examples=EXAMPLES,
    )
    started = time.monotonic()
    return run(job), time.monotonic() - started


def test_the_reference_solution_earns_full_marks():
    result, _ = grade(SOLUTION)
    assert result.score == result.max_score == 10


def test_a_hard_coded_answer_fails_on_the_other_databases():
    result, _ = grade("SELECT 'Fès', 1, 1250.0 UNION ALL SELECT 'Rabat', 2, 1290.0")
    assert result.score == 0
    assert "manquante" in result.tests[0].message


def test_missing_columns_are_named():
    result, _ = grade("SELECT ville FROM clients")
    assert "Colonnes attendues : ville, nb_commandes, total" in result.tests[0].message


def test_right_rows_in_the_wrong_order_are_explained():
    unordered = SOLUTION.replace("ORDER BY total DESC", "ORDER BY total ASC")
    result, _ = grade(unordered)
    assert result.score == 0
    assert "pas dans l'ordre" in result.tests[0].message


def test_a_syntax_error_is_reported_as_the_learners_error():
    result, _ = grade("SELEC * FROM clients")
    assert result.tests[0].outcome == "error"
    assert 'near "SELEC": syntax error' in result.tests[0].message


def test_several_statements_are_refused():
    result, _ = grade("DROP TABLE clients; SELECT 1")
    assert result.score == 0
    assert "une seule requête" in result.tests[0].message


def test_a_query_that_never_ends_is_stopped_at_the_time_limit():
    endless = (
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
    )
    result, elapsed = grade(endless, timeout=2)
    assert result.limit_hit == "timeout" and result.score == 0
    assert elapsed < 2 + 4


def test_a_huge_result_is_capped_with_a_clear_message():
    huge = (
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 200000) "
        "SELECT x, x, x FROM n"
    )
    result, _ = grade(huge)
    assert result.score == 0
    assert "beaucoup trop de résultats" in result.tests[0].message


def test_a_hidden_case_counts_missing_rows_without_showing_them():
    result, _ = grade("SELECT 'Fès', 1, 1250.0 UNION ALL SELECT 'Rabat', 2, 1290.0")
    hidden = result.tests[1]
    assert "ligne(s) attendue(s) manquante(s)" in hidden.message
    assert "Tanger" not in hidden.message  # a city only the hidden case's data holds


HOSTILE_QUERIES = {
    "attach the hidden files": "ATTACH DATABASE '/job/tests/reference.sql' AS r",
    "attach another database": "SELECT * FROM pragma_database_list",
    "load an extension": "SELECT load_extension('/usr/lib/x86_64-linux-gnu/libsqlite3.so.0')",
    "read a file": "SELECT readfile('/job/tests/reference.sql')",
    "write a database file": "VACUUM INTO '/job/tests/copy.db'",
    "the schema as an answer": "SELECT sql, name, type FROM sqlite_master",
    "a pragma": "PRAGMA writable_schema = 1",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_QUERIES))
def test_a_hostile_query_earns_nothing_and_reaches_nothing(name):
    result, elapsed = grade(HOSTILE_QUERIES[name])
    assert result.score == 0
    assert elapsed < 3 + 4
    reference = (EXERCISE / "tests" / "reference.sql").read_text()
    for test in result.tests:
        for line in reference.splitlines():
            assert len(line.strip()) < 12 or line.strip() not in test.message
