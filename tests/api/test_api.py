"""The JSON API contract of the foundation issue."""

import pytest

from tests.conftest import PASSWORD

EXERCISE = "python-backend/prix-ttc"


def test_token_is_issued_for_valid_credentials_only(client, learner):
    ok = client.post("/api/v1/tokens", json={"email": learner.email, "password": PASSWORD})
    assert ok.status_code == 201 and len(ok.json["token"]) > 30
    wrong = client.post("/api/v1/tokens", json={"email": learner.email, "password": "nope"})
    assert wrong.status_code == 401 and "error" in wrong.json
    malformed = client.post("/api/v1/tokens", json=["not", "an", "object"])
    assert malformed.status_code == 400 and "error" in malformed.json


def test_every_endpoint_needs_a_valid_bearer_token(client):
    for method, path in [
        ("get", "/api/v1/exercises"),
        ("get", "/api/v1/submissions/1"),
        ("post", f"/api/v1/exercises/{EXERCISE}/submissions"),
    ]:
        response = getattr(client, method)(path, headers={"Authorization": "Bearer forged"})
        assert response.status_code == 401
        assert response.json == {"error": "a valid bearer token is required"}


def test_exercises_lists_the_learners_track_with_files_and_max_score(
    client, learner, api_token, loaded
):
    response = client.get("/api/v1/exercises", headers=api_token(learner))
    assert response.status_code == 200
    by_id = {e["id"]: e for e in response.json}
    assert set(by_id) == set(loaded.tracks["python-backend"].exercise_ids)
    assert by_id[EXERCISE] == {
        "id": EXERCISE,
        "title": loaded.exercises[EXERCISE].title,
        "grader": "python",
        "max_score": 10,
        "files": ["prix.py"],
    }
    assert by_id["python-backend/catalogue-sqlite"]["files"] == ["modeles.py", "depot.py"]


def test_a_learner_without_cohort_sees_no_exercise_and_cannot_submit(
    client, create_user, api_token
):
    outsider = create_user("learner")
    headers = api_token(outsider)
    assert client.get("/api/v1/exercises", headers=headers).json == []
    response = client.post(
        f"/api/v1/exercises/{EXERCISE}/submissions",
        headers=headers,
        json={"files": {"prix.py": "x = 1"}},
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "body, message",
    [
        ({"files": {"autre.py": "x = 1"}}, "unknown files"),
        ({"files": {"prix.py": 42}}, "must be a string"),
        ({"files": []}, "'files' must be an object"),
        ({}, "'files' must be an object"),
    ],
)
def test_bad_files_are_refused_with_400_and_nothing_is_recorded(
    client, learner, api_token, body, message
):
    from lms.models import Submission

    response = client.post(
        f"/api/v1/exercises/{EXERCISE}/submissions", headers=api_token(learner), json=body
    )
    assert response.status_code == 400
    assert message in response.json["error"]
    from lms.extensions import db

    assert db.session.query(Submission).count() == 0


def test_oversized_files_are_refused_with_413(client, learner, api_token, app):
    limit = app.config["LMS_MAX_SUBMISSION_BYTES"]
    response = client.post(
        f"/api/v1/exercises/{EXERCISE}/submissions",
        headers=api_token(learner),
        json={"files": {"prix.py": "#" * (limit + 1)}},
    )
    assert response.status_code == 413
    assert "limit" in response.json["error"]


def test_a_request_body_over_the_server_limit_is_a_json_413(client, learner, api_token, app):
    body = b'{"files": {"prix.py": "' + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 10) + b'"}}'
    response = client.post(
        f"/api/v1/exercises/{EXERCISE}/submissions",
        data=body,
        headers={**api_token(learner), "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "error" in response.json


def test_submission_is_queued_then_readable_only_by_its_owner(
    client, learner, create_user, create_cohort, api_token
):
    response = client.post(
        f"/api/v1/exercises/{EXERCISE}/submissions",
        headers=api_token(learner),
        json={"files": {"prix.py": "x = 1\n"}},
    )
    assert response.status_code == 202
    assert response.json["status"] == "queued"
    submission_id = response.json["id"]

    mine = client.get(f"/api/v1/submissions/{submission_id}", headers=api_token(learner))
    assert mine.status_code == 200
    assert mine.json["exercise"] == EXERCISE and mine.json["status"] == "queued"
    assert mine.json["score"] is None and mine.json["max_score"] == 10

    classmate = create_user("learner")
    create_cohort(learners=[classmate])
    theirs = client.get(f"/api/v1/submissions/{submission_id}", headers=api_token(classmate))
    assert theirs.status_code == 404
    assert client.get("/api/v1/submissions/999999", headers=api_token(learner)).status_code == 404


@pytest.mark.docker
def test_submission_is_graded_with_tests_commit_and_image_digest(
    client, learner, api_token, loaded, grade_all
):
    headers = api_token(learner)
    files = loaded.exercises[EXERCISE].solution()
    submission_id = client.post(
        f"/api/v1/exercises/{EXERCISE}/submissions", headers=headers, json={"files": files}
    ).json["id"]
    assert grade_all() == 1
    body = client.get(f"/api/v1/submissions/{submission_id}", headers=headers).json
    assert body["status"] == "graded"
    assert body["score"] == body["max_score"] == 10
    assert body["limit_hit"] is None
    assert body["content_commit"] == loaded.commit
    assert body["image_digest"].startswith("sha256:")
    assert all(t["outcome"] == "passed" for t in body["tests"]) and len(body["tests"]) >= 3
    assert body["queued_at"] <= body["started_at"] <= body["finished_at"]
