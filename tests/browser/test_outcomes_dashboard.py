"""The outcome dashboard in a real browser: an auditor signs in, opens the dashboard from the
navigation, switches the window and the grouping, sees the SVG charts and the table, and
follows a count to the records behind it. Pages are in French (the browser asks for fr-FR),
so elements are found by id, and the checks are on figures, not on words."""

from __future__ import annotations

import pytest

from lms.models import Situation
from tests.browser.test_learner_flow import sign_in
from tests.outcomes.conftest import programme  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser

#: Every wait is bounded: a few seconds, never the 30 s default.
TIMEOUT = 5_000


@pytest.fixture
def world(programme):  # noqa: F811 - the fixture imported above
    first = programme.cohort(operator="Opérateur A", region="Souss-Massa")
    second = programme.cohort(operator="Opérateur B", region="L'Oriental")
    hired, seeking, _silent = programme.learners(first, 3)
    programme.job(hired)
    programme.situation(seeking, Situation.SEEKING)
    programme.learners(second, 2)
    return {"first": first, "hired": hired}


def test_an_auditor_switches_the_report_and_follows_a_count_to_its_records(
    page, live_server, create_user, world, screenshot
):
    page.set_default_timeout(TIMEOUT)
    auditor = create_user("auditor", name="Auditrice")
    sign_in(page, live_server, auditor.email)
    page.click("a[href='/reports/outcomes']")
    page.wait_for_selector("#figures-table")
    # Programme-wide over 180 days: one row, five enrolled, every chart drawn as SVG.
    assert page.locator("#select-window").input_value() == "180"
    assert page.locator("#figures-table tr.group-row").count() == 1
    assert page.locator("tr.group-row td[data-figure=enrolled]").get_attribute("data-value") == "5"
    for chart in ("#chart-categories", "#chart-rates", "#chart-progress"):
        assert page.locator(f"{chart} svg[role=img] > title").count() == 1
        assert page.locator(f"{chart} svg.chart-svg").is_visible()
        assert page.locator(f"{chart} .legend li").count() >= 2
    assert page.locator("#chart-categories rect.segment[data-key=not_reporting]").count() == 1

    page.select_option("#select-window", "90")
    page.select_option("#select-group-by", "cohort")
    page.click("#show-report")
    page.wait_for_url("**group_by=cohort**")
    assert page.locator("#select-window").input_value() == "90"
    assert page.locator("#select-group-by").input_value() == "cohort"
    rows = page.locator("#figures-table tr.group-row")
    assert rows.count() == 2
    assert page.locator("#chart-categories .chart-row").count() == 2
    assert page.locator("#chart-rates .chart-row").count() == 2
    screenshot("outcomes-dashboard")

    first = page.locator(f"tr.group-row[data-key='{world['first'].id}']")
    employed = first.locator("td[data-figure=full_time_employee] a")
    assert employed.inner_text() == "1"
    employed.click()
    page.wait_for_selector("#records-table")
    assert "window=90" in page.url and "category=full_time_employee" in page.url
    assert page.locator("#records-count").get_attribute("data-value") == "1"
    assert page.locator("tr.record-row td.learner").inner_text() == world["hired"].learner.name
    assert page.locator("tr.record-row td.employer").inner_text() == "Atlas Logiciels"
    screenshot("outcomes-records")

    page.click("#back-to-report")
    page.wait_for_selector("#figures-table")
    assert page.locator("#select-group-by").input_value() == "cohort"
