"""API tokens: issued with an expiry and scopes, checked on every API request, listed and
revoked by their owner (or an admin).

A token is shown once, when it is issued; only its SHA-256 is stored, so a copy of the database
holds no usable token. Issue and revocation are recorded by the audit chain (the
``api_token_issued`` and ``api_token_revoked`` signals, :mod:`lms.api.facts`).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from lms import signals
from lms.errors import DomainError
from lms.extensions import db
from lms.models import ApiToken, Role, User
from lms.models.base import utcnow

#: ``read``: every GET of the API; ``submit``: sending a submission.
SCOPES = ("read", "submit")
#: Tokens start with it, so that secret scanners (and people) recognise one in a paste.
PREFIX = "lms_"
NAME_LENGTH = 100


class TokenError(DomainError):
    """A token request the API refuses (bad expiry or scopes), or a token that is not the
    caller's to revoke (404)."""


class TokenNotFound(TokenError):
    """Not a token of the caller's (or no token at all): the same answer for both."""

    status_code = 404


class TokenRefused(Exception):
    """The bearer token of a request cannot be used; the message says why (401)."""


@dataclass(frozen=True)
class TokenRequest:
    """What a client may choose about a new token."""

    lifetime: timedelta
    scopes: tuple[str, ...] = SCOPES
    name: str | None = None


@dataclass(frozen=True)
class Issued:
    """A token just issued: ``secret`` is shown this once, never stored."""

    secret: str
    row: ApiToken


def token_request(data: Mapping, default_days: int, max_days: int) -> TokenRequest:
    """The optional ``expires_in`` (seconds), ``scopes`` and ``name`` of a request for a token,
    checked; TokenError (400) says what is wrong."""
    expires_in = data.get("expires_in", default_days * 86400)
    if isinstance(expires_in, bool) or not isinstance(expires_in, int):
        raise TokenError("'expires_in' must be a whole number of seconds")
    if not 60 <= expires_in <= max_days * 86400:
        raise TokenError(f"'expires_in' must be between 60 and {max_days * 86400} seconds")
    scopes = data.get("scopes", list(SCOPES))
    if (
        not isinstance(scopes, list)
        or not scopes
        or not all(isinstance(s, str) and s in SCOPES for s in scopes)
    ):
        raise TokenError(f"'scopes' must be a non-empty list of {', '.join(SCOPES)}")
    name = data.get("name")
    if name is not None and (not isinstance(name, str) or len(name.strip()) > NAME_LENGTH):
        raise TokenError(f"'name' must be text of at most {NAME_LENGTH} characters")
    ordered = tuple(s for s in SCOPES if s in scopes)
    return TokenRequest(timedelta(seconds=expires_in), ordered, (name or "").strip() or None)


def issue(user: User, wanted: TokenRequest) -> Issued:
    """A new token for ``user``, asked for by ``user`` themselves."""
    secret = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        user_id=user.id,
        token_hash=ApiToken.hash(secret),
        name=wanted.name,
        scopes=" ".join(wanted.scopes),
        created_at=now,
        expires_at=now + wanted.lifetime,
    )
    db.session.add(row)
    db.session.flush()
    signals.api_token_issued.send(row, actor=user)
    return Issued(secret, row)


def authenticate(secret: str, now: datetime | None = None) -> ApiToken:
    """The token a request presents, usable now; its last use is noted. TokenRefused when it
    is unknown, revoked, expired, or its owner's account is closed."""
    now = now or utcnow()
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(secret)))
    if row is None or row.revoked or not row.user.active:
        raise TokenRefused("a valid bearer token is required")
    if row.expired(now):
        raise TokenRefused(f"the token expired at {row.expires_at.isoformat()}Z: ask for a new one")
    row.last_used_at = now
    return row


def owned_by(user: User) -> list[ApiToken]:
    """``user``'s tokens, newest first (revoked and expired ones too: the list is a record)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def usable_of_everyone(limit: int = 500) -> list[ApiToken]:
    """Tokens usable now, of every user, most recently used first: what an admin reviews."""
    now = utcnow()
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.revoked.is_(False), ApiToken.expires_at > now)
            .order_by(ApiToken.last_used_at.desc().nulls_last(), ApiToken.id.desc())
            .limit(limit)
        )
    )


def revocable(actor: User, token_id: int) -> ApiToken:
    """The token ``actor`` may revoke: their own, or anyone's for an admin; TokenError 404
    otherwise (someone else's token does not exist for them)."""
    row = db.session.get(ApiToken, token_id)
    if row is None or (row.user_id != actor.id and actor.role != Role.ADMIN):
        raise TokenNotFound(f"no token {token_id} for you")
    return row


def revoke(row: ApiToken, actor: User) -> None:
    """Revoke ``row`` for good; revoking it again changes nothing and records nothing."""
    if row.revoked:
        return
    row.revoked = True
    row.revoked_at = utcnow()
    db.session.flush()
    signals.api_token_revoked.send(row, actor=actor)


def as_json(row: ApiToken, now: datetime | None = None) -> dict:
    """A token as the API lists it (never its secret, which is not kept)."""
    now = now or utcnow()
    return {
        "id": row.id,
        "name": row.name,
        "scopes": sorted(row.scope_set, key=SCOPES.index),
        "created_at": _iso(row.created_at),
        "expires_at": _iso(row.expires_at),
        "last_used_at": _iso(row.last_used_at),
        "revoked_at": _iso(row.revoked_at),
        "status": status(row, now),
    }


def status(row: ApiToken, now: datetime) -> str:
    """ "active", "expired" or "revoked"."""
    if row.revoked:
        return "revoked"
    return "expired" if row.expired(now) else "active"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value else None
