"""What the audit chain records about API tokens: who was given one, with what scopes and
until when, and who revoked one. Chain-only (:mod:`lms.audit.kinds`): tokens issued before the
chain recorded them have no event, so their rows cannot be held to one."""

from __future__ import annotations

from lms import signals
from lms.audit import ChainOnly, kinds
from lms.models import ApiToken


def issued_data(token: ApiToken) -> dict:
    return {
        "token": token.id,
        "user_id": token.user_id,
        "name": token.name,
        "scopes": token.scopes,
        "expires_at": token.expires_at.isoformat() + "Z",
    }


def revoked_data(token: ApiToken) -> dict:
    return {"token": token.id, "user_id": token.user_id}


#: Registered at lms.create_app.
AUDITED = {
    kinds.API_TOKEN_ISSUED: ChainOnly(
        signals.api_token_issued,
        subject=lambda token: f"api_token:{token.id}",
        data=lambda token, **_: issued_data(token),
    ),
    kinds.API_TOKEN_REVOKED: ChainOnly(
        signals.api_token_revoked,
        subject=lambda token: f"api_token:{token.id}",
        data=lambda token, **_: revoked_data(token),
    ),
}
