"""Public verification: issuer profile and keys, the certificate page (valid, revoked, invalid,
unknown), the signed credential, the revocation status list, the API, the name display."""

from __future__ import annotations

import re

from lms.certification.issuing import operations as service
from lms.certification.verification import publication
from lms.extensions import db
from lms.models.certification import Certificate, CertificateStatus
from tests.credentials.independent_verifier import (
    IndependentVerificationError,
    verify_credential,
)

BASE = "https://lms.example.ma"


def another_certificate(certificate: Certificate, learner, status_index: int, **fields):
    """A second certificate row for another learner (issuance itself is tested elsewhere)."""
    other = Certificate(
        public_id=f"other-{status_index}",
        learner_id=learner.id,
        cohort_id=certificate.cohort_id,
        track=certificate.track,
        status=fields.pop("status", CertificateStatus.ISSUED),
        policy_commit=certificate.policy_commit,
        policy=certificate.policy,
        evaluation=certificate.evaluation,
        manifest=certificate.manifest,
        manifest_sha256=certificate.manifest_sha256,
        credential=certificate.credential,
        key_id=certificate.key_id,
        status_index=status_index,
        issued_at=certificate.issued_at,
        **fields,
    )
    db.session.add(other)
    db.session.commit()
    return other


def page_status(html: str) -> str:
    return re.search(r'id="certificate" data-status="(\w+)"', html).group(1)


def independent_ok(document: dict, public_key_multibase: str) -> bool:
    try:
        verify_credential(document, public_key_multibase)
    except IndependentVerificationError:
        return False
    return True


def published_key(client, verification_method: str) -> str:
    profile = client.get("/issuer").json
    methods = {m["id"]: m["publicKeyMultibase"] for m in profile["verificationMethod"]}
    return methods[verification_method]


# The issuer -------------------------------------------------------------------------------


def test_issuer_profile_lists_the_current_and_the_rotated_keys(client, keys_config):
    old = service.key_store().current()
    new = service.key_store().rotate()
    response = client.get("/issuer")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    profile = response.json
    assert profile["@context"] == service.CONTEXTS
    assert profile["id"] == f"{BASE}/issuer" and profile["type"] == ["Profile"]
    assert profile["name"] == service.ISSUER_NAME and profile["url"] == BASE
    assert profile["verificationMethod"] == [
        {
            "id": f"{BASE}/issuer#{key.id}",
            "type": "Multikey",
            "controller": f"{BASE}/issuer",
            "publicKeyMultibase": key.multibase,
        }
        for key in (old, new)
    ]
    document = client.get(f"/issuer/keys/{old.id}").json
    assert document["id"] == f"{BASE}/issuer#{old.id}"
    assert document["publicKeyMultibase"] == old.multibase
    assert client.get("/issuer/keys/key-nope").status_code == 404


# The verification page ------------------------------------------------------------------------


