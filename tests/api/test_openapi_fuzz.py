"""Property-based fuzz of every operation of /api/v1 against its OpenAPI description
(lms/api/openapi.py), with schemathesis: a live server on 127.0.0.1, a valid token, 25
generated requests per operation. No answer may be a 5xx, and every answer must be one the
description allows (status, content type, body).

Selected with ``-m fuzz``; about half a minute per database.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from werkzeug.serving import make_server

from lms.api import openapi, tokens
from lms.extensions import db
from lms.headers import QuietRequestHandler

pytestmark = pytest.mark.fuzz

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
#: Operations fuzzed as an admin (the others as a learner of a cohort).
AS_ADMIN = {"outcomeReport"}


@pytest.fixture
def api_server(app):
    """The app on a free port of 127.0.0.1 (threads, no grading), as `lms run` serves it."""
    app.config["LMS_WEBHOOK_SECRET"] = "fuzz-secret"
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


#: (path, method, operationId) of every operation the description names.
OPERATIONS = [
    (path, method.upper(), operation["operationId"])
    for path, methods in openapi.PATHS.items()
    for method, operation in methods.items()
]


@pytest.fixture
def fresh_token(learner, create_user):
    """A new bearer token for each request: some operations revoke the token they are
    given, or one of the same user's, which must not spoil the requests that follow."""
    admin = create_user("admin")

    def make(operation_id: str) -> dict[str, str]:
        user = admin if operation_id in AS_ADMIN else learner
        issued = tokens.issue(user, tokens.TokenRequest(timedelta(hours=1)))
        db.session.commit()
        return {"Authorization": f"Bearer {issued.secret}"}

    return make


@pytest.mark.parametrize("path, method, operation_id", OPERATIONS, ids=[o[2] for o in OPERATIONS])
def test_every_operation_answers_as_described_and_never_500(
    api_server, fresh_token, path, method, operation_id
):
    schema = schemathesis.openapi.from_url(f"{api_server}/api/v1/openapi.json")
    operation = schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_described(case):
        case.call_and_validate(headers=fresh_token(operation_id), checks=CHECKS)

    answers_as_described()
