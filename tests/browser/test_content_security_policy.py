"""The Content-Security-Policy in a real browser: each role walks its pages and Chromium reports
no violation (an inline script or handler the policy blocked would be one), and the scripts the
pages need still run: the editor, submitting and polling, the language menu."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_learner_flow import set_editor, sign_in

pytestmark = pytest.mark.browser

EXERCISE = "/exercises/python-backend/prix-ttc"
#: Reported to the page's console by Chromium itself, and by the listener below.
REPORTED = """document.addEventListener("securitypolicyviolation", (e) =>
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile}:${e.lineNumber}`));"""


@pytest.fixture
def violations(page) -> list[str]:
    """Every CSP violation and script error of the page, as they happen."""
    found: list[str] = []
    page.add_init_script(REPORTED)
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if "Content Security Policy" in message.text or "CSP violation" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: found.append(f"script error: {error}"))
    return found


def html_pages(app) -> list[str]:
    """The argument-less pages of the app (JSON, CSV and health endpoints left out)."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.arguments
        and not rule.rule.startswith(("/api/", "/static", "/health", "/metrics", "/issuer"))
        and not rule.rule.endswith((".csv", ".json"))
        and rule.rule != "/status/revocation"
    )


def walk(page, base: str, paths: list[str]) -> list[str]:
    visited = []
    for path in paths:
        response = page.goto(base + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state("load")
        assert response.headers["x-frame-options"] == "DENY", path
        visited.append(path)
    return visited


@pytest.mark.parametrize("role", ["trainer", "company", "auditor", "admin"])
def test_every_page_of_a_role_runs_without_a_csp_violation(
    app, page, live_server, create_user, violations, role
):
    user = create_user(role)
    sign_in(page, live_server, user.email)
    visited = walk(page, live_server, html_pages(app))
    assert len(visited) > 5
    assert violations == []


def test_a_learners_pages_and_scripts_run_without_a_csp_violation(
    app, page, live_server, learner, violations, loaded
):
    sign_in(page, live_server, learner.email)
    lessons = [f"/learn/{lesson.id}" for lesson in loaded.tracks["python-backend"].lessons]
    visited = walk(page, live_server, [*html_pages(app), "/learn/python-backend", *lessons[:3]])
    assert lessons[0] in visited

    # The editor: CodeMirror replaced the text area and highlights Python.
    page.goto(live_server + EXERCISE)
    page.wait_for_selector(".CodeMirror")
    assert page.locator(".CodeMirror .cm-keyword").count() > 0

    # Submitting from the editor and polling: the result is replaced without a reload.
    set_editor(page, "def prix_ttc(prix_ht, taux=0.2):\n    return prix_ht\n")
    page.click("#submit-button")
    page.wait_for_selector("#result .result[data-status]", timeout=30_000)
    page.wait_for_url(re.compile(f".*{EXERCISE}$"))

    # The language menu submits itself (site.js, no onchange= attribute any more).
    page.select_option("#locale-select", "en")
    page.wait_for_selector("html[lang=en]")
    assert violations == []


def test_an_inline_script_would_be_blocked_and_reported(page, live_server, violations):
    """The listener works: a script injected into a page is blocked and seen."""
    page.goto(live_server + "/login")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.injected = true"; document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected") is None
    assert any("script-src" in v for v in violations), violations
