"""Sharing the grading workers fairly (lms/submissions/fairness.py): a learner may have only
LMS_MAX_WAITING_PER_LEARNER submissions waiting, and workers take turns between cohorts, then
between learners, instead of serving a flood first because it came first."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest

from lms import config
from lms.admin import operations as ops
from lms.extensions import db
from lms.models import Cohort, Enrollment, Submission, SubmissionStatus, User
from lms.models.base import utcnow
from lms.submissions import operations

EXERCISE = "python-backend/prix-ttc"
URL = f"/api/v1/exercises/{EXERCISE}/submissions"
LEASE = timedelta(minutes=5)


def queue(learner: User, loaded, count: int = 1) -> list[int]:
    """Submissions queued as a script seeding data does: no cap."""
    exercise = loaded.exercises[EXERCISE]
    ids = [
        operations.submit(learner, exercise, exercise.solution(), loaded.commit, 100_000).id
        for _ in range(count)
    ]
    db.session.commit()
    return ids


def waiting_of(learner: User) -> int:
    return db.session.scalar(
        db.select(db.func.count(Submission.id)).where(
            Submission.learner_id == learner.id,
            Submission.status.in_([SubmissionStatus.QUEUED, SubmissionStatus.RUNNING]),
        )
    )


def claim_in_turn(claims: int, order: str = "fair", finish: bool = True) -> list[int]:
    """What one worker does ``claims`` times: take the next submission and, with ``finish``,
    grade it (recorded as graded) before taking another."""
    taken = []
    for n in range(claims):
        claimed = operations.claim_next(f"worker:{n}", 3, LEASE, order)
        if claimed is None:
            break
        taken.append(claimed.id)
        if finish:
            claimed.status = SubmissionStatus.GRADED
            claimed.worker = None
            db.session.commit()
    return taken


# The cap -----------------------------------------------------------------------------------


def test_a_fourth_submission_waiting_is_refused_through_the_api_with_retry_after(
    client, learner, api_token, loaded
):
    headers = api_token(learner)
    files = {"files": loaded.exercises[EXERCISE].solution()}
    assert [client.post(URL, headers=headers, json=files).status_code for _ in range(3)] == [
        202
    ] * 3
    refused = client.post(URL, headers=headers, json=files)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    # English, whatever the learner's language (Salma's is French, the default).
    assert refused.json == {
        "error": "You already have 3 submissions waiting to be graded; at most 3 may wait at "
        "once. Submit again when one of them is graded."
    }
    assert waiting_of(learner) == 3


def test_once_one_is_graded_the_learner_may_submit_again(client, learner, api_token, loaded):
    headers = api_token(learner)
    files = {"files": loaded.exercises[EXERCISE].solution()}
    first = client.post(URL, headers=headers, json=files).json["id"]
    client.post(URL, headers=headers, json=files)
    client.post(URL, headers=headers, json=files)
    assert client.post(URL, headers=headers, json=files).status_code == 429
    claimed = operations.claim_next("worker:1", 3, LEASE)
    assert claimed.id == first
    assert client.post(URL, headers=headers, json=files).status_code == 429, "running counts"
    claimed.status, claimed.worker = SubmissionStatus.GRADED, None
    db.session.commit()
    assert client.post(URL, headers=headers, json=files).status_code == 202


def test_the_cap_follows_the_setting(app, client, learner, api_token, loaded):
    app.config["LMS_MAX_WAITING_PER_LEARNER"] = 1
    headers = api_token(learner)
    files = {"files": loaded.exercises[EXERCISE].solution()}
    assert client.post(URL, headers=headers, json=files).status_code == 202
    refused = client.post(URL, headers=headers, json=files)
    assert refused.status_code == 429
    assert refused.json["error"].startswith("You already have 1 submission waiting to be graded;")


def test_the_editor_shows_the_refusal_in_the_learners_language(client, auth, learner, loaded):
    """The exercise page submits with fetch (lms/static/js/poll.js: lmsSubmit) and shows the
    error beside the editor, which keeps the code."""
    queue(learner, loaded, 3)
    auth.login(learner.email)
    page = client.get(f"/exercises/{EXERCISE}").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    refused = client.post(
        f"/exercises/{EXERCISE}/submissions",
        json={"files": {"prix.py": "# ma version\n"}},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]
    assert refused.json["error"] == (
        "Vous avez déjà 3 soumissions en attente de correction ; 3 au plus peuvent attendre "
        "en même temps. Soumettez à nouveau quand l'une d'elles aura été corrigée."
    )
    assert waiting_of(learner) == 3


def test_a_form_posted_without_javascript_gets_the_page_back_with_the_code_typed(
    client, auth, learner, loaded
):
    queue(learner, loaded, 3)
    auth.login(learner.email)
    typed = "def prix_ttc(ht):\n    return ht * 1.2  # ma version\n"
    response = client.post(
        f"/exercises/{EXERCISE}/submissions",
        data={"file:prix.py": typed, "csrf_token": auth.csrf_token(f"/exercises/{EXERCISE}")},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vous avez déjà 3 soumissions en attente de correction" in page
    assert "return ht * 1.2  # ma version" in page
    assert waiting_of(learner) == 3


def test_a_trainers_regrade_does_not_count_against_the_learner(client, learner, api_token, loaded):
    queue(learner, loaded, 1)
    original = db.session.scalar(db.select(Submission).where(Submission.learner_id == learner.id))
    original.status = SubmissionStatus.GRADED
    for _ in range(5):
        db.session.add(
            Submission(
                learner_id=learner.id,
                exercise_id=EXERCISE,
                content_commit=loaded.commit,
                files=original.files,
                code_hash=original.code_hash,
                max_score=10,
                regrade_of=original.id,
            )
        )
    db.session.commit()
    files = {"files": loaded.exercises[EXERCISE].solution()}
    response = client.post(URL, headers=api_token(learner), json=files)
    assert response.status_code == 202


def test_two_submits_at_the_same_instant_cannot_both_pass_the_cap(app, learner, loaded):
    """The race an attacker runs: two requests at once, each counting two waiting before the
    other's row is there. Each submit waits, before its commit, for the other to catch up (3 s
    at most): without the lock both would count 2 and both commit."""
    queue(learner, loaded, 2)
    exercise, learner_id = loaded.exercises[EXERCISE], learner.id
    start, before_commit = threading.Barrier(2), threading.Barrier(2, timeout=3)
    outcomes: list[str] = []

    def attempt() -> None:
        with app.app_context():
            start.wait()
            try:
                operations.submit(
                    db.session.get(User, learner_id),
                    exercise,
                    exercise.solution(),
                    loaded.commit,
                    100_000,
                    max_waiting=3,
                )
                try:
                    before_commit.wait()
                except threading.BrokenBarrierError:
                    pass  # the other submit waits for this one: the lock works
                db.session.commit()
                outcomes.append("queued")
            except operations.TooManyWaiting as refused:
                db.session.rollback()
                outcomes.append(f"refused with {refused.waiting} waiting")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["queued", "refused with 3 waiting"]
    db.session.expire_all()
    assert waiting_of(learner) == 3


def test_the_settings_refuse_a_cap_below_one_and_an_unknown_order():
    with pytest.raises(ValueError, match="LMS_MAX_WAITING_PER_LEARNER"):
        config.from_environment({"LMS_MAX_WAITING_PER_LEARNER": "0"})
    with pytest.raises(ValueError, match="LMS_GRADING_ORDER"):
        config.from_environment({"LMS_GRADING_ORDER": "lifo"})
    assert config.from_environment({"LMS_GRADING_ORDER": "fifo"})["LMS_GRADING_ORDER"] == "fifo"


# The order ---------------------------------------------------------------------------------


def learner_cohort(learner: User) -> Cohort:
    return db.session.scalar(
        db.select(Cohort).join(Enrollment).where(Enrollment.learner_id == learner.id)
    )


def classmate(learner: User, create_user) -> User:
    """A learner of Salma's cohort."""
    someone = create_user("learner")
    ops.enrol(learner_cohort(learner), someone)
    db.session.commit()
    return someone


