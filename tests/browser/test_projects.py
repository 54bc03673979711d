"""A company project reviewed in a real browser: a learner hands in a version, the company's
reviewer writes the review (autosaved as a server draft), survives an expired session, submits
a signed final review, and the learner reads it on the team page and on their profile.

Pages are in French (the browser asks for fr-FR) while the catalogue is being translated, so
elements are found by id and name, and any text checked is accepted in English or as the
French catalogue currently renders it."""

from __future__ import annotations

import re
import time

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from lms.extensions import db
from lms.models import Deliverable, Review, ReviewStatus
from lms.projects import operations as service
from tests.browser.test_learner_flow import sign_in
from tests.projects import conftest as projects
from tests.projects.conftest import deliver, review

pytestmark = pytest.mark.browser

#: The projects' fixtures, shared: the world (companies, reviewers, a cohort, an offer, two
#: teams) and what it needs from the same conftest.
world = projects.world
english_messages = projects.english_messages

#: Every wait is bounded: a few seconds, never the 30 s default.
TIMEOUT = 5_000
COMMIT = "0123456789abcdef0123456789abcdef01234567"
REPO = "https://git.example.ma/atlas/colis.git"

# What the reviewer writes: level indexes into the rubric of tests/projects/conftest.py
# (Fonctionnel: Insuffisant, Partiel, Complet; Code: Illisible, Propre).
LEVELS = {"Fonctionnel": 1, "Code": 1}
COMMENTS = {
    "Fonctionnel": "Les colis sont enregistrés, le suivi en temps réel manque.",
    "Code": "Lisible, avec des tests.",
}
OVERALL = "Un bon début, l'API est claire."
ADDED_SIGNED_OUT = " Pensez à documenter les erreurs."

# Records every text #draft-status shows, in order, from the first script of each page on: the
# "restored" message lasts only until the restored copy is saved, a few milliseconds later.
RECORD_STATUS = """
window.__statuses = [];
new MutationObserver(() => {
  const status = document.getElementById('draft-status');
  const seen = window.__statuses;
  if (status && seen[seen.length - 1] !== status.textContent) seen.push(status.textContent);
}).observe(document, {childList: true, subtree: true, characterData: true});
"""


@pytest.fixture
def new_page(browser):
    """A page in a fresh browser context (its own cookies and localStorage) per user."""
    contexts = []

    def make():
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT)
        contexts.append(context)
        page = context.new_page()
        page.add_init_script(RECORD_STATUS)
        return page

    yield make
    for context in contexts:
        context.close()


def texts(app, message: str, **params) -> set[str]:
    """``message`` as the English and the French interface show it right now."""
    found = {message % params if params else message}
    for locale in ("en", "fr"):
        with app.test_request_context(), force_locale(locale):
            found.add(gettext(message, **params))
    return found


def fresh(query):
    """Read what the live server committed, not what this session remembers."""
    db.session.rollback()
    return db.session.scalars(query)


def reviews_of(team) -> list[Review]:
    return list(fresh(select(Review).where(Review.team_id == team.id).order_by(Review.id)))


def draft_in_db(team, reviewer) -> Review | None:
    return next((r for r in reviews_of(team) if r.status == ReviewStatus.DRAFT), None)


# The review form ------------------------------------------------------------------------------


def level(page, criterion: str, index: int):
    return page.locator(f'input[type=radio][name="level:{criterion}"][value="{index}"]')


def comment(page, criterion: str):
    return page.locator(f'textarea[name="comment:{criterion}"]')


def overall(page):
    return page.locator("textarea[name=overall]")


def wait_for_status(page, kind: str) -> None:
    """#draft-status shows the form's own ``saved``, ``offline`` or ``restored`` message (the
    page carries them, translated, on #review-messages)."""
    page.wait_for_function(
        """kind => {
            const want = document.getElementById('review-messages').dataset[kind];
            const text = document.getElementById('draft-status').textContent;
            return kind === 'saved' ? text.startsWith(want.split('{time}')[0]) : text === want;
        }""",
        arg=kind,
        timeout=TIMEOUT,
    )


def wait_until_synced(page, overall_text: str) -> None:
    """The server answered the autosave of exactly this overall comment (review.js marks the
    browser's copy synced only then), and the status says so."""
    page.wait_for_function(
        """text => {
            const key = document.getElementById('review-form').dataset.storageKey;
            const kept = JSON.parse(localStorage.getItem(key) || 'null');
            return kept && kept.synced && kept.data.overall === text;
        }""",
        arg=overall_text,
        timeout=TIMEOUT,
    )
    wait_for_status(page, "saved")


def statuses(page) -> list[str]:
    return page.evaluate("window.__statuses")


