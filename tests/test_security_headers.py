"""Security headers on every answer, no inline script for a Content-Security-Policy to allow,
and no server version (lms/headers.py). Each test is an attacker's check."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lms import headers

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "lms" / "templates"
#: The `lms` command of the code under test (the console script may belong to another checkout).
LMS = [sys.executable, "-c", "from lms.cli import main; main()"]
ROLES = ("learner", "trainer", "company", "auditor", "admin")


def directives(policy: str) -> dict[str, list[str]]:
    found = {}
    for part in policy.split(";"):
        name, *values = part.split()
        found[name] = values
    return found


def argument_less_pages(app) -> list[str]:
    """Every GET route of the app that needs no argument: the pages a walk can reach."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/static")
    )


def assert_cannot_be_framed(response, path: str) -> None:
    assert response.headers.get("X-Frame-Options") == "DENY", path
    policy = directives(response.headers.get("Content-Security-Policy", ""))
    assert policy.get("frame-ancestors") == ["'none'"], path


@pytest.mark.parametrize("role", ROLES)
def test_no_page_of_a_walk_can_be_framed_or_sniffed(app, client, auth, create_user, role):
    user = create_user(role)
    auth.login(user.email)
    walked = argument_less_pages(app)
    assert "/account/tokens" in walked and "/" in walked
    for path in walked:
        response = client.get(path)
        assert_cannot_be_framed(response, path)
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path
        assert response.headers.get("Referrer-Policy") == "same-origin", path


def test_pages_of_a_signed_out_visitor_errors_and_static_files_cannot_be_framed(client):
    for path in ("/login", "/no-such-page", "/static/js/site.js", "/api/v1/exercises"):
        assert_cannot_be_framed(client.get(path), path)


def test_the_policy_allows_no_inline_script_no_eval_and_no_foreign_origin(client):
    policy = directives(client.get("/login").headers["Content-Security-Policy"])
    for directive in ("script-src", "style-src", "default-src"):
        assert policy[directive] == ["'self'"], directive
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]


def test_no_template_holds_an_inline_script_event_handler_or_style():
    """The policy would block them: behaviour lives in lms/static/js, declared by data-
    attributes."""
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"\son[a-z]+\s*=",
            r"\sstyle\s*=",
            "<style",
        ):
            offenders += [f"{template.relative_to(ROOT)}: {m}" for m in re.findall(pattern, text)]
        offenders += [f"{template}: javascript: URL" for _ in re.findall("javascript:", text)]
    assert offenders == []


def test_hsts_is_sent_only_when_the_public_address_is_https(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["LMS_BASE_URL"] = "https://lms.example.ma"
    assert client.get("/login").headers["Strict-Transport-Security"] == headers.HSTS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_lms_run_does_not_say_which_server_version_it_runs(tmp_path, sqlite_template):
    """`lms run` (werkzeug's server) used to answer ``Server: Werkzeug/3.1.9 Python/3.11.7``,
    on pages and on requests it cannot even parse."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMS_")}
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "lms.sqlite3").write_bytes(sqlite_template.read_bytes())
    env.update(LMS_INSTANCE_DIR=str(tmp_path / "instance"), LMS_GRADING="off")
    server = subprocess.Popen(
        [*LMS, "run", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        answer = wait_for(f"http://127.0.0.1:{port}/health", server)
        assert "Werkzeug" not in answer and "Python" not in answer and not re.search(r"\d", answer)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(b"NONSENSE\r\n\r\n")  # answered by the server, not the app
            raw = sock.recv(4096).decode("latin-1")
        assert "Werkzeug" not in raw and "Python/" not in raw
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)


def wait_for(url: str, server: subprocess.Popen, seconds: float = 30) -> str:
    """The Server header of the first answer from ``url``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "lms run exited"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return response.headers.get("Server", "")
        except urllib.error.HTTPError as error:
            return error.headers.get("Server", "")
        except OSError:
            time.sleep(0.2)
    pytest.fail("lms run did not answer")
