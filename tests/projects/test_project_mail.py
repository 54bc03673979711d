"""Project notifications reach people by e-mail, through a real local SMTP server."""

from __future__ import annotations

import pytest


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
def world(world, smtp_sink):
    """The scene is set through the projects' operations, which tell people what they do as
    the pages do (the brief offered to the cohort): not the mails these tests read."""
    smtp_sink.received.clear()
    return world


def _mails_to(smtp_sink, address: str) -> list:
    return [
        message
        for (recipients, _), message in zip(smtp_sink.received, smtp_sink.messages, strict=True)
        if address in recipients
    ]


def _hand_in(client, auth, world):
    auth.login(world.learners[0].email)
    path = f"/projects/teams/{world.team.id}"
    data = {
        "csrf_token": auth.csrf_token(path),
        "repo_url": "https://git.example.ma/a.git",
        "commit": "e" * 40,
    }
    assert client.post(f"{path}/deliverables", data=data).status_code == 303
    auth.logout()


def test_handing_in_mails_the_company_the_trainer_and_the_teammate(client, auth, world, smtp_sink):
    _hand_in(client, auth, world)
    for person in (world.reviewer, world.trainer, world.learners[1]):
        mails = _mails_to(smtp_sink, person.email)
        assert len(mails) == 1, person.email
        assert "Équipe Atlas" in mails[0]["Subject"]
        assert f"https://lms.example.ma/projects/teams/{world.team.id}" in mails[0].get_content()
    assert _mails_to(smtp_sink, world.learners[0].email) == [], "not the one who handed in"
    assert _mails_to(smtp_sink, world.other_reviewer.email) == [], "not another company"


def test_a_final_review_mails_the_team(client, auth, world, smtp_sink):
    _hand_in(client, auth, world)
    smtp_sink.received.clear()
    auth.login(world.reviewer.email)
    path = f"/projects/teams/{world.team.id}/review"
    data = {
        "csrf_token": auth.csrf_token(path),
        "decision": "final",
        "level:Fonctionnel": "2",
        "level:Code": "1",
        "overall": "Très bien",
    }
    assert client.post(path, data=data).status_code == 302
    mails = _mails_to(smtp_sink, world.learners[1].email)
    assert len(mails) == 1
    assert "100 / 100" in mails[0].get_content()