def test_an_anonymous_visitor_sees_a_valid_certificate_with_its_thresholds(client, issued):
    response = client.get(f"/certificates/{issued.public_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert page_status(html) == "valid"
    assert re.search(r'id="verdict"[^>]*>\s*(VALID|VALIDE)', html)
    assert '<dd id="learner-name">Salma</dd>' in html
    assert "Développement back-end Python" in html
    assert service.ISSUER_NAME in html
    assert html.count('class="threshold"') == len(issued.evaluation)
    assert 'data-met="false"' not in html
    assert "<svg" in html and 'id="qr-code"' in html
    assert f'href="/certificates/{issued.public_id}/credential"' in html
    assert "@media print" in client.get("/static/css/certificate.css").get_data(as_text=True)
    assert 'id="name-display-form"' not in html  # only the learner sees it


def test_a_revoked_certificate_says_so_with_the_date_and_the_reason(client, issued, record):
    service.revoke(issued, record.trainer, "Plagiat établi sur le projet")
    db.session.commit()
    html = client.get(f"/certificates/{issued.public_id}").get_data(as_text=True)
    assert page_status(html) == "revoked"
    assert re.search(r'id="verdict"[^>]*>\s*(REVOKED|RÉVOQUÉ)', html)
    assert "Plagiat établi sur le projet" in html
    assert issued.revoked_at.strftime("%Y-%m-%d") in html


def test_an_unknown_certificate_is_a_404_that_says_so(client, keys_config):
    response = client.get("/certificates/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert page_status(response.get_data(as_text=True)) == "unknown"
    assert client.get("/certificates/nope/credential").status_code == 404


def test_a_pending_certificate_is_not_public(client, issued):
    issued.status, issued.credential = CertificateStatus.PENDING, None
    db.session.commit()
    assert client.get(f"/certificates/{issued.public_id}").status_code == 404
    assert client.get(f"/certificates/{issued.public_id}/credential").status_code == 404


def test_a_credential_tampered_with_in_the_database_is_shown_invalid(client, issued):
    issued.credential = {**issued.credential, "validFrom": "2020-01-01T00:00:00Z"}
    db.session.commit()
    html = client.get(f"/certificates/{issued.public_id}").get_data(as_text=True)
    assert page_status(html) == "invalid"
    assert not re.search(r'id="verdict"[^>]*>\s*(VALID|VALIDE)\b', html)


def test_another_certificates_credential_copied_over_is_invalid(client, issued, create_user):
    other = another_certificate(issued, create_user("learner"), 7)
    html = client.get(f"/certificates/{other.public_id}").get_data(as_text=True)
    assert page_status(html) == "invalid"


# The credential -------------------------------------------------------------------------------


def test_the_credential_json_verifies_independently_with_the_published_key(client, issued):
    response = client.get(f"/certificates/{issued.public_id}/credential")
    assert response.status_code == 200
    credential = response.json
    assert credential == issued.credential
    key = published_key(client, credential["proof"]["verificationMethod"])
    assert independent_ok(credential, key)
    assert not independent_ok({**credential, "name": "Autre"}, key)
    status = credential["credentialStatus"]
    assert status["statusListCredential"] == f"{BASE}/status/revocation"


# The status list ------------------------------------------------------------------------------


def test_the_bitstring_puts_index_zero_in_the_most_significant_bit():
    bits = publication.decode_bitstring(publication.encode_bitstring([0, 9]))
    assert len(bits) * 8 == publication.MIN_LIST_BITS
    assert bits[0] == 0x80 and bits[1] == 0x40 and not any(bits[2:])
    larger = publication.decode_bitstring(publication.encode_bitstring([200_000]))
    assert len(larger) * 8 == 2 * publication.MIN_LIST_BITS


def test_the_status_list_sets_exactly_the_revoked_certificates_bits(
    client, issued, record, create_user
):
    kept = another_certificate(issued, create_user("learner"), 1000)
    revoked = another_certificate(issued, create_user("learner"), 1001)
    service.revoke(revoked, record.trainer, "Erreur de saisie")
    service.revoke(issued, record.trainer, "Plagiat")
    db.session.commit()
    response = client.get("/status/revocation")
    assert response.status_code == 200
    credential = response.json
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = credential["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    assert subject["encodedList"].startswith("u")
    bits = publication.decode_bitstring(subject["encodedList"])
    assert len(bits) >= 16 * 1024
    set_bits = [i for i in range(len(bits) * 8) if publication.is_set(bits, i)]
    assert set_bits == sorted([issued.status_index, revoked.status_index])
    assert kept.status_index not in set_bits
    assert service.verify_credential(credential).ok
    key = published_key(client, credential["proof"]["verificationMethod"])
    assert independent_ok(credential, key)


# The API --------------------------------------------------------------------------------------


def test_the_api_lists_the_certificates_each_role_may_see(
    client, issued, record, create_user, create_cohort, company_user, api_token
):
    outsider = create_user("learner")
    other_trainer = create_user("trainer")
    create_cohort(trainers=[other_trainer], learners=[outsider])

    def ids(user) -> list[str]:
        response = client.get("/api/v1/certificates", headers=api_token(user))
        assert response.status_code == 200
        return [c["id"] for c in response.json]

    for user in (create_user("auditor"), create_user("admin"), record.trainer, record.learner):
        assert ids(user) == [issued.public_id]
    for user in (other_trainer, outsider, company_user):
        assert ids(user) == []
    assert client.get("/api/v1/certificates").status_code == 401
    entry = client.get("/api/v1/certificates", headers=api_token(record.learner)).json[0]
    assert entry == {
        "id": issued.public_id,
        "learner": "Salma",
        "track": "python-backend",
        "status": "issued",
        "issued_at": issued.issued_at.isoformat(timespec="seconds") + "Z",
        "credential_url": f"{BASE}/certificates/{issued.public_id}/credential",
        "verify_url": f"{BASE}/certificates/{issued.public_id}",
    }


# The learner's name display -------------------------------------------------------------------


def test_initials_show_on_the_public_page_and_nowhere_else(client, auth, issued, record, api_token):
    auth.login(record.learner.email)
    page = client.get(f"/certificates/{issued.public_id}").get_data(as_text=True)
    assert 'id="name-display-form"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    url = f"/certificates/{issued.public_id}/name-display"
    assert client.post(url, data={"mode": "initials"}).status_code == 400  # no CSRF token
    response = client.post(url, data={"mode": "initials", "csrf_token": token})
    assert response.status_code == 302
    auth.logout()

    html = client.get(f"/certificates/{issued.public_id}").get_data(as_text=True)
    assert '<dd id="learner-name">S.</dd>' in html
    assert "Salma" not in html
    listed = client.get("/api/v1/certificates", headers=api_token(record.trainer)).json
    assert listed[0]["learner"] == "Salma"  # authorised readers still see who it is
    assert client.get(f"/certificates/{issued.public_id}/credential").json == issued.credential


def test_only_the_learner_sets_the_name_display(client, auth, issued, record):
    url = f"/certificates/{issued.public_id}/name-display"
    assert client.post(url, data={"mode": "initials"}).status_code in (302, 400)
    auth.login(record.trainer.email)
    token = auth.csrf_token(f"/certificates/{issued.public_id}")
    assert client.post(url, data={"mode": "initials", "csrf_token": token}).status_code == 404
    db.session.refresh(issued)
    assert issued.name_display == "full"


def test_a_name_display_must_be_full_or_initials(client, auth, issued, record):
    auth.login(record.learner.email)
    token = auth.csrf_token(f"/certificates/{issued.public_id}")
    url = f"/certificates/{issued.public_id}/name-display"
    assert client.post(url, data={"mode": "nickname", "csrf_token": token}).status_code == 400
