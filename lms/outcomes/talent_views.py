"""The job fair's talent pool: a learner's opt-in profile, companies' search, interest,
invitations and hires."""

from __future__ import annotations

from flask import Blueprint, abort

from lms import access
from lms.models import Role

bp = Blueprint("talent", __name__, url_prefix="/talent")


@bp.get("/profile")
@access.roles_required(Role.LEARNER)
def profile():
    """The learner's own profile and whether companies see it. 403 unless learner."""
    abort(501)


@bp.get("/")
@access.roles_required(Role.COMPANY)
def pool():
    """Search the pool. 403 unless company."""
    abort(501)
