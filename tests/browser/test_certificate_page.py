"""The public verification page in a real browser: an anonymous visitor (an employer who
scanned the QR code) sees a valid certificate, then, once it is revoked, the revocation and
its reason. Text is accepted in English or French; elements are found by id."""

from __future__ import annotations

import re

import pytest

from lms.certification.issuing import operations as service
from lms.extensions import db
from tests.certification import conftest as certification

pytestmark = pytest.mark.browser

keys_config = certification.keys_config
record = certification.record
company_user = certification.company_user

TIMEOUT = 5_000


@pytest.fixture
def issued(record, company_user):
    record.all_exercises(1.0)
    record.sessions(held=5, attended=5)
    record.project(1.0, company_user)
    certificate = service.issue(record.evaluate())
    db.session.commit()
    return certificate


def test_an_anonymous_visitor_sees_valid_then_revoked_with_the_reason(
    page, live_server, issued, record, screenshot
):
    url = f"{live_server}/certificates/{issued.public_id}"
    page.goto(url)
    page.wait_for_selector("#verdict", timeout=TIMEOUT)
    assert page.locator("#certificate").get_attribute("data-status") == "valid"
    assert re.match(r"\s*(VALID|VALIDE)\b", page.locator("#verdict").inner_text())
    assert page.locator("#learner-name").inner_text() == "Salma"
    assert page.locator("#track-title").inner_text() == "Développement back-end Python"
    rows = page.locator("#thresholds tr.threshold")
    assert rows.count() == len(issued.evaluation)
    assert page.locator('#thresholds tr.threshold[data-met="true"]').count() == rows.count()
    assert page.locator("#qr-code svg path").count() >= 1
    assert page.locator("#name-display-form").count() == 0
    screenshot("certificate-valid")

    service.revoke(issued, record.trainer, "Plagiat établi sur le projet final")
    db.session.commit()
    page.reload()
    page.wait_for_selector("#verdict", timeout=TIMEOUT)
    assert page.locator("#certificate").get_attribute("data-status") == "revoked"
    assert re.match(r"\s*(REVOKED|RÉVOQUÉ)\b", page.locator("#verdict").inner_text())
    reason = page.locator("#revocation-reason").inner_text()
    assert "Plagiat établi sur le projet final" in reason
    screenshot("certificate-revoked")

    page.emulate_media(media="print")
    assert page.locator("header.topbar").is_hidden()
    assert page.locator("#qr-code svg").is_visible()
