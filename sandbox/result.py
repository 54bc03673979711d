"""Validation of the result JSON every harness prints."""

from __future__ import annotations

import json

from sandbox.errors import SandboxError
from sandbox.job import TestResult

OUTCOMES = {"passed", "failed", "error"}
LIMITS = {None, "timeout", "memory", "output"}
MAX_RESULT_BYTES = 1_000_000


class InvalidResult(SandboxError):
    """The harness printed something that is not a valid result: the grader is broken."""


def parse(stdout: bytes) -> dict:
    """The last non-empty stdout line, as a validated result dict."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    if not lines:
        raise InvalidResult("the grader printed no result")
    if len(lines[-1]) > MAX_RESULT_BYTES:
        raise InvalidResult("the grader's result is larger than 1 MB")
    try:
        data = json.loads(lines[-1])
    except ValueError as exc:
        raise InvalidResult(f"the grader's result is not JSON: {exc}") from None
    validate(data)
    return data


def validate(data: object) -> None:
    if not isinstance(data, dict):
        raise InvalidResult("the result is not an object")
    _require(data, "score", int)
    _require(data, "max_score", int)
    _require(data, "tests", list)
    _require(data, "feedback", str)
    if not 0 <= data["score"] <= data["max_score"]:
        raise InvalidResult(f"score {data['score']} outside 0..{data['max_score']}")
    if data.get("limit_hit") not in LIMITS:
        raise InvalidResult(f"unknown limit {data.get('limit_hit')!r}")
    for test in data["tests"]:
        _validate_test(test)
    if sum(t["points"] for t in data["tests"]) != data["score"]:
        raise InvalidResult("the score is not the sum of the tests' points")
    if (
        not data.get("truncated")
        and sum(t["max_points"] for t in data["tests"]) != data["max_score"]
    ):
        raise InvalidResult("max_score is not the sum of the tests' max_points")


def _validate_test(test: object) -> None:
    if not isinstance(test, dict):
        raise InvalidResult("a test is not an object")
    _require(test, "name", str)
    _require(test, "outcome", str)
    _require(test, "points", int)
    _require(test, "max_points", int)
    if test["outcome"] not in OUTCOMES:
        raise InvalidResult(f"unknown outcome {test['outcome']!r}")
    if not 0 <= test["points"] <= test["max_points"]:
        raise InvalidResult(f"test {test['name']!r} has points outside 0..max_points")


def _require(data: dict, key: str, kind: type) -> None:
    value = data.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidResult(f"{key!r} missing or not {kind.__name__}")


def tests_of(data: dict) -> tuple[TestResult, ...]:
    return tuple(
        TestResult(t["name"], t["outcome"], t["points"], t["max_points"], t.get("message", ""))
        for t in data["tests"]
    )
