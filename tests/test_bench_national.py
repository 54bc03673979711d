"""bench/national.py at a tiny scale, so that the national benchmark does not rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.postgres


@pytest.fixture
def national_run(postgres_server):
    """Run the bench on 50 learners x ~20 submissions, keeping its database for the checks;
    drop it afterwards."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "national.py"), "--learners", "50",
         "--submissions-per-learner", "20", "--repeat", "3", "--keep",
         "--with-proposed-indexes"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, check=False,
    )  # fmt: skip
    figures = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
    database = figures["database"] if figures else None
    try:
        assert done.returncode == 0, done.stderr[-3000:]
        yield figures, f"{postgres_server.rsplit('/', 1)[0]}/{database}"
    finally:
        if database:
            with psycopg.connect(postgres_server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def test_generates_the_programme_and_its_submissions(national_run):
    figures, url = national_run
    generation = figures["generation"]
    assert (generation["learners"], generation["enrollments"], generation["cohorts"]) == (50, 50, 2)
    with psycopg.connect(url) as conn:
        count = conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
        learners = conn.execute("SELECT count(DISTINCT learner_id) FROM submissions").fetchone()[0]
        statuses = dict(conn.execute("SELECT status, count(*) FROM submissions GROUP BY status"))
        off_track = conn.execute(
            "SELECT count(*) FROM submissions s JOIN enrollments e ON e.learner_id = s.learner_id"
            " JOIN cohorts c ON c.id = e.cohort_id WHERE s.exercise_id NOT LIKE c.track || '/%'"
        ).fetchone()[0]
    assert count == generation["submissions"]
    assert 50 * 20 * 0.7 < count < 50 * 20 * 1.3
    assert learners == 50
    assert statuses["graded"] > 0.9 * count
    assert off_track == 0


def test_measures_every_page_with_its_queries_and_plans(national_run):
    figures, _ = national_run
    measured = figures["schema"]
    for name in ("learner_home", "learner_track", "trainer_cohort_grid", "outcome_dashboard"):
        assert measured[name]["n"] == 3
        assert measured[name]["queries"]["max"] > 0
        assert "x_select_1" in measured[name]
        assert measured[name]["plans"]["queries"]
    for group_by in ("programme", "cohort", "operator", "region", "track"):
        assert measured[f"outcomes_180d_{group_by}"]["p95_ms"] > 0
    assert set(figures["summary"]) == {"schema", "with_proposed_indexes"}


def test_proposed_indexes_are_created_and_used(national_run):
    figures, url = national_run
    with psycopg.connect(url) as conn:
        indexes = {row[0] for row in conn.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'submissions'")}  # fmt: skip
    assert {"ix_submissions_learner_exercise_id", "ix_submissions_learner_errors",
            "ix_submissions_learner_regrades"} <= indexes  # fmt: skip
    assert "ix_submissions_learner_exercise" not in indexes
    # At this scale the planner may well prefer a sequential scan: only the shape is checked.
    grid = figures["with_proposed_indexes"]["trainer_cohort_grid"]["plans"]
    assert all("submissions_scans" in query for query in grid["queries"])
