"""The result JSON every harness prints is validated before anything is recorded."""

import json

import pytest

from sandbox.result import InvalidResult, parse


def result(**changes) -> dict:
    data = {
        "score": 1,
        "max_score": 3,
        "feedback": "ok",
        "truncated": False,
        "tests": [
            {"name": "a", "outcome": "passed", "points": 1, "max_points": 1, "message": ""},
            {"name": "b", "outcome": "failed", "points": 0, "max_points": 2, "message": "non"},
        ],
    }
    data.update(changes)
    return data


def line(data) -> bytes:
    return (json.dumps(data) + "\n").encode()


def test_the_last_line_is_the_result():
    assert parse(b"noise\n" + line(result()))["score"] == 1


@pytest.mark.parametrize(
    "data, error",
    [
        (result(score=4), "outside"),
        (result(score=-1), "outside"),
        (result(score=2), "not the sum"),
        (result(max_score=5), "max_score is not the sum"),
        (result(score=True), "'score' missing or not int"),
        (result(tests="x"), "'tests' missing or not list"),
        (result(limit_hit="cpu"), "unknown limit"),
        (
            result(
                tests=[{"name": "a", "outcome": "great", "points": 0, "max_points": 1}],
                score=0,
                max_score=1,
            ),
            "unknown outcome",
        ),
        ([1, 2], "not an object"),
    ],
)
def test_invalid_results_are_refused(data, error):
    with pytest.raises(InvalidResult, match=error):
        parse(line(data))


def test_no_output_and_non_json_are_refused():
    with pytest.raises(InvalidResult, match="no result"):
        parse(b"\n\n")
    with pytest.raises(InvalidResult, match="not JSON"):
        parse(b"Traceback (most recent call last):\n")
