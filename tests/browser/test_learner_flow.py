"""A learner in a real browser: sign in, read a lesson, edit code, submit, see the result."""

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.docker]


def sign_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def set_editor(page, text: str, index: int = 0):
    page.evaluate(
        "([i, t]) => document.querySelectorAll('.CodeMirror')[i].CodeMirror.setValue(t)",
        [index, text],
    )


def test_learner_reads_a_lesson_edits_code_submits_and_sees_the_result(
    page, live_server, learner, loaded, screenshot
):
    sign_in(page, live_server, learner.email)
    assert page.locator("h1").inner_text() == "Mes parcours"
    page.click("text=Développement back-end Python")
    page.click("ol.lessons li:first-child a")
    assert page.locator("article.lesson .highlight").count() > 0
    screenshot("lesson")
    page.click(".exercise-embed a.exercise-link")
    page.wait_for_url(re.compile(r".*/exercises/python-backend/prix-ttc$"))
    page.wait_for_selector(".CodeMirror")
    assert page.locator(".CodeMirror .cm-keyword").count() > 0, "syntax highlighting"

    # Indentation that works: Enter after a colon indents by four spaces.
    set_editor(page, "")
    page.click(".CodeMirror-code")
    page.keyboard.type("def essai():")
    page.keyboard.press("Enter")
    page.keyboard.type("return 1")
    value = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert value == "def essai():\n    return 1"

    # A wrong answer first: the status goes to graded, with failing tests explained.
    set_editor(page, "def prix_ttc(prix_ht, taux=0.2):\n    return prix_ht\n")
    page.click("#submit-button")
    page.wait_for_selector('#result .result[data-status="graded"]', timeout=30_000)
    assert page.locator("#result .test-failed, #result .test-error").count() > 0
    assert page.locator("#result pre.message").first.inner_text() != ""

    set_editor(page, loaded.exercises["python-backend/prix-ttc"].solution()["prix.py"])
    page.click("#submit-button")
    page.wait_for_selector('#result .result[data-status="graded"] .score', timeout=30_000)
    assert page.locator("#result .score").inner_text() == "10/10"
    assert page.locator("#best-score").inner_text() == "10"
    assert page.locator("#result .test-passed").count() == page.locator("#result .test").count()
    screenshot("exercise-graded")

    page.click("text=Mes soumissions")
    assert page.locator("table.table tbody tr").count() == 2


def test_status_is_shown_while_queued_then_graded_without_reload(
    page, live_server, learner, loaded
):
    sign_in(page, live_server, learner.email)
    page.goto(f"{live_server}/exercises/python-backend/prix-ttc")
    page.wait_for_selector(".CodeMirror")
    statuses = []
    page.expose_function("recordStatus", lambda s: statuses.append(s))
    page.evaluate("""() => new MutationObserver(() => {
        const r = document.querySelector('#result .result');
        if (r) window.recordStatus(r.dataset.status);
      }).observe(document.getElementById('result'), {childList: true, subtree: true})""")
    set_editor(page, loaded.exercises["python-backend/prix-ttc"].solution()["prix.py"])
    url_before = page.url
    page.click("#submit-button")
    page.wait_for_selector('#result .result[data-status="graded"]', timeout=30_000)
    assert page.url == url_before
    assert statuses[-1] == "graded"
    assert set(statuses) <= {"queued", "running", "graded"}


def test_several_files_are_edited_in_tabs(page, live_server, learner, loaded):
    sign_in(page, live_server, learner.email)
    page.goto(f"{live_server}/exercises/python-backend/catalogue-sqlite")
    page.wait_for_selector(".CodeMirror")
    tabs = page.locator('[role="tab"]')
    assert tabs.all_inner_texts() == ["modeles.py", "depot.py"]
    assert page.locator("#panel-2").is_hidden()
    tabs.nth(1).click()
    assert page.locator("#panel-2").is_visible() and page.locator("#panel-1").is_hidden()
    solution = loaded.exercises["python-backend/catalogue-sqlite"].solution()
    set_editor(page, solution["modeles.py"], 0)
    set_editor(page, solution["depot.py"], 1)
    page.click("#submit-button")
    page.wait_for_selector('#result .result[data-status="graded"] .score', timeout=30_000)
    assert page.locator("#result .score").inner_text() == "12/12"


def test_trainer_sees_the_cohort_grid_and_opens_a_submission(
    page, live_server, learner, trainer, client, api_token, loaded, screenshot
):
    files = loaded.exercises["python-backend/prix-ttc"].solution()
    response = client.post(
        "/api/v1/exercises/python-backend/prix-ttc/submissions",
        headers=api_token(learner),
        json={"files": files},
    )
    assert response.status_code == 202
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/trainer/cohorts")
    page.click("table.table a")
    page.wait_for_selector("#cohort-grid")
    cell = page.locator("#cohort-grid td.cell a").first
    cell.wait_for()
    for _ in range(60):
        if cell.inner_text() == "10/10":
            break
        page.wait_for_timeout(500)
        page.reload()
        cell = page.locator("#cohort-grid td.cell a").first
    assert cell.inner_text() == "10/10"
    screenshot("trainer-grid")
    cell.click()
    page.wait_for_url("**/submissions/*")
    page.locator(".code-file .highlight").first.wait_for()
    assert page.locator(".code-file .highlight").count() == 1
    assert "Salma" in page.locator("dl.facts").inner_text()