@pytest.mark.parametrize("finish", [True, False], ids=["one-worker", "many-workers"])
def test_a_learner_who_submits_after_a_flood_is_claimed_within_the_first_two_claims(
    learner, create_user, loaded, finish
):
    queue(classmate(learner, create_user), loaded, 10)
    (mine,) = queue(learner, loaded, 1)
    assert mine in claim_in_turn(2, finish=finish)


def test_first_come_first_served_made_her_wait_for_the_whole_flood(learner, create_user, loaded):
    """The order before, still selectable (LMS_GRADING_ORDER=fifo): the attack's 43 s."""
    flood = queue(classmate(learner, create_user), loaded, 10)
    (mine,) = queue(learner, loaded, 1)
    assert claim_in_turn(11, order="fifo") == [*flood, mine]


def test_a_cohorts_deadline_rush_does_not_hold_back_another_cohort(
    learner, create_user, create_cohort, loaded
):
    rushing = [create_user("learner") for _ in range(20)]
    create_cohort(learners=rushing)
    for someone in rushing:
        queue(someone, loaded, 1)
    (mine,) = queue(learner, loaded, 1)  # Salma's cohort is another one
    assert mine in claim_in_turn(2)


def test_learners_of_a_cohort_take_turns_and_the_flood_gets_the_rest(learner, create_user, loaded):
    """Round robin while several wait; nothing held back once only the flood is left."""
    flooder, other = classmate(learner, create_user), classmate(learner, create_user)
    flood = queue(flooder, loaded, 6)
    mine = queue(learner, loaded, 2)
    theirs = queue(other, loaded, 1)
    owner = {
        **dict.fromkeys(flood, "flood"),
        **dict.fromkeys(mine, "salma"),
        **dict.fromkeys(theirs, "other"),
    }
    order = [owner[i] for i in claim_in_turn(9)]
    assert order == [
        "flood", "salma", "other", "flood", "salma", "flood", "flood", "flood", "flood"
    ]  # fmt: skip


def test_a_submission_backing_off_is_not_claimed_whoever_waits_longest(
    learner, create_user, loaded
):
    (mine,) = queue(learner, loaded, 1)
    db.session.execute(
        db.update(Submission)
        .where(Submission.id == mine)
        .values(available_at=utcnow() + timedelta(minutes=1))
    )
    db.session.commit()
    (theirs,) = queue(create_user("learner"), loaded, 1)
    assert claim_in_turn(2) == [theirs]


def test_each_submission_records_the_cohort_it_was_made_in(learner, create_user, loaded):
    (mine,) = queue(learner, loaded, 1)
    (outsiders,) = queue(create_user("learner"), loaded, 1)
    assert db.session.get(Submission, mine).cohort_id == learner_cohort(learner).id
    assert db.session.get(Submission, outsiders).cohort_id is None
