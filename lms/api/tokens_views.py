"""The account page of API tokens (``/account/tokens``): a user lists their tokens and revokes
them; an admin also sees everyone's usable tokens and may revoke any. Tokens are issued by
``POST /api/v1/tokens`` (lms/api/views.py); the operations are in :mod:`lms.api.tokens`."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.api import tokens
from lms.models import Role
from lms.models.base import utcnow
from lms.transactions import refusal

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


@bp.get("")
@login_required
def index():
    """The user's tokens (an admin: also every usable token of every user)."""
    everyone = tokens.usable_of_everyone() if current_user.role == Role.ADMIN else None
    return render_template(
        "account/tokens.html",
        mine=tokens.owned_by(current_user),
        everyone=everyone,
        now=utcnow(),
        status=tokens.status,
    )


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    """Revoke a token: the user's own, or anyone's for an admin; 404 otherwise (and for a
    token that does not exist); 400 without a valid CSRF token."""
    with refusal(url_for(".index")):
        tokens.revoke(tokens.revocable(current_user, token_id), current_user)
    flash(_("The token was revoked: it can no longer be used."), "success")
    return redirect(url_for(".index"))
