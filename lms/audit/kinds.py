"""Every kind of event the audit chain records, declared once.

The feature that owns a kind registers how to record it and how to check it (a
:class:`~lms.audit.facts.FactSource`, or :class:`~lms.audit.facts.ChainOnly`) at
:func:`lms.create_app`. An app cannot be built with a declared kind left out, and ``lms audit
verify`` refuses to run while any kind declared here or found in the chain has no registration:
a kind nobody checks would otherwise pass unchecked.
"""

from __future__ import annotations

SUBMISSION_GRADED = "submission.graded"
REVIEW_SUBMITTED = "review.submitted"
ATTENDANCE_CHANGED = "attendance.changed"
CERTIFICATE_ISSUED = "certificate.issued"
CERTIFICATE_REVOKED = "certificate.revoked"
CERTIFICATE_SUSPENDED = "certificate.suspended"
CERTIFICATE_SUSPENSION_LIFTED = "certificate.suspension_lifted"
ENROLLMENT_INTENT = "enrollment.intent"
ENROLLMENT_GRADUATED = "enrollment.graduated"
OUTCOME_RECORDED = "outcome.recorded"
API_TOKEN_ISSUED = "api_token.issued"  # noqa: S105 - a kind of event, not a secret
API_TOKEN_REVOKED = "api_token.revoked"  # noqa: S105 - a kind of event, not a secret

#: Kinds whose events record facts about a row that lives on: verification compares each
#: event with its row as it is now.
WITH_FACTS = frozenset(
    {
        SUBMISSION_GRADED,
        REVIEW_SUBMITTED,
        CERTIFICATE_ISSUED,
        CERTIFICATE_REVOKED,
        CERTIFICATE_SUSPENDED,
        CERTIFICATE_SUSPENSION_LIFTED,
        ENROLLMENT_INTENT,
        OUTCOME_RECORDED,
    }
)
#: Kinds whose events record a change and the value it replaced (a correction, a cleared
#: date): no row keeps what they say, the chain alone vouches for them.
#: A token's issue and revocation are of the second sort: who did it, when, and what the token
#: could do then (tokens issued before the chain recorded them have no event to compare).
CHAIN_ONLY = frozenset(
    {ATTENDANCE_CHANGED, ENROLLMENT_GRADUATED, API_TOKEN_ISSUED, API_TOKEN_REVOKED}
)
DECLARED = WITH_FACTS | CHAIN_ONLY