def message(page, kind: str) -> str:
    return page.locator("#review-messages").get_attribute(f"data-{kind}")


def type_at_the_end(page, text: str) -> None:
    """Key by key, after what the overall comment already holds."""
    overall(page).focus()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def fill_review(page, levels: dict, comments: dict, overall_text: str) -> None:
    for criterion, index in levels.items():
        level(page, criterion, index).check()
    for criterion, text in comments.items():
        comment(page, criterion).fill(text)
    overall(page).fill(overall_text)


def assert_form_holds(page, levels: dict, comments: dict, overall_text: str) -> None:
    for criterion, index in levels.items():
        assert level(page, criterion, index).is_checked(), criterion
    for criterion, text in comments.items():
        assert comment(page, criterion).input_value() == text, criterion
    assert overall(page).input_value() == overall_text


def open_review_form(page, live_server, team) -> None:
    page.goto(f"{live_server}/projects/teams/{team.id}")
    page.click("#review-link")
    page.wait_for_url(f"{live_server}/projects/teams/{team.id}/review")
    page.wait_for_selector("#review-form")


# The steps ------------------------------------------------------------------------------------


def learner_hands_in(page, app, live_server, world) -> Deliverable:
    """Step 1: through /projects to the team page, then the hand-in form."""
    learner, team = world.learners[0], world.team
    sign_in(page, live_server, learner.email)
    page.goto(f"{live_server}/projects")
    page.click(f'a[href$="/projects/teams/{team.id}"]')
    page.wait_for_url(f"{live_server}/projects/teams/{team.id}")
    assert page.locator("section.deliverable").count() == 0
    form = page.locator("#deliverable-form")
    form.locator("input[name=repo_url]").fill(REPO)
    form.locator("input[name=commit]").fill(COMMIT)
    form.locator("textarea[name=report]").fill("Nous avons **tout** livré, tests compris.")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server}/projects/teams/{team.id}")

    version = page.locator("#deliverable-1")
    version.wait_for()
    heading = version.locator("h3").inner_text()
    assert any(heading.startswith(t) for t in texts(app, "Version %(n)d", n=1)), heading
    assert version.locator("dd code").all_inner_texts()[:2] == [REPO, COMMIT]
    assert version.locator(".prose strong").inner_text() == "tout", "the report is Markdown"
    assert page.locator("section.deliverable").count() == 1

    (deliverable,) = fresh(select(Deliverable).where(Deliverable.team_id == team.id))
    assert (deliverable.number, deliverable.repo_url, deliverable.commit) == (1, REPO, COMMIT)
    assert deliverable.submitted_by_id == learner.id
    return deliverable


def reviewer_drafts(page, live_server, world) -> None:
    """Step 2: levels and comments autosaved as a server draft, still there after a reload."""
    sign_in(page, live_server, world.reviewer.email)
    open_review_form(page, live_server, world.team)
    assert page.locator("textarea[name=supersede_reason]").count() == 0, "no final review yet"
    fill_review(page, LEVELS, COMMENTS, OVERALL)
    wait_until_synced(page, OVERALL)

    draft = draft_in_db(world.team, world.reviewer)
    assert draft is not None and draft.reviewer_id == world.reviewer.id
    assert (draft.levels, draft.comments, draft.overall_comment) == (LEVELS, COMMENTS, OVERALL)

    page.reload()
    page.wait_for_selector("#review-form")
    assert_form_holds(page, LEVELS, COMMENTS, OVERALL)
    assert message(page, "restored") not in statuses(page), "rendered by the server, not restored"


def session_expires_mid_review(page, live_server, world) -> str:
    """Step 3: on the review form (the draft saved), the session cookie goes; what is typed
    then is kept in the browser, restored after signing in again, and saved to the server."""
    page.context.clear_cookies()
    type_at_the_end(page, ADDED_SIGNED_OUT)
    typed = OVERALL + ADDED_SIGNED_OUT
    assert overall(page).input_value() == typed
    wait_for_status(page, "offline")
    assert draft_in_db(world.team, world.reviewer).overall_comment == OVERALL, "not on the server"

    sign_in(page, live_server, world.reviewer.email)
    open_review_form(page, live_server, world.team)
    wait_until_synced(page, typed)
    assert message(page, "restored") in statuses(page), statuses(page)
    assert_form_holds(page, LEVELS, COMMENTS, typed)
    draft = draft_in_db(world.team, world.reviewer)
    assert (draft.levels, draft.comments, draft.overall_comment) == (LEVELS, COMMENTS, typed)

    page.reload()
    page.wait_for_selector("#review-form")
    assert_form_holds(page, LEVELS, COMMENTS, typed)
    assert message(page, "restored") not in statuses(page), "synced: nothing left to restore"
    return typed


