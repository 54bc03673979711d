"""Recording outcomes: the learner's own situation, a company's hires and confirmations, the
programme's third-party records, and trainers' graduation marks."""

from __future__ import annotations

from flask import Blueprint, abort

from lms import access
from lms.models import Role

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")


@bp.get("/mine")
@access.roles_required(Role.LEARNER)
def mine():
    """The learner's intent, situation and history. 403 unless learner."""
    abort(501)  # built by the recording pages


@bp.get("/company")
@access.roles_required(Role.COMPANY)
def company_placements():
    """Self-reported jobs at the company to confirm, and the company's hires. 403 unless
    company."""
    abort(501)
