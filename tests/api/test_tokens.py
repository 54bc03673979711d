"""API tokens expire, carry scopes, and can be listed and revoked (lms/api/tokens.py). The
tests of a finding are written as the attack: a token that should no longer work is tried."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms import audit
from lms.audit import kinds
from lms.extensions import db
from lms.models import ApiToken, AuditEvent, Submission
from lms.models.base import utcnow
from tests.conftest import PASSWORD

EXERCISE = "python-backend/prix-ttc"
FILES = {"files": {"prix.py": "def prix_ttc(p, t=0.2):\n    return round(p * (1 + t), 2)\n"}}


@pytest.fixture
def ask_token(client):
    """POST /api/v1/tokens for ``user`` with ``options``; the whole answer."""

    def ask(user, **options):
        return client.post(
            "/api/v1/tokens", json={"email": user.email, "password": PASSWORD, **options}
        )

    return ask


def bearer(answer) -> dict:
    assert answer.status_code == 201, answer.json
    return {"Authorization": f"Bearer {answer.json['token']}"}


def test_an_expired_token_is_refused_with_401(client, learner, ask_token):
    answer = ask_token(learner)
    headers = bearer(answer)
    assert client.get("/api/v1/exercises", headers=headers).status_code == 200
    # Time passes: the token's expiry is behind us.
    db.session.get(ApiToken, answer.json["id"]).expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    refused = client.get("/api/v1/exercises", headers=headers)
    assert refused.status_code == 401
    assert "expired" in refused.json["error"]
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="lms"'


def test_a_token_expires_after_90_days_by_default_and_never_after_the_maximum(
    app, learner, ask_token
):
    answer = ask_token(learner)
    row = db.session.get(ApiToken, answer.json["id"])
    assert row.expires_at - row.created_at == timedelta(days=90)
    assert answer.json["expires_at"] == row.expires_at.isoformat() + "Z"
    short = ask_token(learner, expires_in=3600)
    row = db.session.get(ApiToken, short.json["id"])
    assert row.expires_at - row.created_at == timedelta(hours=1)
    too_long = ask_token(learner, expires_in=366 * 86400)
    assert too_long.status_code == 400 and "expires_in" in too_long.json["error"]
    for bad in ("3600", 1.5, True, -5, None):
        assert ask_token(learner, expires_in=bad).status_code == 400, bad
    app.config["LMS_API_TOKEN_MAX_DAYS"] = 7
    assert ask_token(learner, expires_in=8 * 86400).status_code == 400


def test_a_revoked_token_is_refused(client, learner, ask_token):
    headers = bearer(ask_token(learner))
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    refused = client.get("/api/v1/exercises", headers=headers)
    assert refused.status_code == 401
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 401


def test_a_token_revoked_by_id_from_another_token_is_refused(client, learner, ask_token):
    laptop = ask_token(learner, name="laptop")
    ci = bearer(ask_token(learner, name="CI"))
    assert client.delete(f"/api/v1/tokens/{laptop.json['id']}", headers=ci).status_code == 204
    assert client.get("/api/v1/exercises", headers=bearer(laptop)).status_code == 401
    assert client.get("/api/v1/exercises", headers=ci).status_code == 200


def test_a_read_only_token_cannot_submit(client, learner, ask_token):
    headers = bearer(ask_token(learner, scopes=["read"]))
    assert client.get("/api/v1/exercises", headers=headers).status_code == 200
    refused = client.post(f"/api/v1/exercises/{EXERCISE}/submissions", headers=headers, json=FILES)
    assert refused.status_code == 403
    assert "'submit' scope" in refused.json["error"]
    assert db.session.scalar(select(Submission.id)) is None


def test_a_submit_only_token_cannot_read(client, learner, ask_token):
    headers = bearer(ask_token(learner, scopes=["submit"]))
    sent = client.post(f"/api/v1/exercises/{EXERCISE}/submissions", headers=headers, json=FILES)
    assert sent.status_code == 202
    assert client.get(f"/api/v1/submissions/{sent.json['id']}", headers=headers).status_code == 403


@pytest.mark.parametrize("scopes", [[], ["admin"], "read", [1], ["read", "write"]])
def test_unknown_or_empty_scopes_are_refused(ask_token, learner, scopes):
    answer = ask_token(learner, scopes=scopes)
    assert answer.status_code == 400 and "scopes" in answer.json["error"]


def test_a_user_lists_their_tokens_without_secrets_and_last_use(client, learner, ask_token):
    first = ask_token(learner, name="laptop", scopes=["read"])
    headers = bearer(ask_token(learner))
    client.get("/api/v1/exercises", headers=bearer(first))
    listed = client.get("/api/v1/tokens", headers=headers)
    assert listed.status_code == 200
    by_id = {t["id"]: t for t in listed.json}
    assert by_id[first.json["id"]]["name"] == "laptop"
    assert by_id[first.json["id"]]["scopes"] == ["read"]
    assert by_id[first.json["id"]]["last_used_at"] is not None
    assert all(t["status"] == "active" for t in listed.json)
    assert first.json["token"] not in listed.get_data(as_text=True)
    assert first.json["token"].startswith("lms_")
    stored = db.session.get(ApiToken, first.json["id"])
    assert first.json["token"] not in (stored.token_hash, stored.name)


def test_nobody_revokes_another_users_token_but_an_admin_does(
    client, learner, create_user, ask_token
):
    victim = ask_token(learner)
    other = bearer(ask_token(create_user("learner")))
    refused = client.delete(f"/api/v1/tokens/{victim.json['id']}", headers=other)
    assert refused.status_code == 404
    assert client.get("/api/v1/exercises", headers=bearer(victim)).status_code == 200
    admin = bearer(ask_token(create_user("admin")))
    assert client.delete(f"/api/v1/tokens/{victim.json['id']}", headers=admin).status_code == 204
    assert client.get("/api/v1/exercises", headers=bearer(victim)).status_code == 401


def test_issue_and_revocation_are_in_the_audit_chain(client, app, learner, ask_token):
    answer = ask_token(learner, name="CI", scopes=["read"], expires_in=3600)
    client.delete("/api/v1/tokens/current", headers=bearer(answer))
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    issued, revoked = [(e.kind, e.subject, e.actor_id, e.data) for e in events]
    subject = f"api_token:{answer.json['id']}"
    assert issued[:3] == (kinds.API_TOKEN_ISSUED, subject, learner.id)
    assert issued[3]["scopes"] == "read" and issued[3]["name"] == "CI"
    assert issued[3]["expires_at"] == answer.json["expires_at"]
    assert revoked[:3] == (kinds.API_TOKEN_REVOKED, subject, learner.id)
    assert audit.verify(db.session).ok


def test_the_account_page_lists_and_revokes_the_users_own_tokens(
    client, auth, learner, create_user, ask_token
):
    mine = ask_token(learner, name="laptop")
    theirs = ask_token(create_user("learner"), name="someone else's")
    auth.login(learner.email)
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "Jetons d’API" in page  # French by default, like every page
    assert "laptop" in page and "someone else" not in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token[1] if token else auth.csrf_token("/account/tokens")
    stolen = client.post(f"/account/tokens/{theirs.json['id']}/revoke", data={"csrf_token": token})
    assert stolen.status_code == 404
    revoked = client.post(f"/account/tokens/{mine.json['id']}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 302
    assert client.get("/api/v1/exercises", headers=bearer(mine)).status_code == 401
    assert client.get("/api/v1/exercises", headers=bearer(theirs)).status_code == 200
    page = client.get("/account/tokens").get_data(as_text=True)
    assert f'id="token-{mine.json["id"]}" data-status="revoked"' in page


def test_an_admin_sees_and_revokes_everyones_usable_tokens_on_the_page(
    client, auth, learner, create_user, ask_token
):
    theirs = ask_token(learner, name="learner laptop")
    admin = create_user("admin")
    auth.login(admin.email)
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "learner laptop" in page and learner.email in page
    token = auth.csrf_token("/account/tokens")
    revoked = client.post(f"/account/tokens/{theirs.json['id']}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 302
    assert client.get("/api/v1/exercises", headers=bearer(theirs)).status_code == 401


def test_a_token_of_a_closed_account_is_refused(client, learner, ask_token):
    headers = bearer(ask_token(learner))
    learner.active = False
    db.session.commit()
    assert client.get("/api/v1/exercises", headers=headers).status_code == 401
