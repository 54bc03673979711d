"""Notifications: in the app for everyone, by e-mail through a real local SMTP server once the
transaction commits, and the user's own list with its unread badge."""

from __future__ import annotations

import re
import socket
import time

import pytest
from sqlalchemy import func, select

from lms.config import from_environment
from lms.extensions import db
from lms.models import Notification
from lms.notifications import mark_read, notify, recent, unread_count

SUBJECT = "Soumission corrigée : « Prix TTC »"
BODY = "Votre soumission a été corrigée : 9/10. Très bien joué, Salma !"


@pytest.fixture
def app_config(app_config, smtp_sink) -> dict:
    return {
        **app_config,
        "LMS_SMTP_HOST": "127.0.0.1",
        "LMS_SMTP_PORT": smtp_sink.port,
        "LMS_SMTP_FROM": "lms@competences.example.ma",
        "LMS_BASE_URL": "https://lms.example.ma",
        "LMS_MAIL_SYNC": True,
    }


@pytest.fixture
def closed_port():
    """A port with nothing listening: connections to it are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def reload(notification: Notification) -> Notification:
    db.session.rollback()
    return db.session.get(Notification, notification.id)


# The service --------------------------------------------------------------------------------


def test_notify_adds_one_in_app_notification_per_recipient(create_user):
    salma, youssef = create_user(name="Salma"), create_user(name="Youssef")
    created = notify([salma, youssef], "submission_graded", SUBJECT, BODY, link="/submissions/12")
    db.session.commit()

    assert [n.user_id for n in created] == [salma.id, youssef.id]
    [mine] = recent(salma)
    assert (mine.kind, mine.subject, mine.body, mine.link) == (
        "submission_graded",
        SUBJECT,
        BODY,
        "/submissions/12",
    )
    assert mine.read_at is None and mine.created_at is not None


def test_each_recipient_gets_one_email_after_the_commit(create_user, smtp_sink):
    salma = create_user(email="salma@test.ma", name="Salma Idrissi")
    youssef = create_user(email="youssef@test.ma", name="Youssef")
    created = notify([salma, youssef], "submission_graded", SUBJECT, BODY, link="/submissions/12")
    assert smtp_sink.received == []  # nothing leaves before the commit

    db.session.commit()

    assert sorted(rcpt for rcpts, _ in smtp_sink.received for rcpt in rcpts) == [
        "salma@test.ma",
        "youssef@test.ma",
    ]
    message = next(m for m in smtp_sink.messages if "salma@test.ma" in m["To"])
    assert message["Subject"] == SUBJECT
    assert message["From"] == "lms@competences.example.ma"
    assert message["To"] == "Salma Idrissi <salma@test.ma>"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    text = message.get_content()
    assert BODY in text
    assert "https://lms.example.ma/submissions/12" in text
    for notification in created:
        stored = reload(notification)
        assert stored.emailed_at is not None and stored.email_error is None


def test_a_rolled_back_transaction_sends_nothing(create_user, smtp_sink):
    salma = create_user()
    notify([salma], "submission_graded", SUBJECT, BODY)
    db.session.rollback()
    create_user()  # a later, unrelated commit must not carry the discarded e-mail

    assert smtp_sink.received == []
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_an_unreachable_smtp_server_keeps_the_notification_and_records_the_error(
    app, create_user, smtp_sink, closed_port
):
    app.config["LMS_SMTP_PORT"] = closed_port
    [notification] = notify([create_user()], "submission_graded", SUBJECT, BODY)
    db.session.commit()

    stored = reload(notification)
    assert stored.emailed_at is None
    assert "ConnectionRefusedError" in stored.email_error
    assert unread_count(stored.user) == 1


def test_without_an_smtp_host_notifications_stay_in_the_app(app, create_user, smtp_sink):
    app.config["LMS_SMTP_HOST"] = None
    [notification] = notify([create_user()], "submission_graded", SUBJECT, BODY)
    db.session.commit()

    assert smtp_sink.received == []
    stored = reload(notification)
    assert stored.emailed_at is None and stored.email_error is None


def test_inactive_users_and_users_without_an_address_get_no_email(create_user, smtp_sink):
    inactive, no_address, active = create_user(), create_user(), create_user(email="a@test.ma")
    inactive.active = False
    no_address.email = ""
    notify([inactive, no_address, active], "announcement", SUBJECT, BODY)
    db.session.commit()

    assert [rcpts for rcpts, _ in smtp_sink.received] == [["a@test.ma"]]
    assert unread_count(inactive) == unread_count(no_address) == 1


def test_by_default_email_leaves_from_a_background_thread(app, create_user, smtp_sink):
    app.config["LMS_MAIL_SYNC"] = False
    [notification] = notify([create_user()], "submission_graded", SUBJECT, BODY)
    db.session.commit()

    deadline = time.monotonic() + 10
    while reload(notification).emailed_at is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reload(notification).emailed_at is not None
    assert len(smtp_sink.received) == 1


def test_links_must_be_site_paths_or_web_addresses(create_user):
    user = create_user()
    for link in ("javascript:alert(1)", "//evil.example/", "data:text/html,x"):
        with pytest.raises(ValueError):
            notify([user], "announcement", SUBJECT, BODY, link=link)


def test_mark_read_touches_only_the_users_own_notifications(create_user):
    salma, youssef = create_user(), create_user()
    mine = notify([salma, salma], "announcement", SUBJECT, BODY)
    [theirs] = notify([youssef], "announcement", SUBJECT, BODY)
    db.session.commit()

    assert mark_read(salma, [mine[0].id, theirs.id]) == 1
    assert mark_read(salma, "all") == 1
    db.session.commit()
    assert unread_count(salma) == 0 and unread_count(youssef) == 1


def test_smtp_settings_come_from_the_environment():
    values = from_environment(
        {
            "LMS_SMTP_HOST": "smtp.example.ma",
            "LMS_SMTP_PORT": "587",
            "LMS_SMTP_STARTTLS": "Yes",
            "LMS_SMTP_TIMEOUT": "2.5",
        }
    )
    assert values["LMS_SMTP_HOST"] == "smtp.example.ma"
    assert values["LMS_SMTP_PORT"] == 587
    assert values["LMS_SMTP_STARTTLS"] is True
    assert values["LMS_SMTP_TIMEOUT"] == 2.5
    assert from_environment({"LMS_SMTP_STARTTLS": "0"})["LMS_SMTP_STARTTLS"] is False


# The pages ----------------------------------------------------------------------------------


def unread_badge(page: str) -> int | None:
    match = re.search(r'id="unread-count"[^>]*>(\d+)<', page)
    return int(match.group(1)) if match else None


def test_the_list_shows_only_the_users_own_notifications_newest_first(client, auth, create_user):
    salma, youssef = create_user(), create_user()
    notify([salma], "announcement", "Premier message", BODY)
    notify([salma], "announcement", "Second message", BODY, link="/submissions/12")
    notify([youssef], "announcement", "Message pour Youssef", BODY)
    db.session.commit()

    auth.login(salma.email)
    page = client.get("/notifications").get_data(as_text=True)
    assert page.index("Second message") < page.index("Premier message")
    assert "Message pour Youssef" not in page
    assert 'href="/submissions/12"' in page
    assert page.count('class="card notification unread"') == 2


def test_the_list_needs_a_signed_in_user(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_navigation_shows_the_unread_count(client, auth, create_user):
    salma = create_user()
    notify([salma, salma, salma], "announcement", SUBJECT, BODY)
    db.session.commit()
    auth.login(salma.email)

    page = client.get("/notifications").get_data(as_text=True)
    assert unread_badge(page) == 3
    assert "(3 non lue(s))" in page


def test_marking_one_and_then_all_read_updates_the_badge(client, auth, create_user):
    salma = create_user()
    first, _, _ = notify([salma, salma, salma], "announcement", SUBJECT, BODY)
    db.session.commit()
    auth.login(salma.email)

    token = auth.csrf_token("/notifications")
    response = client.post("/notifications/read", data={"id": first.id, "csrf_token": token})
    assert response.status_code == 302
    assert unread_badge(client.get("/notifications").get_data(as_text=True)) == 2
    client.post("/notifications/read", data={"all": "1", "csrf_token": token})
    page = client.get("/notifications").get_data(as_text=True)
    assert unread_badge(page) is None
    assert 'class="card notification unread"' not in page


def test_marking_another_users_notification_read_is_404(client, auth, create_user):
    salma, youssef = create_user(), create_user()
    [theirs] = notify([youssef], "announcement", SUBJECT, BODY)
    db.session.commit()
    auth.login(salma.email)

    token = auth.csrf_token("/notifications")
    for target in (theirs.id, theirs.id + 1000, "x"):
        response = client.post("/notifications/read", data={"id": target, "csrf_token": token})
        assert response.status_code == 404
    assert reload(theirs).read_at is None


def test_marking_read_needs_the_csrf_token(client, auth, create_user):
    salma = create_user()
    [mine] = notify([salma], "announcement", SUBJECT, BODY)
    db.session.commit()
    auth.login(salma.email)

    response = client.post("/notifications/read", data={"id": mine.id})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert reload(mine).read_at is None


def test_the_notification_pages_are_in_french(client, auth, create_user):
    salma = create_user()
    auth.login(salma.email)
    assert "Aucune notification pour l'instant." in client.get("/notifications").get_data(
        as_text=True
    )
    notify([salma], "announcement", SUBJECT, BODY, link="/submissions/12")
    db.session.commit()
    page = client.get("/notifications").get_data(as_text=True)
    for french in ("Tout marquer comme lu", "Marquer comme lu", "Non lue", "Ouvrir"):
        assert french in page


def test_pages_still_render_when_the_unread_count_is_unavailable(client, auth, create_user):
    salma = create_user()
    auth.login(salma.email)
    db.session.rollback()  # DROP TABLE would wait for this session's read of users
    Notification.__table__.drop(db.engine)

    response = client.get("/me/submissions")
    assert response.status_code == 200
    assert unread_badge(response.get_data(as_text=True)) is None
