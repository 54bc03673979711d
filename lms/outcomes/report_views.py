"""The outcome dashboard for admins and auditors: tables, charts, exports, and the records
behind each figure."""

from __future__ import annotations

from flask import Blueprint, abort

from lms import access
from lms.models import Role

bp = Blueprint("outcome_reports", __name__, url_prefix="/reports")


@bp.get("/outcomes")
@access.roles_required(Role.ADMIN, Role.AUDITOR)
def dashboard():
    """403 unless admin or auditor."""
    abort(501)