def reviewer_submits(page, app, live_server, world, overall_text: str) -> Review:
    """Step 4: the final review, signed; a second one without a reason is refused and keeps
    everything typed."""
    team = world.team
    page.click("#submit-final")
    page.wait_for_url(f"{live_server}/projects/teams/{team.id}")

    finals = [r for r in reviews_of(team) if r.status == ReviewStatus.FINAL]
    assert len(finals) == 1
    final = finals[0]
    assert (final.levels, final.comments, final.overall_comment) == (LEVELS, COMMENTS, overall_text)
    assert (final.score, final.max_score) == (70, 100)
    assert service.verify_review(final)
    assert draft_in_db(team, world.reviewer) is None, "the draft became the final review"

    shown = texts(
        app,
        "Final review: %(score)s / %(max)s by %(reviewer)s on %(date)s.",
        score="70",
        max="100",
        reviewer=world.reviewer.name,
        date=final.submitted_at.strftime("%Y-%m-%d"),
    )
    assert page.locator("#final-score").inner_text() in shown
    card = page.locator(f"#review-{final.id}")
    assert "review-final" in card.get_attribute("class")
    assert re.fullmatch(r"[0-9a-f]{64}", final.digest)
    assert final.digest in card.locator(".signature").inner_text()
    assert card.locator("strong").first.inner_text() == "70 / 100"

    # A second final review, without saying why it replaces the first: refused, nothing lost.
    page.click("#review-link")
    page.wait_for_url(f"{live_server}/projects/teams/{team.id}/review")
    reason = page.locator("textarea[name=supersede_reason]")
    assert reason.input_value() == ""
    assert_form_holds(page, {}, {"Fonctionnel": "", "Code": ""}, "")
    assert page.locator("input[type=radio]:checked").count() == 0
    assert message(page, "restored") not in statuses(page), "the submitted text is not brought back"
    levels = {"Fonctionnel": 2, "Code": 0}
    comments = {"Fonctionnel": "Tout marche désormais.", "Code": "Plus aucun test."}
    second = "Deuxième avis, sans raison donnée."
    fill_review(page, levels, comments, second)
    page.click("#submit-final")
    page.wait_for_url(f"{live_server}/projects/teams/{team.id}/review")
    page.wait_for_selector("#review-form")

    refused = texts(app, "A final review exists: say why this one replaces it.")
    assert page.locator(".flash-error").inner_text() in refused
    assert_form_holds(page, levels, comments, second)
    assert message(page, "restored") not in statuses(page), "the server's draft, not a copy"
    assert [r.id for r in reviews_of(team) if r.status == ReviewStatus.FINAL] == [final.id]
    draft = draft_in_db(team, world.reviewer)
    assert (draft.levels, draft.comments, draft.overall_comment) == (levels, comments, second)
    return final


def learner_reads_the_review(page, app, live_server, world, final: Review) -> None:
    """Step 5, the learner signed in: the team page and their profile show the final review,
    and only it."""
    learner, team = world.learners[0], world.team
    page.goto(f"{live_server}/projects")
    page.click(f'a[href$="/projects/teams/{team.id}"]')
    page.wait_for_url(f"{live_server}/projects/teams/{team.id}")

    assert page.locator("#final-score").is_visible()
    assert page.locator("#review-link").count() == 0, "learners do not review"
    assert page.locator("section.review").count() == 1, "never the reviewer's draft"
    card = page.locator(f"#review-{final.id}")
    assert "review-final" in card.get_attribute("class")
    assert card.locator("strong").first.inner_text() == "70 / 100"
    assert final.digest in card.locator(".signature").inner_text()
    rows = card.locator("tbody tr")
    assert rows.nth(0).locator("td").all_inner_texts() == ["Partiel", COMMENTS["Fonctionnel"]]
    assert rows.nth(1).locator("td").all_inner_texts() == ["Propre", COMMENTS["Code"]]
    assert final.overall_comment in card.inner_text()

    page.goto(f"{live_server}/projects")
    page.click(f'a[href$="/learners/{learner.id}/profile"]')
    page.wait_for_url(f"{live_server}/learners/{learner.id}/profile")
    result = page.locator(f"#result-{final.id}")
    assert page.locator("section.result").count() == 1
    assert result.locator("strong").inner_text() == "70 / 100"
    assert team.name in result.inner_text()
    assert world.company.name in result.locator("h3").inner_text()
    rows = result.locator("tbody tr")
    assert rows.nth(0).locator("th, td").all_inner_texts() == [
        "Fonctionnel",
        "Partiel",
        COMMENTS["Fonctionnel"],
    ]
    assert rows.nth(1).locator("th, td").all_inner_texts() == ["Code", "Propre", COMMENTS["Code"]]


