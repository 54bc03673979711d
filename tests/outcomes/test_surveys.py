"""The 90- and 180-day surveys: asked on the day the window comes and not before, once, only
the latest window, never to those who withdrew; in the app and by e-mail in the learner's
language; from the worker at most hourly and from `lms outcomes survey`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from flask_babel import force_locale
from sqlalchemy import select

from lms.admin import operations as ops
from lms.extensions import db
from lms.models import ExclusionReason, Notification, OutcomeSurvey, Situation
from lms.outcomes.recording import operations as recording
from lms.outcomes.recording import surveys
from lms.outcomes.recording.operations import OutcomeError

ENDED = date(2026, 2, 1)


@pytest.fixture
def app_config(app_config, smtp_sink) -> dict:
    return {
        **app_config,
        "LMS_SMTP_HOST": "127.0.0.1",
        "LMS_SMTP_PORT": smtp_sink.port,
        "LMS_BASE_URL": "https://lms.example.ma",
        "LMS_MAIL_SYNC": True,
    }


@pytest.fixture
def cohort(programme):
    return programme.cohort(starts_on=ENDED - timedelta(days=150), ends_on=ENDED)


def send(day: date, limit: int = surveys.BATCH) -> int:
    sent = surveys.send_due(day, limit)
    db.session.commit()
    return sent


def asked() -> list[tuple[int, int]]:
    """(enrollment id, window) of every survey sent."""
    rows = db.session.execute(
        select(OutcomeSurvey.enrollment_id, OutcomeSurvey.window).order_by(OutcomeSurvey.id)
    )
    return [tuple(row) for row in rows]


def day(n: int) -> date:
    return ENDED + timedelta(days=n)


# When --------------------------------------------------------------------------------------


def test_learners_are_asked_on_day_90_and_day_180_and_not_before(programme, cohort):
    (enrollment,) = programme.learners(cohort, 1)
    assert send(day(89)) == 0
    assert send(day(90)) == 1
    assert asked() == [(enrollment.id, 90)]
    assert send(day(179)) == 0
    assert send(day(180)) == 1
    assert asked() == [(enrollment.id, 90), (enrollment.id, 180)]


def test_asking_again_asks_nobody_twice(programme, cohort):
    programme.learners(cohort, 2)
    assert send(day(95)) == 2
    assert send(day(95)) == 0
    assert send(day(100)) == 0
    assert len(db.session.scalars(select(Notification)).all()) == 2


def test_only_the_latest_due_window_is_asked(programme, cohort):
    (enrollment,) = programme.learners(cohort, 1)
    assert send(day(400)) == 1
    assert asked() == [(enrollment.id, 180)], "no 90-day survey sent after the 180th day"
    assert send(day(400)) == 0


def test_a_call_asks_at_most_its_limit_and_the_next_one_continues(programme, cohort):
    programme.learners(cohort, 3)
    assert [send(day(90), limit=2) for _ in range(3)] == [2, 1, 0]
    assert len(asked()) == 3


def test_learners_who_withdrew_left_or_were_excluded_are_not_asked(programme, cohort):
    stays, withdrew, inactive, excluded = programme.learners(cohort, 4)
    withdrew.withdrawn_on = ENDED - timedelta(days=30)
    inactive.learner.active = False
    with force_locale("en"):
        recording.report_situation(
            programme.admin,
            excluded,
            Situation.EXCLUDED,
            day(20),
            exclusion_reason=ExclusionReason.FURTHER_STUDIES,
            today=day(30),
        )
    db.session.commit()
    assert send(day(90)) == 1
    assert asked() == [(stays.id, 90)]


# How ---------------------------------------------------------------------------------------


def test_the_learner_is_told_in_the_app_and_by_mail_in_their_language(
    programme, cohort, create_user, smtp_sink
):
    english = create_user("learner", email="amal@test.ma", locale="en")
    french = create_user("learner", email="karim@test.ma", locale="fr")
    for learner in (english, french):
        ops.enrol(cohort, learner)
    db.session.commit()
    assert send(day(90)) == 2
    (note,) = db.session.scalars(select(Notification).where(Notification.user_id == english.id))
    assert (note.kind, note.link) == ("outcome_survey", "/outcomes/mine")
    mails = {
        recipients[0]: message
        for (recipients, _), message in zip(smtp_sink.received, smtp_sink.messages, strict=True)
    }
    assert set(mails) == {"amal@test.ma", "karim@test.ma"}
    for address, locale in (("amal@test.ma", "en"), ("karim@test.ma", "fr")):
        body = mails[address].get_content()
        assert format_date(ENDED, "long", locale=locale) in body, locale
        assert "https://lms.example.ma/outcomes/mine" in body
    assert "February 1, 2026" in mails["amal@test.ma"].get_content()
    assert "1 février 2026" in mails["karim@test.ma"].get_content()


def test_a_report_or_nothing_changed_answers_the_survey(programme, cohort):
    reporting, unchanged = programme.learners(cohort, 2)
    programme.situation(unchanged, Situation.SEEKING, on=day(10))
    send(day(90))
    assert surveys.prompt(reporting.learner, day(90)).surveys
    programme.situation(reporting, Situation.SEEKING, on=day(85))
    assert not surveys.prompt(reporting.learner, day(90))
    assert surveys.answer_unchanged(unchanged.learner, unchanged) == 1
    db.session.commit()
    assert not surveys.prompt(unchanged.learner, day(90))


def test_nothing_changed_needs_something_reported_first(programme, cohort):
    (enrollment,) = programme.learners(cohort, 1)
    send(day(90))
    with force_locale("en"), pytest.raises(OutcomeError, match="report your situation first"):
        surveys.answer_unchanged(enrollment.learner, enrollment)


def test_the_home_page_shows_an_unanswered_survey(programme, cohort, client, auth):
    (enrollment,) = programme.learners(cohort, 1)
    enrollment.seeking_in_field = True
    db.session.commit()
    client.set_cookie("locale", "en")
    auth.login(enrollment.learner.email)
    assert 'id="outcomes-banner"' not in client.get("/").get_data(as_text=True)
    send(day(180))
    home = client.get("/").get_data(as_text=True)
    assert 'id="outcomes-banner"' in home and "180 days" in home
    mine = client.get("/outcomes/mine").get_data(as_text=True)
    assert f'id="survey-{enrollment.id}"' in mine


# Who sends ---------------------------------------------------------------------------------


def test_the_worker_sends_at_most_once_an_hour(programme, monkeypatch):
    today = date.today()
    first = programme.cohort(starts_on=today - timedelta(days=300), ends_on=today - timedelta(90))
    programme.learners(first, 1)
    monkeypatch.setattr(surveys, "_worker_clock", surveys._Hourly(3600))
    assert surveys.send_if_due() == 1
    later = programme.cohort(starts_on=today - timedelta(days=300), ends_on=today - timedelta(91))
    programme.learners(later, 1)
    assert surveys.send_if_due() == 0, "within the hour"
    monkeypatch.setattr(surveys, "_worker_clock", surveys._Hourly(0))
    assert surveys.send_if_due() == 1


def test_the_cli_says_how_many_learners_it_asked(programme, cohort, runner):
    programme.learners(cohort, 3)
    result = runner.invoke(args=["outcomes", "survey", "--today", day(90).isoformat()])
    assert result.exit_code == 0, result.output
    assert "3 learner(s) asked" in result.output
    again = runner.invoke(args=["outcomes", "survey", "--today", day(90).isoformat()])
    assert "0 learner(s) asked" in again.output
    assert runner.invoke(args=["outcomes", "survey", "--today", "1/2/2026"]).exit_code == 2
