"""``GET /api/v1/reports/outcomes``: the outcome figures per group for admins and auditors, with
every outcome category present even at zero, and plain JSON errors for everyone else and for
bad parameters."""

from __future__ import annotations

import pytest

from lms.models import OutcomeCategory, Situation
from lms.outcomes.reports import operations as reports
from tests.outcomes.conftest import AS_OF, WAGE, programme  # noqa: F401 - the fixture

ENDPOINT = "/api/v1/reports/outcomes"

#: What the issue asks of every group, and the extras the report also gives.
REQUIRED = {
    "enrolled",
    "graduated",
    "certified",
    "categories",
    "non_reporting_share",
    "median_base_pay",
    "in_field_rate",
    "decent_in_field_rate",
}
EXTRAS = {
    "key",
    "label",
    "cohorts",
    "graduated_on_time",
    "shares",
    "seeking_denominator",
    "in_field",
    "decent_in_field",
    "retention",
}
CATEGORIES = {str(c) for c in OutcomeCategory}


@pytest.fixture
def small(programme):  # noqa: F811 - the fixture imported above
    """Two cohorts in two regions: three graduates (a job, a seeker, a silent one) and one
    who did not graduate."""
    north = programme.cohort(region="Tanger-Tétouan-Al Hoceïma")
    south = programme.cohort(region="Souss-Massa", track="cybersecurite")
    hired, seeker = programme.learners(north, 2)
    programme.learners(south, 1)
    programme.learners(south, 1, graduated=False)
    programme.job(hired)
    programme.situation(seeker, Situation.SEEKING)
    return programme


def ask(client, headers, **params):
    return client.get(
        ENDPOINT, query_string={"as_of": AS_OF.isoformat(), **params}, headers=headers
    )


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_admins_and_auditors_get_the_figures_for_every_window_and_grouping(
    client, api_token, create_user, small, role
):
    headers = api_token(create_user(role))
    for window in reports.WINDOWS:
        for group_by in reports.GROUPINGS:
            response = ask(client, headers, window=window, group_by=group_by)
            assert response.status_code == 200, (window, group_by, response.json)
            assert response.json == reports.outcomes(window, group_by, AS_OF, WAGE).as_json()
            assert (response.json["window"], response.json["group_by"]) == (window, group_by)


@pytest.mark.parametrize("role", ["learner", "trainer", "company"])
def test_other_roles_get_a_403_json_error(client, api_token, create_user, small, role):
    response = ask(client, api_token(create_user(role)))
    assert response.status_code == 403
    assert response.json == {"error": "outcome reports are for admins and auditors"}


def test_no_token_no_figures(client, small):
    response = ask(client, {"Authorization": "Bearer forged"})
    assert response.status_code == 401
    assert response.json == {"error": "a valid bearer token is required"}


def test_every_group_has_the_issues_keys_and_every_category_even_at_zero(client, api_token, small):
    body = ask(client, api_token(small.admin), window=90, group_by="region").json
    assert body["categories"] == [str(c) for c in OutcomeCategory]
    assert [g["key"] for g in body["groups"]] == ["Souss-Massa", "Tanger-Tétouan-Al Hoceïma"]
    for group in body["groups"]:
        assert set(group) == REQUIRED | EXTRAS
        assert set(group["categories"]) == CATEGORIES
        assert set(group["median_base_pay"]) == CATEGORIES
        assert sum(group["categories"].values()) == group["graduated"]
    south, north = body["groups"]
    assert south["categories"] == {**dict.fromkeys(CATEGORIES, 0), "not_reporting": 1}
    assert (south["enrolled"], south["graduated"], south["non_reporting_share"]) == (2, 1, 1.0)
    assert (south["in_field_rate"], south["median_base_pay"]["full_time_employee"]) == (0.0, None)
    assert north["categories"]["full_time_employee"] == 1
    assert north["categories"]["still_seeking"] == 1
    assert (north["in_field_rate"], north["decent_in_field_rate"]) == (0.5, 0.5)
    assert north["median_base_pay"]["full_time_employee"] == 8000.0


def test_the_defaults_are_180_days_programme_wide_today(client, api_token, small):
    body = client.get(ENDPOINT, headers=api_token(small.admin)).json
    assert (body["window"], body["group_by"]) == (180, "programme")
    (group,) = body["groups"]
    assert (group["key"], group["enrolled"]) == ("programme", 4)


def test_a_window_nobody_reached_is_an_empty_list_of_groups(client, api_token, small):
    body = ask(client, api_token(small.admin), as_of="2026-03-01").json
    assert body["groups"] == []


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"window": "30"}, "The window must be 90 or 180 (days after the cohort ended)."),
        ({"window": "ninety"}, "The window must be 90 or 180 (days after the cohort ended)."),
        (
            {"group_by": "country"},
            "Group by one of: programme, cohort, operator, region, track.",
        ),
        ({"as_of": "yesterday"}, "The report date must be a date written YYYY-MM-DD."),
        ({"as_of": "2999-01-01"}, "The report date cannot be in the future."),
    ],
)
def test_bad_parameters_get_a_400_json_error_in_english(client, api_token, small, params, error):
    client.set_cookie("locale", "fr")  # whatever the caller's language
    response = ask(client, api_token(small.admin), **params)
    assert response.status_code == 400
    assert response.json == {"error": error}
