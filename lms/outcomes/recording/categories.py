"""The CIRR category of one outcome record, from its facts alone.

Rules, in order (each has a test in tests/outcomes/test_categories.py):

1. Not working: seeking -> still seeking; not seeking -> not seeking; excluded -> excluded.
2. Out of field (the occupation is not in the track's field) -> hired out of field, whatever
   the contract.
3. Hired by the cohort's own training operator -> hired by the training operator.
4. Own account and founded a company -> started a company.
5. Part-time (under 30 hours a week), casual, own account (freelance), or a known length
   under 90 days, or any job but a permanent one with no end date (unknown length) ->
   short-term.
6. Permanent -> full-time employee.
7. Fixed term, apprenticeship/internship or dependent contractor of 90 days or more ->
   full-time apprenticeship, internship or contract.

Missing weekly hours count as part-time: a job is full-time only when someone said so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lms.models import EmploymentStatus, OutcomeCategory, Situation

FULL_TIME_HOURS = 30
MINIMUM_CONTRACT_DAYS = 90

_NOT_WORKING = {
    Situation.SEEKING: OutcomeCategory.STILL_SEEKING,
    Situation.NOT_SEEKING: OutcomeCategory.NOT_SEEKING,
    Situation.EXCLUDED: OutcomeCategory.EXCLUDED,
}


@dataclass(frozen=True)
class Facts:
    situation: Situation
    in_field: bool = False
    hired_by_operator: bool = False
    employment_status: EmploymentStatus | None = None
    founded_company: bool = False
    weekly_hours: int | None = None
    started_on: date | None = None
    ended_on: date | None = None


def categorise(facts: Facts) -> OutcomeCategory:
    if facts.situation != Situation.WORKING:
        return _NOT_WORKING[facts.situation]
    if not facts.in_field:
        return OutcomeCategory.OUT_OF_FIELD
    if facts.hired_by_operator:
        return OutcomeCategory.HIRED_BY_OPERATOR
    status = facts.employment_status
    if status == EmploymentStatus.OWN_ACCOUNT and facts.founded_company:
        return OutcomeCategory.STARTED_COMPANY
    if _short_term(facts):
        return OutcomeCategory.SHORT_TERM
    if status == EmploymentStatus.PERMANENT:
        return OutcomeCategory.FULL_TIME_EMPLOYEE
    return OutcomeCategory.FULL_TIME_CONTRACT


def _short_term(facts: Facts) -> bool:
    if facts.weekly_hours is None or facts.weekly_hours < FULL_TIME_HOURS:
        return True
    if facts.employment_status in (EmploymentStatus.CASUAL, EmploymentStatus.OWN_ACCOUNT, None):
        return True
    if facts.ended_on is not None and facts.started_on is not None:
        return (facts.ended_on - facts.started_on).days + 1 < MINIMUM_CONTRACT_DAYS
    return facts.employment_status != EmploymentStatus.PERMANENT
