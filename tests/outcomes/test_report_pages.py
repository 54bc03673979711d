"""The outcome dashboard, its exports and its drill-down: who gets in, that every figure on the
page is the report's, that the CSV is safe to open in a spreadsheet, that the JSON export is
the API's answer, and that only auditors see who is behind a figure.

The world: two cohorts ended on ENDED, reported on AS_OF (both windows elapsed).

- Cohort 1 (Opérateur A, Souss-Massa, python-backend): five enrolled, four graduated, all
  seeking an in-field job. One hired by the partner company Atlas Logiciels (8,000 MAD,
  declared), one part-time at a private bakery (3,000 MAD: in field, not decent), one still
  seeking, one who never answered.
- Cohort 2 (an operator whose name is a spreadsheet formula, L'Oriental, cybersecurite): one
  graduate, hired as a shop assistant (out of field).
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from lms.models import OutcomeCategory, Situation
from lms.outcomes.reports import exports
from lms.outcomes.reports import operations as reports
from lms.outcomes.reports import records as report_records
from lms.outcomes.reports.labels import CATEGORY_LABELS
from lms.outcomes.reports.views import PAID_CATEGORIES
from tests.outcomes.conftest import AS_OF, WAGE

FORMULA_OPERATOR = '=HYPERLINK("http://evil.example","Opérateur B")'
PATHS = (
    "/reports/outcomes",
    "/reports/outcomes.csv",
    "/reports/outcomes.json",
    "/reports/outcomes/records?key=programme",
)


@pytest.fixture(autouse=True)
def english_pages(request):
    """Pages are read in English (the language switcher's cookie). The tests of plain
    functions below ask for no client, so they need no app and no database."""
    if "client" in request.fixturenames:
        request.getfixturevalue("client").set_cookie("locale", "en")


@pytest.fixture
def world(programme):
    partner, _ = programme.company("Atlas Logiciels")
    first = programme.cohort(operator="Opérateur A", region="Souss-Massa")
    second = programme.cohort(operator=FORMULA_OPERATOR, region="L'Oriental", track="cybersecurite")
    hired, part_time, seeking, silent = programme.learners(first, 4, seeking=True)
    (dropout,) = programme.learners(first, 1, graduated=False)
    programme.job(hired, employer_org_id=partner.id)
    programme.job(
        part_time, employer_name="Boulangerie Secrète", weekly_hours=20, monthly_pay_mad=3000
    )
    programme.situation(seeking, Situation.SEEKING)
    (shop,) = programme.learners(second, 1)
    programme.job(shop, employer_name="Hanout Omar", job_title="Vendeur", occupation="5223")
    return SimpleNamespace(
        first=first,
        second=second,
        hired=hired,
        part_time=part_time,
        seeking=seeking,
        silent=silent,
        dropout=dropout,
        shop=shop,
    )


@pytest.fixture
def auditor(create_user):
    return create_user("auditor", name="Auditrice")


def sign_in(auth, user):
    assert auth.login(user.email).status_code == 302


def url(path: str = "/reports/outcomes", **params) -> str:
    params = {"as_of": AS_OF.isoformat(), **params}
    return path + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def table(html: str) -> dict[str, dict[str, str]]:
    """The figures table as ``{group key: {figure: data-value}}``."""
    return {
        unescape(key): dict(re.findall(r'data-figure="([^"]+)" data-value="([^"]*)"', body))
        for key, body in re.findall(
            r'<tr class="group-row" data-key="([^"]*)">(.*?)</tr>', html, re.S
        )
    }


def expected(group: reports.GroupFigures) -> dict[str, str]:
    """What the table should show for ``group``, as its data-value attributes."""
    figures = {
        "cohorts": group.cohorts,
        "enrolled": group.enrolled,
        "graduated": group.graduated,
        "on_time": group.graduated_on_time,
        "certified": group.certified,
        **group.categories,
        "non_reporting_share": group.non_reporting_share,
        "in_field_rate": group.in_field_rate,
        "decent_in_field_rate": group.decent_in_field_rate,
        **{f"median_{c}": group.median_base_pay[c] for c in PAID_CATEGORIES},
        **{f"retention_{m}m": group.retention[f"{m}m"]["rate"] for m in (6, 12)},
    }
    return {name: "" if value is None else str(value) for name, value in figures.items()}


# Who gets in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_admins_and_auditors_see_the_dashboard_for_every_grouping_and_window(
    client, auth, create_user, world, role
):
    sign_in(auth, create_user(role))
    for window in reports.WINDOWS:
        for group_by in reports.GROUPINGS:
            response = client.get(url(window=window, group_by=group_by))
            assert response.status_code == 200, (window, group_by)
            html = response.get_data(as_text=True)
            assert 'id="figures-table"' in html and 'id="chart-categories"' in html


@pytest.mark.parametrize("role", ["learner", "trainer", "company"])
def test_other_roles_are_refused(client, auth, create_user, world, role):
    sign_in(auth, create_user(role))
    for path in PATHS:
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for path in PATHS:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


# The figures ----------------------------------------------------------------------------------


@pytest.mark.parametrize("group_by", reports.GROUPINGS)
def test_every_figure_in_the_table_is_the_reports(client, auth, world, programme, group_by):
    sign_in(auth, programme.admin)
    html = client.get(url(window=180, group_by=group_by)).get_data(as_text=True)
    report = reports.outcomes(180, group_by, AS_OF, WAGE)
    assert table(html) == {group.key: expected(group) for group in report.groups}


def test_the_hand_checked_programme_figures(client, auth, world, programme):
    sign_in(auth, programme.admin)
    (row,) = table(client.get(url(window=90)).get_data(as_text=True)).values()
    assert (row["enrolled"], row["graduated"], row["on_time"], row["certified"]) == (
        "6",
        "5",
        "5",
        "0",
    )
    assert {c: row[c] for c in ("full_time_employee", "short_term", "out_of_field")} == {
        "full_time_employee": "1",
        "short_term": "1",
        "out_of_field": "1",
    }
    assert (row["still_seeking"], row["not_reporting"], row["non_reporting_share"]) == (
        "1",
        "1",
        "0.2",
    )
    # Five sought an in-field job; two have one, one of them decent (the bakery pays too little).
    assert (row["in_field_rate"], row["decent_in_field_rate"]) == ("0.4", "0.2")
    assert (row["median_full_time_employee"], row["median_short_term"]) == ("8000.0", "3000.0")
    assert (row["retention_6m"], row["retention_12m"]) == ("1.0", "")


def test_every_category_has_a_column_and_a_human_name(client, auth, world, programme):
    sign_in(auth, programme.admin)
    html = client.get(url()).get_data(as_text=True)
    assert set(CATEGORY_LABELS) == set(OutcomeCategory)
    for category in OutcomeCategory:
        assert f'data-figure="{category}"' in html
        with force_locale("en"):  # the page is in English, as the cookie asks
            assert str(CATEGORY_LABELS[category]) in html


def test_every_count_links_to_the_records_behind_it(client, auth, world, programme):
    sign_in(auth, programme.admin)
    html = unescape(client.get(url(window=90, group_by="cohort")).get_data(as_text=True))
    row = re.search(rf'data-key="{world.first.id}">(.*?)</tr>', html, re.S).group(1)
    links = [
        dict(pair.split("=", 1) for pair in query.split("&"))
        for query in re.findall(r'href="/reports/outcomes/records\?([^"]+)"', row)
    ]
    assert all(
        (link["window"], link["group_by"], link["as_of"], link["key"])
        == ("90", "cohort", str(AS_OF), str(world.first.id))
        for link in links
    )
    figures = {link.get("figure") for link in links} | {link.get("category") for link in links}
    assert figures >= {
        "enrolled",
        "graduated",
        "on_time",
        "certified",
        "seeking",
        "in_field",
        "decent",
        "retention_6m",
        "retention_12m",
        *(str(c) for c in OutcomeCategory),
    }


def test_the_charts_are_inline_svg_with_a_title_a_description_and_a_legend(
    client, auth, world, programme
):
    sign_in(auth, programme.admin)
    html = client.get(url(group_by="operator")).get_data(as_text=True)
    for chart in ("chart-categories", "chart-rates", "chart-progress"):
        svg = re.search(rf'<figure class="chart" id="{chart}">(.*?)</figure>', html, re.S).group(1)
        assert 'role="img"' in svg and f'id="{chart}-title"' in svg and f'id="{chart}-desc"' in svg
        assert 'class="legend"' in svg
    categories = re.search(r'id="chart-categories">(.*?)</figure>', html, re.S).group(1)
    # One bar per operator; not reporting drawn like any other category.
    assert categories.count('class="chart-row"') == 2
    assert 'data-key="not_reporting"' in categories
    assert "<script" not in html.split('id="figures-table"')[1]


def test_progress_toward_the_national_target_by_region(client, auth, world, programme):
    sign_in(auth, programme.admin)
    html = client.get(url()).get_data(as_text=True)
    regions = dict(re.findall(r'data-region="([^"]+)">.*?data-value="(\d+)"', html, re.S))
    assert {unescape(k): v for k, v in regions.items()} == {"Souss-Massa": "4", "L'Oriental": "1"}
    assert 'id="progress-graduated" data-value="5"' in html
    assert 'id="progress-target" data-value="15000"' in html


def test_the_definitions_are_on_the_page(client, auth, world, programme):
    sign_in(auth, programme.admin)
    html = client.get(url()).get_data(as_text=True)
    assert "How these figures are defined" in html
    assert "silence counts as seeking" in html


def test_a_window_no_cohort_has_reached_says_so(client, auth, world, programme):
    sign_in(auth, programme.admin)
    html = client.get(url(as_of="2026-03-01")).get_data(as_text=True)
    assert 'id="no-groups"' in html and 'id="figures-table"' not in html


# Exports --------------------------------------------------------------------------------------


def read_csv(response) -> list[dict[str, str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith(exports.BOM)
    return list(csv.DictReader(io.StringIO(text.removeprefix(exports.BOM))))


def test_the_csv_has_one_row_per_group_with_every_figure(client, auth, world, programme):
    sign_in(auth, programme.admin)
    response = client.get(url("/reports/outcomes.csv", window=90))
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="outcomes-90d-programme-{AS_OF}.csv"'
    )
    (row,) = read_csv(response)
    assert list(row) == exports.columns()
    for category in OutcomeCategory:
        assert f"{category}_count" in row and f"{category}_share" in row
        assert f"median_base_pay_{category}" in row
    assert (row["window"], row["as_of"], row["group_by"], row["label"]) == (
        "90",
        str(AS_OF),
        "programme",
        "programme",
    )
    assert (row["enrolled"], row["graduated"], row["graduated_on_time"]) == ("6", "5", "5")
    assert (row["full_time_employee_count"], row["full_time_employee_share"]) == ("1", "0.2")
    assert (row["not_reporting_count"], row["not_reporting_share"]) == ("1", "0.2")
    assert (row["excluded_count"], row["excluded_share"]) == ("0", "0.0")
    assert (row["in_field_rate"], row["decent_in_field_rate"]) == ("0.4", "0.2")
    assert row["median_base_pay_short_term"] == "3000.0"
    assert row["median_base_pay_still_seeking"] == ""  # no pay: an empty cell, not "None"
    assert (row["retention_6m_measured"], row["retention_6m_rate"]) == ("2", "1.0")
    assert (row["retention_12m_measured"], row["retention_12m_rate"]) == ("0", "")


def test_the_csv_quotes_a_name_a_spreadsheet_would_run_as_a_formula(client, auth, world, programme):
    sign_in(auth, programme.admin)
    rows = read_csv(client.get(url("/reports/outcomes.csv", group_by="operator")))
    assert {row["label"] for row in rows} == {"Opérateur A", "'" + FORMULA_OPERATOR}


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+212 600", "'+212 600"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("Opérateur = A", "Opérateur = A"),
        (-2, -2),
        (0.25, 0.25),
        (None, ""),
    ],
)
def test_only_text_starting_like_a_formula_is_quoted(value, cell):
    assert exports.safe_cell(value) == cell


def test_the_json_export_is_the_apis_answer(client, auth, api_token, world, programme, auditor):
    headers = api_token(auditor)
    sign_in(auth, auditor)
    for window, group_by in ((90, "region"), (180, "cohort")):
        params = {"window": window, "group_by": group_by, "as_of": AS_OF.isoformat()}
        exported = client.get("/reports/outcomes.json", query_string=params)
        assert exported.headers["Content-Disposition"].startswith("attachment;")
        api = client.get("/api/v1/reports/outcomes", query_string=params, headers=headers)
        assert exported.json == api.json
        assert exported.json == reports.outcomes(window, group_by, AS_OF, WAGE).as_json()


# The records behind a figure ------------------------------------------------------------------


def records_page(client, **params) -> str:
    response = client.get(url("/reports/outcomes/records", window=180, **params))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_an_auditor_sees_the_full_records_with_names(client, auth, world, auditor):
    sign_in(auth, auditor)
    html = records_page(client, group_by="cohort", key=world.first.id)
    assert html.count('class="record-row"') == 5
    for enrollment in (world.hired, world.part_time, world.seeking, world.silent, world.dropout):
        assert enrollment.learner.name in html
    assert "Boulangerie Secrète" in html and "Atlas Logiciels" in html
    assert 'id="minimised-notice"' not in html


def test_an_admin_sees_pseudonyms_and_only_partner_employers(client, auth, world, programme):
    sign_in(auth, programme.admin)
    html = records_page(client, group_by="cohort", key=world.first.id)
    assert html.count('class="record-row"') == 5
    for enrollment in (world.hired, world.part_time, world.seeking, world.silent, world.dropout):
        assert enrollment.learner.name not in html
        assert report_records.pseudonym(enrollment.learner_id, "test-secret") in html
    assert "Atlas Logiciels" in html  # a partner company
    assert "Boulangerie Secrète" not in html  # a private employer could identify the learner
    assert "3,000" in html  # pay and dates stay
    assert 'id="minimised-notice"' in html
    assert "data-record=" not in html


def test_a_category_count_leads_to_its_rows_only(client, auth, world, auditor):
    sign_in(auth, auditor)
    html = records_page(client, key="programme", category="short_term")
    assert html.count('class="record-row"') == 1 and world.part_time.learner.name in html
    html = records_page(client, key="programme", category="not_reporting")
    assert html.count('class="record-row"') == 1 and world.silent.learner.name in html


@pytest.mark.parametrize(
    ("figure", "who"),
    [
        ("graduated", {"hired", "part_time", "seeking", "silent", "shop"}),
        ("in_field", {"hired", "part_time"}),
        ("decent", {"hired"}),
        ("retention_6m", {"hired", "part_time"}),
        ("retention_12m", set()),
    ],
)
def test_a_figures_rows_are_the_ones_it_counts(world, figure, who):
    rows = report_records.behind(180, "programme", "programme", AS_OF, WAGE, figure=figure)
    assert {row["enrollment_id"] for row in rows} == {getattr(world, w).id for w in who}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"window": "30"}, "window must be 90 or 180"),
        ({"window": "abc"}, "window must be 90 or 180"),
        ({"group_by": "country"}, "Group by one of"),
        ({"as_of": "01/11/2026"}, "YYYY-MM-DD"),
        ({"as_of": "2999-01-01"}, "cannot be in the future"),
    ],
)
def test_bad_parameters_get_a_400_page_that_says_what_is_wrong(
    client, auth, world, programme, params, message
):
    sign_in(auth, programme.admin)
    for path in ("/reports/outcomes", "/reports/outcomes.csv", "/reports/outcomes.json"):
        response = client.get(path, query_string=params)
        assert response.status_code == 400, path
    assert message in unescape(client.get("/reports/outcomes", query_string=params).text)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),  # no key
        ({"key": "programme", "category": "unemployed"}, 400),
        ({"key": "programme", "figure": "salary"}, 400),
        ({"key": "no-such-group"}, 404),
    ],
)
def test_a_records_link_must_name_a_group_and_a_known_figure(
    client, auth, world, auditor, params, status
):
    sign_in(auth, auditor)
    assert client.get(url("/reports/outcomes/records", **params)).status_code == status


# Minimisation ---------------------------------------------------------------------------------


def full_row(**overrides) -> dict:
    row = {
        "enrollment_id": 7,
        "learner_id": 42,
        "learner_name": "Salma Bennani",
        "cohort_id": 1,
        "cohort_name": "Cohorte 1",
        "operator_id": 3,
        "operator_name": "Opérateur A",
        "region": "Souss-Massa",
        "track": "python-backend",
        "graduated": 1,
        "on_time": 1,
        "certified": 0,
        "category": "full_time_employee",
        "seeking": 1,
        "in_field": 1,
        "decent": 1,
        "record_id": 99,
        "source": "learner",
        "employer_name": "Boulangerie Secrète",
        "job_title": "Développeuse",
        "monthly_pay_mad": 8000,
        "cnss_declared": True,
        "started_on": AS_OF,
        "ended_on": None,
        "retained_6m": 1,
        "retained_12m": None,
    }
    return {**row, **overrides}


def test_minimising_drops_the_learners_identity_and_keeps_the_job():
    row = report_records.minimise(full_row(), partner_employer=False, secret="s")
    assert row["learner"] == report_records.pseudonym(42, "s")
    for hidden in ("learner_id", "learner_name", "enrollment_id", "record_id"):
        assert hidden not in row
    assert (row["employer_name"], row["employer_withheld"]) == (None, True)
    assert (row["job_title"], row["monthly_pay_mad"], row["started_on"]) == (
        "Développeuse",
        8000,
        AS_OF,
    )


def test_a_partner_companys_name_is_kept():
    row = report_records.minimise(full_row(), partner_employer=True, secret="s")
    assert (row["employer_name"], row["employer_withheld"]) == ("Boulangerie Secrète", False)


def test_a_field_the_report_adds_later_stays_hidden_until_someone_decides():
    row = report_records.minimise(full_row(home_address="12 rue X"), False, "s")
    assert "home_address" not in row


def test_a_pseudonym_is_stable_distinct_and_depends_on_the_secret():
    first = report_records.pseudonym(42, "secret")
    assert re.fullmatch(r"L-[0-9a-f]{8}", first)
    assert first == report_records.pseudonym(42, "secret")
    assert first != report_records.pseudonym(43, "secret")
    assert first != report_records.pseudonym(42, "another secret")


def test_partner_records_are_those_whose_employer_is_a_partner_company(world):
    rows = report_records.behind(180, "programme", "programme", AS_OF, WAGE)
    by_enrollment = {row["enrollment_id"]: row["record_id"] for row in rows}
    partners = report_records.partner_records(by_enrollment.values())
    assert partners == {by_enrollment[world.hired.id]}
    assert report_records.partner_records([None]) == set()


def test_many_groups_are_paged_on_the_dashboard_but_exported_whole(
    client, auth, world, programme, monkeypatch
):
    from lms.outcomes.reports import views as report_views

    monkeypatch.setattr(report_views, "GROUPS_PER_PAGE", 1)  # two cohorts, one a page
    sign_in(auth, programme.admin)
    first = client.get(url(window=90, group_by="cohort")).get_data(as_text=True)
    second = client.get(url(window=90, group_by="cohort", page=2)).get_data(as_text=True)
    assert f'data-key="{world.first.id}"' in first and f'data-key="{world.second.id}"' not in first
    assert f'data-key="{world.second.id}"' in second and 'rel="prev"' in second
    assert "Groups 1 to 1 of 2." in first
    csv = client.get(url("/reports/outcomes.csv", window=90, group_by="cohort")).get_data(
        as_text=True
    )
    assert world.first.name in csv and world.second.name in csv