# The tests ------------------------------------------------------------------------------------


def test_a_learner_hands_in_a_version_through_the_form(app, live_server, new_page, world):
    learner_hands_in(new_page(), app, live_server, world)


def test_the_reviewer_s_draft_is_saved_as_they_type_and_survives_a_reload(
    live_server, new_page, world
):
    deliver(world.team, world.learners[0])
    reviewer_drafts(new_page(), live_server, world)


def test_text_typed_after_the_session_expired_is_restored_and_saved_after_signing_in(
    live_server, new_page, world
):
    deliver(world.team, world.learners[0])
    page = new_page()
    reviewer_drafts(page, live_server, world)
    session_expires_mid_review(page, live_server, world)


def test_the_final_review_is_signed_and_a_second_one_needs_a_reason(
    app, live_server, new_page, world
):
    deliver(world.team, world.learners[0])
    page = new_page()
    sign_in(page, live_server, world.reviewer.email)
    open_review_form(page, live_server, world.team)
    fill_review(page, LEVELS, COMMENTS, OVERALL)
    reviewer_submits(page, app, live_server, world, OVERALL)


def test_the_learner_reads_the_final_review_on_the_team_page_and_profile(
    app, live_server, new_page, world
):
    deliver(world.team, world.learners[0])
    final = review(world.team, world.reviewer, levels=LEVELS, comments=COMMENTS)
    page = new_page()
    sign_in(page, live_server, world.learners[0].email)
    learner_reads_the_review(page, app, live_server, world, final)


def test_the_whole_review_flow_in_the_browser(app, live_server, new_page, world):
    learner = new_page()
    learner_hands_in(learner, app, live_server, world)
    reviewer = new_page()
    reviewer_drafts(reviewer, live_server, world)
    overall_text = session_expires_mid_review(reviewer, live_server, world)
    final = reviewer_submits(reviewer, app, live_server, world, overall_text)
    learner_reads_the_review(learner, app, live_server, world, final)


def test_a_review_submitted_after_the_session_expired_is_restored_not_lost(
    app, live_server, new_page, world
):
    """The reviewer does not notice the "not saved" status and submits: the server refuses the
    POST (no session), and what was typed since the session expired comes back after signing
    in, ready to be submitted again."""
    deliver(world.team, world.learners[0])
    page = new_page()
    reviewer_drafts(page, live_server, world)
    page.context.clear_cookies()
    type_at_the_end(page, ADDED_SIGNED_OUT)
    page.click("#submit-final")  # before the autosave has even tried
    page.wait_for_load_state()
    assert page.locator("#review-form").count() == 0, "an error page, not the review"
    assert [r.status for r in reviews_of(world.team)] == [ReviewStatus.DRAFT]

    sign_in(page, live_server, world.reviewer.email)
    open_review_form(page, live_server, world.team)
    typed = OVERALL + ADDED_SIGNED_OUT
    wait_until_synced(page, typed)
    assert message(page, "restored") in statuses(page), statuses(page)
    assert_form_holds(page, LEVELS, COMMENTS, typed)
    assert draft_in_db(world.team, world.reviewer).overall_comment == typed
    reviewer_submits(page, app, live_server, world, typed)


def test_an_autosave_pending_when_the_review_is_submitted_does_not_become_a_new_draft(
    live_server, new_page, world
):
    """The server answers the submission slower than the autosave delay (0.8 s): the autosave
    still pending from the last keystroke must not reach the server after the review was
    submitted, where it would come back as an unsubmitted draft."""
    deliver(world.team, world.learners[0])
    page = new_page()
    sign_in(page, live_server, world.reviewer.email)
    open_review_form(page, live_server, world.team)
    fill_review(page, LEVELS, COMMENTS, OVERALL)
    wait_until_synced(page, OVERALL)

    def slow_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        answer = route.fetch(max_redirects=0)  # the server has taken the review
        time.sleep(1.5)
        route.fulfill(response=answer)

    page.route(f"{live_server}/projects/teams/{world.team.id}/review", slow_answer)
    type_at_the_end(page, " Merci.")
    page.click("#submit-final")
    page.wait_for_url(f"{live_server}/projects/teams/{world.team.id}")
    page.wait_for_timeout(300)  # an autosave sent before the page changed has arrived by now
    assert [(r.status, r.overall_comment) for r in reviews_of(world.team)] == [
        (ReviewStatus.FINAL, OVERALL + " Merci.")
    ]
    assert page.locator("section.review-draft").count() == 0
