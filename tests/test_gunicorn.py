"""The documented production command, ``gunicorn -c gunicorn.conf.py wsgi:app``, serves the app:
a fresh instance (``lms init --demo``), two gunicorn workers on a free port of 127.0.0.1, the
health check and a signed-in learner's lesson page. Bounded in time; the server is always
stopped."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LESSON = "/learn/python-backend"
DEMO_PASSWORD = "demo1234"  # lms/admin/demo.py
#: No cookies, http:// to 127.0.0.1 only.
plain = urllib.request.build_opener()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gunicorn")


@pytest.fixture(scope="module")
def instance_env(workdir) -> dict[str, str]:
    """One demo instance for the module: `lms init --demo` takes seconds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
    env.update(LMS_INSTANCE_DIR=str(workdir / "instance"), LMS_GRADING="off")
    subprocess.run(
        # The code under test, run from ROOT (the console script may be another checkout's).
        [sys.executable, "-c", "from lms.cli import main; main()", "init", "--demo"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=180,
    )
    return env


@pytest.fixture(scope="module")
def gunicorn(instance_env, workdir):
    """The base URL of gunicorn serving the demo instance; stopped (then killed) afterwards."""
    port = free_port()
    env = {**instance_env, "LMS_WEB_BIND": f"127.0.0.1:{port}", "LMS_WEB_WORKERS": "2"}
    log = workdir / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server, log)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(base: str, server: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, f"gunicorn exited:\n{log.read_text()}"
        try:
            with plain.open(base + "/health", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within {seconds} s:\n{log.read_text()}")


def sign_in(base: str, email: str, password: str = DEMO_PASSWORD) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(base + "/login", timeout=10) as response:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.read().decode())[1]
    form = {"csrf_token": token, "email": email, "password": password}
    with opener.open(base + "/login", urllib.parse.urlencode(form).encode(), timeout=10):
        pass
    return opener


def test_gunicorn_serves_health_and_a_signed_in_lesson_page(gunicorn):
    with plain.open(gunicorn + "/health", timeout=10) as response:
        assert response.status == 200
        assert b'"ok"' in response.read()

    learner = sign_in(gunicorn, "learner@demo.test")
    with learner.open(gunicorn + LESSON, timeout=10) as response:
        track_page = response.read().decode()
        assert response.status == 200 and response.url.endswith(LESSON)
    lesson = re.search(r'href="(/learn/python-backend/[^/"]+/[^/"]+)"', track_page)[1]
    with learner.open(gunicorn + lesson, timeout=10) as response:
        assert response.status == 200 and response.url.endswith(lesson)


def test_gunicorn_answers_readiness_from_the_database(gunicorn):
    with plain.open(gunicorn + "/health/ready", timeout=10) as response:
        assert response.status == 200


def test_an_unknown_page_is_a_404_not_an_error(gunicorn):
    with pytest.raises(urllib.error.HTTPError) as raised:
        plain.open(gunicorn + "/no-such-page", timeout=10)
    assert raised.value.code == 404


def test_gunicorn_does_not_say_which_version_it_runs(gunicorn):
    with plain.open(gunicorn + "/health", timeout=10) as response:
        server = response.headers.get("Server", "")
    assert not re.search(r"\d", server), server
    assert "Python" not in server
