"""Every exercise in the repository, through the JSON API and real containers: the reference
solution earns full marks and the starter does not."""

from pathlib import Path

import pytest

from lms.content.loader import load
from lms.extensions import db
from lms.models import Cohort, Enrollment

ALL_EXERCISES = sorted(load(Path(__file__).resolve().parents[2]).exercises)
pytestmark = pytest.mark.docker


@pytest.fixture
def database_url(tmp_path) -> str:
    # Grading, not the database, is under test here: SQLite alone keeps the run short.
    return f"sqlite:///{tmp_path / 'lms.sqlite3'}"


@pytest.fixture
def everywhere_learner(learner, loaded, create_cohort):
    enrolled = {c.track for c in db.session.query(Cohort).join(Enrollment)}
    for track in set(loaded.tracks) - enrolled:
        create_cohort(learners=[learner], track=track)
    return learner


@pytest.mark.parametrize("exercise_id", ALL_EXERCISES)
def test_solution_scores_full_marks_and_starter_does_not(
    client, everywhere_learner, api_token, loaded, grade_all, exercise_id
):
    headers = api_token(everywhere_learner)
    exercise = loaded.exercises[exercise_id]
    url = f"/api/v1/exercises/{exercise_id}/submissions"
    solution = client.post(url, headers=headers, json={"files": exercise.solution()})
    starter = client.post(url, headers=headers, json={"files": exercise.starter()})
    assert solution.status_code == starter.status_code == 202
    assert grade_all() == 2
    solved = client.get(f"/api/v1/submissions/{solution.json['id']}", headers=headers).json
    started = client.get(f"/api/v1/submissions/{starter.json['id']}", headers=headers).json
    assert solved["status"] == "graded" and solved["score"] == exercise.max_score, solved["tests"]
    assert started["status"] == "graded" and started["score"] < exercise.max_score
