"""Public verification: the issuer profile and keys, each certificate's page and signed
credential, the revocation status list; and the learner's name-display choice."""

from __future__ import annotations

import segno
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import content
from lms.certification.auditing import checkpoints
from lms.certification.forms import NameDisplayForm
from lms.certification.issuing import operations as service
from lms.certification.verification import operations as verification
from lms.certification.verification import publication

bp = Blueprint("certification", __name__)

JSON_LD = "application/ld+json"


def _json_ld(document: dict, status: int = 200):
    response = jsonify(document)
    response.status_code = status
    response.mimetype = JSON_LD
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers run anywhere
    return response


@bp.get("/issuer")
def issuer():
    """The issuer's Profile with every key it ever used (retired ones included). Public."""
    return _json_ld(publication.issuer_profile())


@bp.get("/issuer/keys/<key_id>")
def issuer_key(key_id: str):
    """One key as a Multikey document; 404 if the issuer never had it. Public."""
    key = service.key_store().get(key_id)
    if key is None:
        abort(404)
    return _json_ld({"@context": service.CONTEXTS} | publication.multikey(key))


@bp.get("/issuer/audit-checkpoints")
def audit_checkpoints():
    """Every signed checkpoint of the audit chain's head. Public: copies kept elsewhere are what
    make rewriting the chain detectable."""
    response = jsonify({"issuer": service.issuer_id(), "checkpoints": checkpoints.published()})
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/status/revocation")
def revocation_list():
    """The signed Bitstring Status List of revoked and (while suspended) suspended
    certificates. Public, never cached long."""
    response = _json_ld(publication.status_list_credential())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/certificates/<public_id>")
def verify(public_id: str):
    """The verification page: valid, revoked, invalid or unknown (404). Public."""
    result = verification.check(public_id)
    certificate = result.certificate
    if certificate is None:
        return render_template("certification/verify.html", result=result), 404
    url = verification.verify_url(certificate)
    track = content.current().tracks.get(certificate.track)
    return render_template(
        "certification/verify.html",
        result=result,
        certificate=certificate,
        learner_name=service.display_name(certificate),
        thresholds=verification.threshold_rows(certificate),
        track_title=track.title if track else certificate.track,
        issuer_name=service.ISSUER_NAME,
        page_url=url,
        qr_svg=segno.make(url, error="m").svg_inline(scale=4, border=2, title=url),
        is_learner=(current_user.is_authenticated and current_user.id == certificate.learner_id),
    )


@bp.get("/certificates/<public_id>/credential")
def credential(public_id: str):
    """The signed OpenBadgeCredential as issued; 404 when unknown or pending. Public."""
    certificate = verification.public_certificate(public_id)
    if certificate is None:
        abort(404)
    return _json_ld(certificate.credential)


@bp.post("/certificates/<public_id>/name-display")
@login_required
def name_display(public_id: str):
    """The learner chooses how their name shows on the public page; 404 for anyone else, 400
    for a choice that does not exist."""
    certificate = verification.public_certificate(public_id)
    if certificate is None or certificate.learner_id != current_user.id:
        abort(404)
    form = NameDisplayForm()
    if not form.validate_on_submit():
        abort(400)
    verification.set_name_display(certificate, current_user, form.mode.data or "")
    flash(_("Your choice is saved."), "success")
    return redirect(url_for("certification.verify", public_id=public_id))
