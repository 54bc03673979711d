"""While the database is unreachable the web answers 503 with a clear message and Retry-After
(a page for browsers, JSON for the API), never a 500; when it comes back, the app recovers by
itself. A real PostgreSQL: the outage is the server refusing the app's database."""

from __future__ import annotations

import re
import socket

import psycopg
import pytest

from lms import create_app
from lms.errors import discard_session
from lms.extensions import db

pytestmark = pytest.mark.postgres

MESSAGE = "try again in a minute"


@pytest.fixture
def database_url(postgres_url):
    """PostgreSQL only: SQLite cannot be taken away from under a running app."""
    return postgres_url


@pytest.fixture
def outage(postgres_server, postgres_url):
    """Callables that take the app's database away and give it back, as an outage would:
    new connections are refused and the open ones are cut."""
    name = postgres_url.rsplit("/", 1)[1]

    def admin(sql: str, *params: str) -> None:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(sql, params)

    def begin() -> None:
        admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            name,
        )

    def end() -> None:
        admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    yield begin, end
    end()
    discard_session()  # the test's own session held a connection the outage cut


@pytest.fixture
def signed_in(client, auth, learner, api_token):
    """A learner signed in on the web, and her API token's headers."""
    headers = api_token(learner)
    auth.login(learner.email)
    assert client.get("/").status_code == 200
    return headers


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert response.mimetype == "text/html"
    assert MESSAGE in response.get_data(as_text=True)


def assert_unavailable_json(response) -> None:
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert MESSAGE in response.json["error"]


def test_pages_answer_503_while_the_database_is_down(client, signed_in, outage):
    begin, _ = outage
    begin()

    assert_unavailable_page(client.get("/"))
    assert_unavailable_page(client.get("/learn/python-backend"))
    assert_unavailable_page(client.get("/login"))


def test_api_answers_503_json_while_the_database_is_down(client, signed_in, outage):
    begin, _ = outage
    begin()

    assert_unavailable_json(client.get("/api/v1/exercises", headers=signed_in))
    submitted = client.post(
        "/api/v1/exercises/python-backend/somme-liste/submissions",
        json={"files": {"solution.py": "pass"}},
        headers=signed_in,
    )
    assert_unavailable_json(submitted)


def test_liveness_stays_200_and_readiness_turns_503(client, signed_in, outage):
    begin, end = outage
    begin()

    assert client.get("/health").status_code == 200
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json == {"status": "unavailable", "database": "unreachable"}

    end()
    assert client.get("/health/ready").status_code == 200


def test_the_app_recovers_by_itself_when_the_database_is_back(client, signed_in, outage):
    begin, end = outage
    begin()
    assert client.get("/").status_code == 503
    assert client.get("/api/v1/exercises", headers=signed_in).status_code == 503

    end()

    assert client.get("/").status_code == 200  # the same session: nothing was lost
    assert client.get("/api/v1/exercises", headers=signed_in).status_code == 200


def test_a_database_server_that_is_not_listening_gives_503(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the app tries it
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://lms:lms@127.0.0.1:{port}/lms",
            "SECRET_KEY": "test-secret",
            "LMS_GRADING": "off",
        }
    )
    client = app.test_client()
    try:
        form = client.get("/login")  # the form itself needs no database
        assert form.status_code == 200
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form.text)[1]
        sign_in = {"email": "salma@test.ma", "password": "x", "csrf_token": token}
        assert_unavailable_page(client.post("/login", data=sign_in))
        assert_unavailable_json(
            client.get("/api/v1/exercises", headers={"Authorization": "Bearer x"})
        )
        assert client.get("/health").status_code == 200
        assert client.get("/health/ready").status_code == 503
    finally:
        with app.app_context():
            db.engine.dispose()
