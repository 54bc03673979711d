"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``.

Written by hand next to the views it describes: every operation, its parameters, bodies and
answers, errors included. tests/api/test_openapi_fuzz.py holds the two together: schemathesis
sends generated requests to every operation and fails on any answer the description does not
allow (an undocumented status, a body of another shape, a 500).
"""

from __future__ import annotations

from lms.api.tokens import SCOPES

JSON = "application/json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _error(description: str) -> dict:
    return {"$ref": f"#/components/responses/{description}"}


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


#: The answers every bearer-authenticated operation may give besides its own.
_AUTHENTICATED_ERRORS = {"401": _error("Unauthorized")}
_TIMESTAMP = {"type": "string", "format": "date-time"}

SCHEMAS: dict[str, dict] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string", "description": "What is wrong, in English."}},
    },
    "TokenRequest": {
        "type": "object",
        "required": ["email", "password"],
        "properties": {
            "email": {"type": "string"},
            "password": {"type": "string"},
            "expires_in": {
                "type": "integer",
                "minimum": 60,
                "description": "Seconds until the token expires (default LMS_API_TOKEN_DAYS "
                "days, at most LMS_API_TOKEN_MAX_DAYS days).",
            },
            "scopes": {
                "type": "array",
                "minItems": 1,
                "items": {"enum": list(SCOPES)},
                "description": "What the token may do (default: all).",
            },
            "name": {"type": "string", "maxLength": 100},
        },
    },
    "Token": {
        "type": "object",
        "required": [
            "id",
            "name",
            "scopes",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "status",
        ],
        "properties": {
            "id": {"type": "integer"},
            "name": _nullable("string"),
            "scopes": {"type": "array", "items": {"enum": list(SCOPES)}},
            "created_at": _TIMESTAMP,
            "expires_at": _TIMESTAMP,
            "last_used_at": _nullable("string", format="date-time"),
            "revoked_at": _nullable("string", format="date-time"),
            "status": {"enum": ["active", "expired", "revoked"]},
        },
    },
    "IssuedToken": {
        "allOf": [
            _ref("Token"),
            {
                "type": "object",
                "required": ["token"],
                "properties": {
                    "token": {
                        "type": "string",
                        "description": "The bearer token, shown this once: only its SHA-256 "
                        "is kept.",
                    }
                },
            },
        ]
    },
    "Exercise": {
        "type": "object",
        "required": ["id", "title", "grader", "max_score", "files"],
        "properties": {
            "id": {"type": "string", "description": "<track>/<slug>"},
            "title": {"type": "string"},
            "grader": {"type": "string"},
            "max_score": {"type": "integer"},
            "files": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Files": {
        "type": "object",
        "required": ["files"],
        "properties": {
            "files": {
                "type": "object",
                "minProperties": 1,
                "additionalProperties": {"type": "string"},
                "description": "File name -> text, among the exercise's files; a file left "
                "out is taken from the starter.",
            }
        },
    },
    "Queued": {
        "type": "object",
        "required": ["id", "status"],
        "properties": {"id": {"type": "integer"}, "status": {"const": "queued"}},
    },
    "Submission": {
        "type": "object",
        "required": [
            "id",
            "exercise",
            "status",
            "detail",
            "score",
            "max_score",
            "tests",
            "feedback",
            "limit_hit",
            "content_commit",
            "image_digest",
            "code_hash",
            "attempts",
            "queued_at",
            "started_at",
            "finished_at",
            "duration",
        ],
        "properties": {
            "id": {"type": "integer"},
            "exercise": {"type": "string"},
            "status": {"enum": ["queued", "running", "graded", "error"]},
            "detail": _nullable("string"),
            "score": _nullable("integer"),
            "max_score": {"type": "integer"},
            "tests": {"type": "array", "items": {"type": "object"}},
            "feedback": {"type": "string"},
            "limit_hit": _nullable("string"),
            "content_commit": _nullable("string"),
            "image_digest": _nullable("string"),
            "code_hash": _nullable("string"),
            "attempts": {"type": "integer"},
            "queued_at": _nullable("string", format="date-time"),
            "started_at": _nullable("string", format="date-time"),
            "finished_at": _nullable("string", format="date-time"),
            "duration": _nullable("number"),
        },
    },
    "ProjectResult": {
        "type": "object",
        "required": ["id", "brief", "company", "team", "learners", "score", "reviewed_at"],
        "properties": {
            "id": {"type": "integer"},
            "brief": {"type": "string"},
            "brief_id": {"type": "integer"},
            "brief_version": {"type": "integer"},
            "company": {"type": "string"},
            "cohort": {"type": "string"},
            "team": {"type": "string"},
            "learners": {"type": "array", "items": {"type": "string"}},
            "learner_ids": {"type": "array", "items": {"type": "integer"}},
            "reviewer": {"type": "string"},
            "score": _nullable("number"),
            "max_score": _nullable("number"),
            "criteria": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "weight": {"type": "number"},
                        "level": {"type": "string"},
                        "comment": {"type": "string"},
                    },
                },
            },
            "overall_comment": _nullable("string"),
            "reviewed_at": _TIMESTAMP,
            "supersedes": _nullable("integer"),
            "digest": _nullable("string"),
            "deliverable": {
                "type": "object",
                "properties": {
                    "version": {"type": "integer"},
                    "repo": _nullable("string"),
                    "commit": _nullable("string"),
                    "archive_sha256": _nullable("string"),
                },
            },
        },
    },
    "Certificate": {
        "type": "object",
        "required": [
            "id",
            "learner",
            "track",
            "status",
            "issued_at",
            "credential_url",
            "verify_url",
        ],
        "properties": {
            "id": {"type": "string"},
            "learner": {"type": "string"},
            "track": {"type": "string"},
            "status": {"enum": ["pending", "issued", "suspended", "revoked"]},
            "issued_at": _nullable("string", format="date-time"),
            "credential_url": _nullable("string"),
            "verify_url": _nullable("string"),
        },
    },
    "OutcomeReport": {
        "type": "object",
        "required": ["window", "group_by", "as_of", "minimum_wage_mad", "categories", "groups"],
        "properties": {
            "window": {"enum": [90, 180]},
            "group_by": {"enum": ["programme", "cohort", "operator", "region", "track"]},
            "as_of": {"type": "string", "format": "date"},
            "minimum_wage_mad": {"type": "integer"},
            "categories": {"type": "array", "items": {"type": "string"}},
            "groups": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "label", "enrolled"],
                    "properties": {
                        "key": {"type": "string"},
                        "label": {"type": "string"},
                        "cohorts": {"type": "integer"},
                        "enrolled": {"type": "integer"},
                        "graduated": {"type": "integer"},
                        "graduated_on_time": {"type": "integer"},
                        "certified": {"type": "integer"},
                        "categories": {
                            "type": "object",
                            "additionalProperties": {"type": "integer"},
                        },
                        "shares": {"type": "object"},
                        "non_reporting_share": _nullable("number"),
                        "median_base_pay": {"type": "object"},
                        "seeking_denominator": {"type": "integer"},
                        "in_field": {"type": "integer"},
                        "in_field_rate": _nullable("number"),
                        "decent_in_field": {"type": "integer"},
                        "decent_in_field_rate": _nullable("number"),
                        "retention": {"type": "object"},
                    },
                },
            },
        },
    },
    "WebhookRequest": {
        "type": "object",
        "properties": {
            "ref": {
                "type": "string",
                "minLength": 1,
                "maxLength": 200,
                "description": "Branch, tag or commit to publish (default HEAD).",
            }
        },
    },
    "WebhookAccepted": {
        "type": "object",
        "required": ["status", "ref", "delivery"],
        "properties": {
            "status": {"const": "accepted"},
            "ref": {"type": "string"},
            "delivery": {"type": "string"},
        },
    },
}

RESPONSES = {
    "BadRequest": _json(
        _ref("Error"),
        "Malformed: not JSON, nested too deeply (more than LMS_MAX_JSON_DEPTH), a lone "
        "surrogate in a string, wrong types, or a value out of range.",
    ),
    "Unauthorized": {
        **_json(_ref("Error"), "No bearer token, or one unknown, revoked or expired."),
        "headers": {
            "WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer realm"}
        },
    },
    "Forbidden": _json(_ref("Error"), "The token lacks the scope, or the role may not."),
    "NotFound": _json(_ref("Error"), "Does not exist, or is not the caller's."),
    "TooLarge": _json(_ref("Error"), "The body is larger than the server accepts."),
}


def _operation(summary: str, responses: dict, **extra) -> dict:
    return {"summary": summary, "responses": responses, **extra}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {JSON: {"schema": schema}}}


def _id_parameter(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
        "description": description,
    }


def _slug_parameter(name: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"},
    }


def _read(scope_needed: str | None = "read") -> list[dict]:
    return [{"bearer": [scope_needed] if scope_needed else []}]


PATHS = {
    "/tokens": {
        "post": _operation(
            "Issue a token for the account whose email and password are given",
            {
                "201": _json(_ref("IssuedToken"), "The token, shown this once."),
                "400": _error("BadRequest"),
                "401": _json(_ref("Error"), "Wrong email or password."),
                "413": _error("TooLarge"),
            },
            operationId="createToken",
            security=[],
            requestBody=_body(_ref("TokenRequest")),
        ),
        "get": _operation(
            "The caller's tokens, newest first (never their secret)",
            {
                "200": _json({"type": "array", "items": _ref("Token")}, "The tokens."),
                **_AUTHENTICATED_ERRORS,
            },
            operationId="listTokens",
            security=_read(None),
        ),
    },
    "/tokens/current": {
        "delete": _operation(
            "Revoke the token this request is made with",
            {"204": {"description": "Revoked."}, **_AUTHENTICATED_ERRORS},
            operationId="revokeCurrentToken",
            security=_read(None),
        )
    },
    "/tokens/{token_id}": {
        "delete": _operation(
            "Revoke one of the caller's tokens (an admin: anyone's)",
            {
                "204": {"description": "Revoked (or already revoked)."},
                **_AUTHENTICATED_ERRORS,
                "404": _error("NotFound"),
            },
            operationId="revokeToken",
            security=_read(None),
            parameters=[_id_parameter("token_id", "The token's id, as listed.")],
        )
    },
    "/exercises": {
        "get": _operation(
            "The exercises of the caller's tracks",
            {
                "200": _json({"type": "array", "items": _ref("Exercise")}, "The exercises."),
                **_AUTHENTICATED_ERRORS,
                "403": _error("Forbidden"),
            },
            operationId="listExercises",
            security=_read(),
        )
    },
    "/exercises/{track}/{slug}/submissions": {
        "post": _operation(
            "Submit files to an exercise; graded in the background",
            {
                "202": _json(_ref("Queued"), "Queued for grading."),
                "400": _error("BadRequest"),
                **_AUTHENTICATED_ERRORS,
                "403": _error("Forbidden"),
                "404": _error("NotFound"),
                "413": _json(_ref("Error"), "The files, or the body, are too large."),
            },
            operationId="submit",
            security=_read("submit"),
            parameters=[_slug_parameter("track"), _slug_parameter("slug")],
            requestBody=_body(_ref("Files")),
        )
    },
    "/submissions/{submission_id}": {
        "get": _operation(
            "One of the caller's submissions (a trainer: their cohorts')",
            {
                "200": _json(_ref("Submission"), "The submission."),
                **_AUTHENTICATED_ERRORS,
                "403": _error("Forbidden"),
                "404": _error("NotFound"),
            },
            operationId="getSubmission",
            security=_read(),
            parameters=[_id_parameter("submission_id", "The submission's id.")],
        )
    },
    "/project-results": {
        "get": _operation(
            "Final company reviews in force that the caller may see",
            {
                "200": _json({"type": "array", "items": _ref("ProjectResult")}, "Reviews."),
                **_AUTHENTICATED_ERRORS,
                "403": _error("Forbidden"),
            },
            operationId="listProjectResults",
            security=_read(),
        )
    },
    "/certificates": {
        "get": _operation(
            "The certificates the caller may see",
            {
                "200": _json({"type": "array", "items": _ref("Certificate")}, "Certificates."),
                **_AUTHENTICATED_ERRORS,
                "403": _error("Forbidden"),
            },
            operationId="listCertificates",
            security=_read(),
        )
    },
    "/reports/outcomes": {
        "get": _operation(
            "Placement outcome figures per group (admins and auditors)",
            {
                "200": _json(_ref("OutcomeReport"), "The figures."),
                "400": _error("BadRequest"),
                **_AUTHENTICATED_ERRORS,
                "403": _error("Forbidden"),
            },
            operationId="outcomeReport",
            security=_read(),
            parameters=[
                {"name": "window", "in": "query", "schema": {"enum": ["90", "180"]}},
                {
                    "name": "group_by",
                    "in": "query",
                    "schema": {"enum": ["programme", "cohort", "operator", "region", "track"]},
                },
                {"name": "as_of", "in": "query", "schema": {"type": "string", "format": "date"}},
            ],
        )
    },
    "/content/webhook": {
        "post": _operation(
            "Publish the content repository (signed by the git host; see docs/security.md)",
            {
                "202": _json(_ref("WebhookAccepted"), "The check and publication started."),
                "400": _error("BadRequest"),
                "401": _json(_ref("Error"), "Unsigned, badly signed, or stale."),
                "404": _json(_ref("Error"), "The webhook is not enabled."),
                "409": _json(_ref("Error"), "This delivery was received before."),
                "413": _error("TooLarge"),
            },
            operationId="contentWebhook",
            security=[{"webhookSignature": []}],
            parameters=[
                {
                    "name": "X-LMS-Timestamp",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^[0-9]{1,12}$"},
                    "description": "Signing time, seconds since the Unix epoch.",
                },
                {
                    "name": "X-LMS-Delivery",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,100}$"},
                    "description": "Unique id of this delivery.",
                },
            ],
            requestBody={
                "required": False,
                "content": {JSON: {"schema": _ref("WebhookRequest")}},
            },
        )
    },
    "/openapi.json": {
        "get": _operation(
            "This description",
            {"200": _json({"type": "object"}, "OpenAPI 3.1.")},
            operationId="openapi",
            security=[],
        )
    },
}


def description(server: str = "/api/v1") -> dict:
    """The whole OpenAPI document; ``server``: the API's base URL."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Digital Skills LMS API",
            "version": "1",
            "description": 'Errors are {"error": "..."} in English, with the status. '
            "See docs/api.md and docs/security.md.",
        },
        "servers": [{"url": server}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "responses": RESPONSES,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from POST /tokens. Scopes: read (every GET), "
                    "submit (POST .../submissions). Tokens expire and can be revoked.",
                },
                "webhookSignature": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-LMS-Signature",
                    "description": "sha256=<hex HMAC-SHA256, keyed with LMS_WEBHOOK_SECRET, of "
                    "'<X-LMS-Timestamp>.<X-LMS-Delivery>.<body>'>",
                },
            },
        },
    }
