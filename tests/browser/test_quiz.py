"""A quiz inside a lesson, answered in a real browser and graded without reloading."""

import pytest

from lms import content
from tests.browser.test_learner_flow import sign_in
from tests.content.builder import make_content

pytestmark = pytest.mark.browser


@pytest.fixture
def quiz_site(app, tmp_path, learner, create_cohort):
    app.config["LMS_CONTENT_DIR"] = str(make_content(tmp_path / "content"))
    content.reload(app)
    create_cohort(learners=[learner], track="demo")


def test_learner_answers_a_quiz_in_a_lesson(quiz_site, page, live_server, learner, screenshot):
    sign_in(page, live_server, learner.email)
    page.goto(f"{live_server}/learn/demo/01-base/01-intro")
    quiz = page.locator("form.quiz")
    assert quiz.locator("fieldset.question").count() == 3
    quiz.locator('fieldset[data-question="q1"] input[value="1"]').check()
    quiz.locator('fieldset[data-question="q2"] input[value="0"]').check()
    quiz.locator('fieldset[data-question="q3"] input[type="text"]').fill("len")
    quiz.locator('button[type="submit"]').click()
    page.wait_for_selector('form.quiz .result[data-status="graded"] .score', timeout=20_000)
    assert quiz.locator(".score").inner_text() == "2/3"
    assert "toutes les bonnes réponses" in quiz.locator(".test-failed").inner_text()

    quiz.locator('fieldset[data-question="q2"] input[value="1"]').check()
    quiz.locator('button[type="submit"]').click()
    # A function, not an expression: Playwright evals expressions, which the page's
    # Content-Security-Policy forbids (no 'unsafe-eval').
    page.wait_for_function(
        "() => document.querySelector('form.quiz .score') && "
        "document.querySelector('form.quiz .score').textContent === '3/3'",
        timeout=20_000,
    )
    screenshot("quiz")
