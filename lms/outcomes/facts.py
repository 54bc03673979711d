"""What the audit chain records about placement outcomes, and how it checks it later.

Registered at :func:`lms.create_app`.
"""

from __future__ import annotations

from sqlalchemy import true

from lms import signals
from lms.audit import ChainOnly, FactSource, kinds
from lms.models import Enrollment, OutcomeRecord

_FACT_FIELDS = (
    "enrollment_id", "learner_id", "situation", "category", "in_field", "employer_name",
    "employer_org_id", "via_brief_id", "via_talent_pool", "job_title", "occupation",
    "employment_status", "written_contract", "weekly_hours", "monthly_pay_mad",
    "cnss_declared", "founded_company", "exclusion_reason", "source", "replaces_id",
    "recorded_by_id",
)  # fmt: skip


def outcome_facts(record: OutcomeRecord) -> dict:
    facts = {name: getattr(record, name) for name in _FACT_FIELDS}
    for name in ("situation", "category", "employment_status", "exclusion_reason", "source"):
        facts[name] = str(facts[name]) if facts[name] is not None else None
    facts["effective_on"] = record.effective_on.isoformat()
    facts["ended_on"] = record.ended_on.isoformat() if record.ended_on else None
    return facts


def intent_facts(enrollment: Enrollment) -> dict:
    return {"enrollment": enrollment.id, "seeking_in_field": enrollment.seeking_in_field}


def graduation_data(enrollment: Enrollment) -> dict:
    """A graduation recorded, or cleared (None): a later one may change it."""
    graduated_on = enrollment.graduated_on
    return {"graduated_on": graduated_on.isoformat() if graduated_on else None}


AUDITED = {
    kinds.OUTCOME_RECORDED: FactSource(
        OutcomeRecord, "outcome", outcome_facts, lambda: true(), signal=signals.outcome_recorded
    ),
    kinds.ENROLLMENT_INTENT: FactSource(
        Enrollment,
        "enrollment",
        intent_facts,
        lambda: Enrollment.seeking_in_field.is_not(None),
        signal=signals.intent_recorded,
    ),
    kinds.ENROLLMENT_GRADUATED: ChainOnly(
        signals.graduation_recorded,
        subject=lambda enrollment: f"enrollment:{enrollment.id}",
        data=graduation_data,
    ),
}
