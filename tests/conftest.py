"""Fixtures in the flaskr/Indico style: an app per test on a fresh database (SQLite, and a real
PostgreSQL for tests that run on both), a client, a CLI runner, factories as callables."""

from __future__ import annotations

import contextvars
import os
import re
import shutil
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

import psycopg
import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade

from lms import content, create_app
from lms.admin import operations as ops
from lms.extensions import db
from lms.models import User
from lms.submissions import operations

pytest_plugins = ["tests.smtp"]  # the smtp_sink fixture

#: Server the PostgreSQL tests create their throw-away databases on (scripts/test starts it).
POSTGRES_SERVER = os.environ.get(
    "LMS_TEST_POSTGRES", "postgresql://lms:lms@127.0.0.1:5432/postgres"
)
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    with psycopg.connect(POSTGRES_SERVER, connect_timeout=5):
        pass  # fails loudly, never skips, when the server is not running
    return POSTGRES_SERVER


def _sqlalchemy_url(server: str, name: str) -> str:
    base = server.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{base}/{name}"


def _migrate(url: str, tmp: Path) -> None:
    """Run every migration once on ``url`` (a template the tests' databases are copied from)."""
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp)})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str, tmp_path_factory):
    """A PostgreSQL database migrated once per test session; each test's database is a copy
    (CREATE DATABASE ... TEMPLATE) rather than a second run of every migration."""
    name = f"lms_template_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    _migrate(_sqlalchemy_url(postgres_server, name), tmp_path_factory.mktemp("pg-template"))
    yield name
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_server: str, postgres_template: str):
    """A new PostgreSQL database for one test, already migrated, dropped afterwards."""
    name = f"lms_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"')
    yield _sqlalchemy_url(postgres_server, name)
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite database migrated once per test session, copied for each test."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    _migrate(f"sqlite:///{folder / 'lms.sqlite3'}", folder)
    return folder / "lms.sqlite3"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "lms.sqlite3")
        return f"sqlite:///{tmp_path / 'lms.sqlite3'}"
    return request.getfixturevalue("postgres_url")


TEST_SETTINGS = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "LMS_GRADING": "off",
    # Cold grading: a test must not leave boxes waiting for the rest of the run
    # (tests/sandbox/test_warm.py turns the pool on where it is the subject).
    "LMS_WARM_CONTAINERS": 0,
    # A fast password hash: scrypt's ~0.1 s of CPU per hash and check, paid by most tests, is
    # not what they test (tests that are about hashing set scrypt back).
    "LMS_PASSWORD_HASH": "pbkdf2:sha256:1000",
}


@pytest.fixture
def app_config(database_url, tmp_path) -> dict:
    return {
        **TEST_SETTINGS,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SQLALCHEMY_DATABASE_URI": database_url,
    }


class IsolatedClient(FlaskClient):
    """Runs each request outside the test's own app context, as in production: ``g`` (the
    signed-in user, the locale) and the database session are fresh for every request."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def loaded(app):
    return content.current()


# Factories ---------------------------------------------------------------------------------


@pytest.fixture
def create_user(app) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def factory(
        role: str = "learner", email: str | None = None, name: str | None = None, **kwargs
    ) -> User:
        n = next(counter)
        user = ops.create_user(
            email or f"{role}{n}@test.ma", name or f"{role.title()} {n}", role, PASSWORD, **kwargs
        )
        db.session.commit()
        return user

    return factory


@pytest.fixture
def operator(app):
    organization = ops.create_organization("Opérateur Test", "operator")
    db.session.commit()
    return organization


@pytest.fixture
def create_cohort(app, operator):
    counter = iter(range(1, 10_000))

    def factory(trainers=(), learners=(), track: str = "python-backend"):
        cohort = ops.create_cohort(
            f"Cohorte {next(counter)}",
            operator,
            track,
            "Casablanca-Settat",
            date(2026, 9, 1),
            date(2027, 2, 1),
            set(content.current().tracks),
        )
        for trainer in trainers:
            ops.assign_trainer(cohort, trainer)
        for learner in learners:
            ops.enrol(cohort, learner)
        db.session.commit()
        return cohort

    return factory


@pytest.fixture
def learner(create_user, create_cohort, trainer):
    user = create_user("learner", email="salma@test.ma", name="Salma")
    create_cohort(trainers=[trainer], learners=[user])
    return user


@pytest.fixture
def trainer(create_user):
    return create_user("trainer", email="youssef@test.ma", name="Youssef")


class AuthActions:
    def __init__(self, client):
        self.client = client

    def csrf_token(self, path: str = "/login") -> str:
        html = self.client.get(path, follow_redirects=True).get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
            r'<meta name="csrf-token" content="([^"]+)"', html
        )
        return match.group(1)

    def login(self, email: str, password: str = PASSWORD):
        return self.client.post(
            "/login", data={"email": email, "password": password, "csrf_token": self.csrf_token()}
        )

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.csrf_token("/")})


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def api_token(client):
    def factory(user: User) -> dict:
        response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
        assert response.status_code == 201, response.json
        return {"Authorization": f"Bearer {response.json['token']}"}

    return factory


@pytest.fixture
def grade_all(app):
    """Run the real grading function until no submission is due (what a worker does)."""

    def run(limit: int = 50) -> int:
        graded = 0
        while graded < limit and operations.grade_next(
            content.current(), app.config["LMS_MAX_ATTEMPTS"], app.config.get("LMS_DOCKER_URL")
        ):
            graded += 1
        return graded

    return run


def solution_files(loaded, exercise_id: str) -> dict[str, str]:
    return loaded.exercises[exercise_id].solution()
