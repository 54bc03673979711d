"""Every JSON body is limited (lms/json_limits.py): whatever an attacker sends, the answer is a
4xx with a clear English message, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.json_limits import lone_surrogate, nesting_depth
from lms.models import Submission

EXERCISE = "python-backend/prix-ttc"
SUBMIT = f"/api/v1/exercises/{EXERCISE}/submissions"
JSON = {"Content-Type": "application/json"}


def test_json_nested_1000_deep_is_a_400_unauthenticated_on_tokens(client):
    body = '{"email": ' + "[" * 1000 + "]" * 1000 + ', "password": "x"}'
    response = client.post("/api/v1/tokens", data=body, headers=JSON)
    assert response.status_code == 400
    assert response.json == {"error": "the JSON body nests arrays and objects more than 32 deep"}


def test_objects_nested_100_000_deep_are_refused_before_parsing(client):
    body = '{"a": ' * 100_000 + "1" + "}" * 100_000
    response = client.post("/api/v1/tokens", data=body, headers=JSON)
    assert response.status_code == 400 and "32 deep" in response.json["error"]


def test_a_lone_surrogate_in_a_files_text_is_a_400_at_the_api(client, learner, api_token):
    body = '{"files": {"prix.py": "def prix_ttc(p): return p \\ud800"}}'
    response = client.post(SUBMIT, data=body, headers={**JSON, **api_token(learner)})
    assert response.status_code == 400
    assert "lone surrogate" in response.json["error"]
    assert "$['files']['prix.py']" in response.json["error"]
    assert db.session.scalar(select(Submission.id)) is None


def test_a_lone_surrogate_encoded_as_utf8_bytes_is_a_400_too(client, learner, api_token):
    body = b'{"files": {"prix.py": "x = \'\xed\xa0\x80\'"}}'
    response = client.post(SUBMIT, data=body, headers={**JSON, **api_token(learner)})
    assert response.status_code == 400 and "error" in response.json


def test_a_lone_surrogate_from_the_exercise_page_is_a_400(client, auth, learner):
    auth.login(learner.email)
    token = auth.csrf_token(f"/exercises/{EXERCISE}")
    body = '{"files": {"prix.py": "x = \'\\udfff\'"}}'
    response = client.post(
        f"/exercises/{EXERCISE}/submissions",
        data=body,
        headers={**JSON, "X-CSRFToken": token, "Accept": "application/json"},
    )
    assert response.status_code == 400 and "lone surrogate" in response.json["error"]
    assert db.session.scalar(select(Submission.id)) is None


def test_the_submission_operation_refuses_a_lone_surrogate_whoever_calls_it(app, learner, loaded):
    from lms.submissions import operations
    from lms.submissions.operations import SubmissionError

    with pytest.raises(SubmissionError, match="lone surrogate"):
        operations.submit(
            learner, loaded.exercises[EXERCISE], {"prix.py": "x = '\udc80'"}, "c", 10_000
        )


@pytest.mark.parametrize(
    "body",
    [
        '{"email": "a@b", "password": ',  # cut short
        "{'email': 'a@b'}",  # not JSON
        '{"email": "a@b", "password": "x"} trailing',
        "\xff\xfe garbage",
        '["email", "password"]',  # not an object
        '"a string"',
        "null",
        '{"email": 1, "password": ["x"]}',  # wrong types
        '{"email": "\\ud800@b", "password": "x"}',  # lone surrogate
        '{"\\udc00": 1, "email": "a@b", "password": "x"}',  # in a key
    ],
)
def test_malformed_bodies_on_tokens_are_400_with_a_message(client, body):
    response = client.post("/api/v1/tokens", data=body, headers=JSON)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["error"]


@pytest.mark.parametrize("body", ["[1, 2]", '"files"', "17", '{"files": [["x"]]}'])
def test_a_submission_that_is_not_an_object_of_files_is_a_400(client, auth, learner, body):
    auth.login(learner.email)
    token = auth.csrf_token(f"/exercises/{EXERCISE}")
    response = client.post(
        f"/exercises/{EXERCISE}/submissions",
        data=body,
        headers={**JSON, "X-CSRFToken": token, "Accept": "application/json"},
    )
    assert response.status_code == 400 and response.json["error"]


def test_a_json_body_over_the_limit_is_a_413_with_a_message(app, client):
    app.config["LMS_MAX_JSON_BYTES"] = 1000
    body = '{"email": "' + "a" * 1000 + '", "password": "x"}'
    response = client.post("/api/v1/tokens", data=body, headers=JSON)
    assert response.status_code == 413
    assert response.json == {"error": "the JSON body is larger than 1000 bytes"}


def test_brackets_inside_strings_do_not_count_as_nesting():
    assert nesting_depth(b'{"code": "[[[[{{{{\\"]]]]"}', 32) == 1
    assert nesting_depth(b"[[[]]]", 32) == 3
    assert nesting_depth(b"[" * 10_000, 5) == 6  # stops counting past the limit


def test_lone_surrogates_are_found_in_keys_and_nested_values():
    assert lone_surrogate({"a": ["ok", {"b": "\ud800"}]}) == "$['a'][1]['b']"
    assert lone_surrogate({"\udfff": 1}) == "$ (a key)"
    assert lone_surrogate({"a": ["é", "ث", "😀"]}) is None
