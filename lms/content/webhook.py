"""The content webhook's signatures: fresh, and each delivery accepted once.

A delivery carries three headers (docs/security.md, "Webhook signatures"):

- ``X-LMS-Timestamp``: when it was signed, in whole seconds since the Unix epoch;
- ``X-LMS-Delivery``: an id of the sender's choosing, unique per delivery (a UUID), 1 to 100 of
  ``A-Z a-z 0-9 . _ -``;
- ``X-LMS-Signature``: ``sha256=`` and the hex HMAC-SHA256, keyed with ``LMS_WEBHOOK_SECRET``,
  of ``<timestamp>.<delivery>.<body>``.

Both the time and the id are signed, so neither can be changed: a delivery signed more than
``LMS_WEBHOOK_TOLERANCE_SECONDS`` ago (or as far ahead) is stale, and one whose id was accepted
before is a replay. Ids are kept in the database (:class:`~lms.models.WebhookDelivery`) as long
as their delivery could still be fresh, which every web process sees.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from lms.errors import DomainError
from lms.extensions import db
from lms.models import WebhookDelivery

TIMESTAMP = "X-LMS-Timestamp"
DELIVERY = "X-LMS-Delivery"
SIGNATURE = "X-LMS-Signature"
_DELIVERY_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class WebhookRefused(DomainError):
    """A delivery that is not signed, badly signed or stale (401)."""

    status_code = 401


class WebhookReplayed(DomainError):
    """A delivery accepted before, played again (409)."""

    status_code = 409


@dataclass(frozen=True)
class Delivery:
    id: str
    #: Naive UTC, like every timestamp column.
    signed_at: datetime


def signature(secret: str, timestamp: str, delivery: str, body: bytes) -> str:
    """The ``X-LMS-Signature`` of a delivery (what a sender computes too)."""
    signed = f"{timestamp}.{delivery}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, timestamp: int, delivery: str) -> dict[str, str]:
    """The three headers of a delivery of ``body`` signed at ``timestamp`` (epoch seconds)."""
    return {
        TIMESTAMP: str(timestamp),
        DELIVERY: delivery,
        SIGNATURE: signature(secret, str(timestamp), delivery, body),
    }


def verify(
    secret: str, headers: Mapping[str, str], body: bytes, now: datetime, tolerance: int
) -> Delivery:
    """The delivery the headers describe, once its signature and its age are checked;
    WebhookRefused says what is wrong. ``now`` is naive UTC."""
    timestamp, delivery = headers.get(TIMESTAMP, ""), headers.get(DELIVERY, "")
    if not _TIMESTAMP.fullmatch(timestamp):
        raise WebhookRefused(f"{TIMESTAMP} must be the signing time in seconds since the epoch")
    if not _DELIVERY_ID.fullmatch(delivery):
        raise WebhookRefused(f"{DELIVERY} must be 1 to 100 of A-Z a-z 0-9 . _ -")
    expected = signature(secret, timestamp, delivery, body)
    if not hmac.compare_digest(headers.get(SIGNATURE, "").encode(), expected.encode()):
        raise WebhookRefused(
            f"bad or missing {SIGNATURE}: expected sha256=<HMAC-SHA256 of "
            "'<timestamp>.<delivery>.<body>'>"
        )
    signed_at = datetime.fromtimestamp(int(timestamp), UTC).replace(tzinfo=None)
    if abs(now - signed_at) > timedelta(seconds=tolerance):
        raise WebhookRefused(
            f"stale delivery: signed at {signed_at.isoformat()}Z, more than {tolerance} s "
            "from the server's clock; sign each delivery when it is sent"
        )
    return Delivery(delivery, signed_at)


def accept_once(delivery: Delivery, now: datetime, tolerance: int) -> None:
    """Remember ``delivery``; WebhookReplayed when its id was accepted before. Forgets the
    ids whose deliveries are stale by now (they are refused as such)."""
    db.session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.signed_at < now - timedelta(seconds=2 * tolerance)
        )
    )
    replayed = WebhookReplayed(f"delivery {delivery.id!r} was already received: not again")
    if db.session.get(WebhookDelivery, delivery.id) is not None:
        raise replayed
    db.session.add(WebhookDelivery(delivery_id=delivery.id, signed_at=delivery.signed_at))
    try:
        db.session.flush()
    except IntegrityError:
        # The same delivery, sent twice at once, committed by the other request meanwhile.
        # The failed flush leaves nothing of this unit worth keeping.
        db.session.rollback()
        raise replayed from None
