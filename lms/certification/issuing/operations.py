"""Issuing, approving, suspending and revoking certificates, and the signed Open Badges 3.0
credential each issued certificate carries. Operations flush and announce what they did
(:mod:`lms.signals`: the audit chain records it, notices tell the learner); callers commit."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import uuid
from datetime import UTC
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from lms import content as content_module
from lms import signals
from lms.certification.issuing import policy as policies
from lms.content.model import Content
from lms.credentials import proof
from lms.credentials.keys import KeyStore
from lms.errors import DomainError
from lms.extensions import db
from lms.models import Cohort, User
from lms.models.base import utcnow
from lms.models.certification import Certificate, CertificateStatus, CertificateSuspension
from lms.models.regrade import RegradeRun

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
ISSUER_NAME = "Programme national de compétences numériques"
THRESHOLD_NAMES = {
    "exercises": "Exercices notés",
    "projects": "Projets évalués par une entreprise partenaire",
    "attendance": "Assiduité",
    "modules": "Modules validés",
}


class CertificationError(DomainError, ValueError):
    """A certificate that cannot be issued, approved, suspended or revoked, and why."""


def key_store() -> KeyStore:
    configured = current_app.config.get("LMS_KEYS_DIR")
    return KeyStore(Path(configured) if configured else Path(current_app.instance_path) / "keys")


def base_url() -> str:
    return current_app.config["LMS_BASE_URL"].rstrip("/")


def issuer_id() -> str:
    return f"{base_url()}/issuer"


# Issuing ---------------------------------------------------------------------------------------


def certificate_of(learner: User, cohort: Cohort) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(
            Certificate.learner_id == learner.id,
            Certificate.cohort_id == cohort.id,
            Certificate.track == cohort.track,
        )
    )


def issue(evaluation: policies.Evaluation, actor: User | None = None) -> Certificate:
    """Record the certificate of a learner who met every threshold: issued and signed at
    once, or pending a trainer's approval when the track's policy asks for it."""
    if not evaluation.met:
        raise CertificationError("not every threshold is met")
    existing = certificate_of(evaluation.learner, evaluation.cohort)
    if existing is not None:
        raise CertificationError(f"certificate {existing.public_id} exists already")
    manifest = build_manifest(evaluation)
    certificate = Certificate(
        public_id=str(uuid.uuid4()),
        learner_id=evaluation.learner.id,
        cohort_id=evaluation.cohort.id,
        track=evaluation.policy.track,
        status=CertificateStatus.PENDING,
        policy_commit=evaluation.policy.commit,
        policy=evaluation.policy.as_dict(),
        evaluation=[t.summary() for t in evaluation.thresholds],
        manifest=manifest,
        manifest_sha256=canonical_sha256(manifest),
        status_index=_next_status_index(),
    )
    db.session.add(certificate)
    db.session.flush()
    if evaluation.policy.approval == "automatic":
        _sign_and_issue(certificate, actor)
    return certificate


def approve(certificate: Certificate, trainer: User) -> None:
    if certificate.status != CertificateStatus.PENDING:
        raise CertificationError("only a pending certificate can be approved")
    certificate.approved_by_id = trainer.id
    _sign_and_issue(certificate, trainer)


def revoke(certificate: Certificate, actor: User, reason: str) -> None:
    if certificate.status == CertificateStatus.REVOKED:
        raise CertificationError("this certificate is already revoked")
    if not reason.strip():
        raise CertificationError("say why the certificate is revoked")
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = actor.id
    certificate.revocation_reason = reason.strip()
    db.session.flush()
    signals.certificate_revoked.send(certificate, actor=actor)


def suspend(
    certificate: Certificate, actor: User, reason: str, run: RegradeRun | None = None
) -> CertificateSuspension:
    """Stop an issued certificate from showing as valid while its evidence is reviewed (a
    re-grade ``run`` found it no longer meets the policy). Reversible, unlike revocation."""
    if certificate.status != CertificateStatus.ISSUED:
        raise CertificationError("only an issued certificate can be suspended")
    if not reason.strip():
        raise CertificationError("say why the certificate is suspended")
    suspension = CertificateSuspension(
        certificate=certificate,
        reason=reason.strip(),
        suspended_by_id=actor.id,
        suspended_at=utcnow(),
        regrade_run_id=run.id if run is not None else None,
    )
    certificate.status = CertificateStatus.SUSPENDED
    db.session.add(suspension)
    db.session.flush()
    signals.certificate_suspended.send(suspension, actor=actor)
    return suspension


def lift_suspension(certificate: Certificate, actor: User, reason: str) -> CertificateSuspension:
    """Issue a suspended certificate again (its credential was never changed: it verifies as
    before, and its status list bit is cleared)."""
    suspension = certificate.suspension
    if certificate.status != CertificateStatus.SUSPENDED or suspension is None:
        raise CertificationError("only a suspended certificate can be reinstated")
    if not reason.strip():
        raise CertificationError("say why the suspension is lifted")
    suspension.lifted_at = utcnow()
    suspension.lifted_by_id = actor.id
    suspension.lift_reason = reason.strip()
    certificate.status = CertificateStatus.ISSUED
    db.session.flush()
    signals.certificate_suspension_lifted.send(suspension, actor=actor)
    return suspension


def _sign_and_issue(certificate: Certificate, actor: User | None) -> None:
    certificate.issued_at = utcnow()
    key = key_store().current()
    unsigned = build_credential(certificate)
    certificate.credential = proof.sign(
        unsigned,
        key,
        verification_method=f"{issuer_id()}#{key.id}",
        created=certificate.issued_at.replace(tzinfo=UTC),
    )
    certificate.key_id = key.id
    certificate.status = CertificateStatus.ISSUED
    db.session.flush()
    signals.certificate_issued.send(certificate, actor=actor)


def _next_status_index() -> int:
    """Positions in the status list are handed out in order; a random start would hide the
    number of certificates, which is public anyway."""
    highest = db.session.scalar(select(func.max(Certificate.status_index)))
    return 0 if highest is None else highest + 1


def canonical_sha256(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# The manifest and the credential --------------------------------------------------------------


def build_manifest(evaluation: policies.Evaluation) -> dict:
    """Every piece of evidence that met a threshold, with the digest of the bytes assessed."""
    return {
        "learner": evaluation.learner.id,
        "cohort": evaluation.cohort.id,
        "track": evaluation.policy.track,
        "policy_commit": evaluation.policy.commit,
        "policy": evaluation.policy.as_dict(),
        "thresholds": [{**t.summary(), "evidence": t.evidence} for t in evaluation.thresholds],
    }


def display_name(certificate: Certificate) -> str:
    name = certificate.learner.name
    if certificate.name_display == "initials":
        return " ".join(f"{part[0]}." for part in name.split() if part)
    return name


def build_credential(certificate: Certificate, content: Content | None = None) -> dict:
    loaded = content or content_module.current()
    track = loaded.tracks.get(certificate.track)
    title = track.title if track else certificate.track
    achievement_id = f"{base_url()}/achievements/{certificate.track}"
    credential_id = f"{base_url()}/certificates/{certificate.public_id}"
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [_hashed_email(certificate.learner)],
        "achievement": {
            "id": achievement_id,
            "type": ["Achievement"],
            "name": title,
            "description": f"Certificat du parcours « {title} »",
            "criteria": {"narrative": _narrative(certificate)},
            "resultDescription": [
                {
                    "id": f"{achievement_id}#{t['name']}",
                    "type": ["ResultDescription"],
                    "name": THRESHOLD_NAMES.get(t["name"], t["name"]),
                    "resultType": "Percent" if t["name"] in SHARES else "RawScore",
                    "requiredValue": _value(t["name"], t["required"]),
                }
                for t in certificate.evaluation
            ],
        },
        "result": [
            {
                "type": ["Result"],
                "resultDescription": f"{achievement_id}#{t['name']}",
                "value": _value(t["name"], t["achieved"]),
            }
            for t in certificate.evaluation
        ],
    }
    companies = _companies(certificate)
    if companies:
        subject["source"] = companies[0]
    return {
        "@context": CONTEXTS,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        # No learner name: the credential is public and signed once; the page shows the name
        # as the learner chooses (full or initials).
        "name": f"Certificat — {title}",
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": ISSUER_NAME},
        "validFrom": certificate.issued_at.isoformat(timespec="seconds") + "Z",
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{base_url()}/status/revocation#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": f"{base_url()}/status/revocation",
        },
        "evidence": _evidence(certificate),
    }


#: Thresholds stated as a share (0..1), published as a percentage; the others are counts.
SHARES = {"exercises", "attendance"}


def _value(name: str, number: float) -> str:
    return f"{round(number * 100, 2):g}" if name in SHARES else f"{number:g}"


def _narrative(certificate: Certificate) -> str:
    lines = [f"Politique de certification au commit {certificate.policy_commit} :"]
    lines += [
        f"- {THRESHOLD_NAMES.get(t['name'], t['name'])} : requis "
        f"{_value(t['name'], t['required'])}, atteint {_value(t['name'], t['achieved'])}"
        for t in certificate.evaluation
    ]
    return "\n".join(lines)


def _hashed_email(learner: User) -> dict:
    salt = secrets.token_hex(8)
    digest = hashlib.sha256((learner.email + salt).encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityHash": f"sha256${digest}",
        "identityType": "emailAddress",
        "hashed": True,
        "salt": salt,
    }


def _companies(certificate: Certificate) -> list[dict]:
    seen, companies = set(), []
    for threshold in certificate.manifest["thresholds"]:
        for item in threshold["evidence"]:
            if item["type"] == "review" and item["company"] not in seen:
                seen.add(item["company"])
                companies.append(
                    {
                        "id": f"{base_url()}/partners/{_slug(item['company'])}",
                        "type": ["Profile"],
                        "name": item["company"],
                    }
                )
    return companies


def _slug(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:16]


def _evidence(certificate: Certificate) -> list[dict]:
    """One Evidence per assessed item, pointing at the auditor's view of it and carrying the
    multibase SHA-256 of the bytes assessed (code files, signed review)."""
    entries = []
    for threshold in certificate.manifest["thresholds"]:
        for item in threshold["evidence"]:
            if "sha256" not in item or not item["sha256"]:
                continue
            entry = {
                "id": f"{base_url()}/evidence/{certificate.public_id}/{item['type']}-{item['id']}",
                "type": ["Evidence"],
                "name": _evidence_name(item),
                "digestMultibase": "u" + _multihash_b64(item["sha256"]),
            }
            entries.append(entry)
    return entries


def _evidence_name(item: dict) -> str:
    if item["type"] == "submission":
        return f"Exercice {item['exercise']} : {item['score']}/{item['max_score']}"
    score = f"{item['score']:g}/{item['max_score']:g}"
    return f"Projet « {item['brief']} » évalué par {item['company']} : {score}"


def _multihash_b64(sha256_hex: str) -> str:
    """SHA-256 multihash (0x12 0x20 + digest), base64url without padding: the form
    ``digestMultibase`` takes ('u' prefix added by the caller)."""
    raw = bytes([0x12, 0x20]) + bytes.fromhex(sha256_hex)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def verify_credential(credential: dict) -> proof.VerificationResult:
    """Check a credential's proof against our published keys (old ones included)."""
    return proof.verify(credential, key_store().resolver(issuer_id()))
