"""The cap on a learner's waiting submissions, seen from the exercise page: the refusal is
shown beside the editor, and the code typed stays."""

from datetime import timedelta

import pytest

from lms.extensions import db
from lms.models import Submission
from lms.models.base import utcnow
from lms.submissions import operations
from tests.browser.test_learner_flow import set_editor, sign_in

pytestmark = pytest.mark.browser
EXERCISE = "python-backend/prix-ttc"


def test_a_fourth_submission_is_refused_beside_the_editor_and_the_code_stays(
    page, live_server, learner, loaded
):
    exercise = loaded.exercises[EXERCISE]
    for _ in range(3):
        operations.submit(learner, exercise, exercise.solution(), loaded.commit, 100_000)
    # Waiting, and not due for a while: the live server's workers leave them queued.
    db.session.execute(db.update(Submission).values(available_at=utcnow() + timedelta(hours=1)))
    db.session.commit()
    sign_in(page, live_server, learner.email)
    page.goto(f"{live_server}/exercises/{EXERCISE}")
    page.wait_for_selector(".CodeMirror")
    typed = "def prix_ttc(prix_ht, taux=0.2):\n    return prix_ht * 1.2  # ma version\n"
    set_editor(page, typed)
    page.click("#submit-button")
    alert = page.locator("#result .flash-error")
    alert.wait_for()
    assert "Vous avez déjà 3 soumissions en attente de correction" in alert.inner_text()
    editor = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert editor == typed
    assert page.locator("#submit-button").is_enabled(), "she may submit again later"
    assert db.session.scalar(db.select(db.func.count(Submission.id))) == 3
