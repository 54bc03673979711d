"""The content webhook accepts a signed delivery once, and only while it is fresh
(lms/content/webhook.py). The attacks: a captured request played again, later, or with its
timestamp or delivery id changed."""

from __future__ import annotations

import importlib.util
import json
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.content import releases, webhook
from lms.extensions import db
from lms.models import WebhookDelivery
from lms.models.base import utcnow

SECRET = "s3cret"
URL = "/api/v1/content/webhook"
BODY = json.dumps({"ref": "main"}).encode()


@pytest.fixture
def syncs(app, monkeypatch) -> list[str]:
    """The refs the webhook started a sync of (the sync itself is tested elsewhere)."""
    app.config["LMS_WEBHOOK_SECRET"] = SECRET
    started: list[str] = []
    monkeypatch.setattr(releases, "sync_in_background", lambda _app, ref: started.append(ref))
    return started


def delivery(body: bytes = BODY, age: int = 0, delivery_id: str | None = None) -> dict:
    headers = webhook.signed_headers(
        SECRET, body, int(time.time()) - age, delivery_id or uuid.uuid4().hex
    )
    return {"Content-Type": "application/json", **headers}


def test_a_replayed_delivery_is_refused(client, syncs):
    captured = delivery()
    assert client.post(URL, data=BODY, headers=captured).status_code == 202
    replayed = client.post(URL, data=BODY, headers=captured)
    assert replayed.status_code == 409
    assert "already received" in replayed.json["error"]
    assert syncs == ["main"]


def test_a_stale_delivery_is_refused(client, syncs):
    response = client.post(URL, data=BODY, headers=delivery(age=301))
    assert response.status_code == 401
    assert "stale delivery" in response.json["error"]
    assert syncs == []


def test_a_delivery_signed_in_the_future_is_refused(client, syncs):
    response = client.post(URL, data=BODY, headers=delivery(age=-301))
    assert response.status_code == 401 and "stale" in response.json["error"]


def test_a_fresh_timestamp_on_a_captured_signature_is_refused(client, syncs):
    old = delivery(age=3600)
    refreshed = {**old, webhook.TIMESTAMP: str(int(time.time()))}
    response = client.post(URL, data=BODY, headers=refreshed)
    assert response.status_code == 401 and "X-LMS-Signature" in response.json["error"]
    assert syncs == []


def test_a_new_delivery_id_on_a_captured_signature_is_refused(client, syncs):
    captured = delivery()
    assert client.post(URL, data=BODY, headers=captured).status_code == 202
    renamed = {**captured, webhook.DELIVERY: "another-id"}
    assert client.post(URL, data=BODY, headers=renamed).status_code == 401
    assert syncs == ["main"]


def test_the_body_signature_alone_is_no_longer_enough(client, syncs):
    """The old format: ``X-LMS-Signature`` over the body only, no time, no id."""
    import hashlib
    import hmac

    body_only = "sha256=" + hmac.new(SECRET.encode(), BODY, hashlib.sha256).hexdigest()
    response = client.post(
        URL, data=BODY, headers={"Content-Type": "application/json", "X-LMS-Signature": body_only}
    )
    assert response.status_code == 401 and "X-LMS-Timestamp" in response.json["error"]


@pytest.mark.parametrize(
    "name, value",
    [
        ("X-LMS-Timestamp", "yesterday"),
        ("X-LMS-Timestamp", "-5"),
        ("X-LMS-Delivery", ""),
        ("X-LMS-Delivery", "a b"),
        ("X-LMS-Delivery", "x" * 101),
    ],
)
def test_malformed_headers_are_refused_with_a_message(client, syncs, name, value):
    response = client.post(URL, data=BODY, headers={**delivery(), name: value})
    assert response.status_code == 401 and name in response.json["error"]


def test_deliveries_are_remembered_only_while_they_could_be_fresh(app, client, syncs):
    long_ago = utcnow() - timedelta(hours=1)
    db.session.add(WebhookDelivery(delivery_id="ancient", signed_at=long_ago))
    db.session.commit()
    assert client.post(URL, data=BODY, headers=delivery()).status_code == 202
    ids = set(db.session.scalars(select(WebhookDelivery.delivery_id)))
    assert "ancient" not in ids and len(ids) == 1


def test_a_delivery_without_a_body_publishes_head(client, syncs):
    assert client.post(URL, data=b"", headers=delivery(b"")).status_code == 202
    assert syncs == ["HEAD"]


@pytest.mark.parametrize("body", [b"[1]", b'{"ref": 5}', b"not json", b'{"ref": "--force"}'])
def test_a_bad_signed_body_is_a_400_and_its_delivery_id_stays_unused(client, syncs, body):
    headers = delivery(body)
    response = client.post(URL, data=body, headers=headers)
    assert response.status_code == 400 and response.json["error"]
    assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0


def test_the_sender_script_signs_as_the_webhook_expects(client, syncs):
    """scripts/send_content_webhook.py, which a git server runs, and the webhook agree."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "send_content_webhook.py"
    spec = importlib.util.spec_from_file_location("send_content_webhook", path)
    sender = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sender)
    request = sender.signed_request("http://127.0.0.1", "main", SECRET)
    response = client.post(URL, data=request.data, headers=dict(request.header_items()))
    assert response.status_code == 202 and syncs == ["main"]
    again = client.post(URL, data=request.data, headers=dict(request.header_items()))
    assert again.status_code == 409
