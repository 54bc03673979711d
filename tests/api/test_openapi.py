"""The OpenAPI description at /api/v1/openapi.json names every operation the API serves
(tests/api/test_openapi_fuzz.py checks the answers against it)."""

from __future__ import annotations

import re

import schemathesis


def test_the_description_is_served_without_a_token_and_loads_as_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json["openapi"] == "3.1.0"
    assert response.json["servers"] == [{"url": "/api/v1"}]
    schema = schemathesis.openapi.from_dict(response.json)
    assert len(list(schema.get_all_operations())) == 12


def test_every_route_of_the_api_is_described_with_its_methods(app, client):
    described = client.get("/api/v1/openapi.json").json["paths"]
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        path = path.replace("{track_slug}", "{track}")
        assert path in described, rule.rule
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in described[path], f"{method} {rule.rule}"


def test_an_id_beyond_32_bits_is_a_404_not_a_database_overflow(client, learner, api_token):
    """Found by the fuzz: SQLite and PostgreSQL both fail on an integer that large."""
    headers = api_token(learner)
    huge = 2**128
    assert client.get(f"/api/v1/submissions/{huge}", headers=headers).status_code == 404
    assert client.delete(f"/api/v1/tokens/{huge}", headers=headers).status_code == 404
