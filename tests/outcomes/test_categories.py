"""Each CIRR category rule, on the facts alone (lms/outcomes/recording/categories.py)."""

from datetime import date

import pytest

from lms.models import EmploymentStatus as Status
from lms.models import OutcomeCategory as C
from lms.models import Situation
from lms.outcomes.recording.categories import Facts, categorise

START = date(2026, 3, 1)


def working(**kw) -> Facts:
    values = {
        "situation": Situation.WORKING,
        "in_field": True,
        "employment_status": Status.PERMANENT,
        "weekly_hours": 44,
        "started_on": START,
    }
    values.update(kw)
    return Facts(**values)


@pytest.mark.parametrize(
    ("situation", "category"),
    [
        (Situation.SEEKING, C.STILL_SEEKING),
        (Situation.NOT_SEEKING, C.NOT_SEEKING),
        (Situation.EXCLUDED, C.EXCLUDED),
    ],
)
def test_a_situation_without_a_job_has_its_own_category(situation, category):
    assert categorise(Facts(situation=situation)) == category


def test_a_permanent_full_time_in_field_job_is_a_full_time_employee():
    assert categorise(working()) == C.FULL_TIME_EMPLOYEE


def test_an_out_of_field_job_is_out_of_field_whatever_the_contract():
    assert categorise(working(in_field=False)) == C.OUT_OF_FIELD
    assert categorise(working(in_field=False, hired_by_operator=True)) == C.OUT_OF_FIELD


def test_a_hire_by_the_cohorts_own_operator_is_counted_apart():
    assert categorise(working(hired_by_operator=True)) == C.HIRED_BY_OPERATOR


def test_a_founder_on_own_account_started_a_company():
    facts = working(employment_status=Status.OWN_ACCOUNT, founded_company=True)
    assert categorise(facts) == C.STARTED_COMPANY


def test_a_freelancer_on_own_account_is_short_term():
    assert categorise(working(employment_status=Status.OWN_ACCOUNT)) == C.SHORT_TERM


@pytest.mark.parametrize("hours", [29, 20, None])
def test_part_time_or_unstated_hours_is_short_term(hours):
    assert categorise(working(weekly_hours=hours)) == C.SHORT_TERM


def test_thirty_hours_is_full_time():
    assert categorise(working(weekly_hours=30)) == C.FULL_TIME_EMPLOYEE


def test_casual_work_is_short_term():
    assert categorise(working(employment_status=Status.CASUAL)) == C.SHORT_TERM


@pytest.mark.parametrize(
    "status", [Status.FIXED_TERM, Status.APPRENTICE_INTERN, Status.DEPENDENT_CONTRACTOR]
)
def test_a_full_time_contract_of_ninety_days_or_more_is_a_full_time_contract(status):
    facts = working(employment_status=status, ended_on=date(2026, 5, 29))  # day 90
    assert categorise(facts) == C.FULL_TIME_CONTRACT


def test_a_contract_of_eighty_nine_days_is_short_term():
    facts = working(employment_status=Status.FIXED_TERM, ended_on=date(2026, 5, 28))
    assert categorise(facts) == C.SHORT_TERM


@pytest.mark.parametrize(
    "status", [Status.FIXED_TERM, Status.APPRENTICE_INTERN, Status.DEPENDENT_CONTRACTOR]
)
def test_a_contract_of_unknown_length_is_short_term(status):
    assert categorise(working(employment_status=status)) == C.SHORT_TERM


def test_a_permanent_job_that_ended_within_ninety_days_is_short_term():
    facts = working(ended_on=date(2026, 4, 15))
    assert categorise(facts) == C.SHORT_TERM
