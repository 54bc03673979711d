"""The outcome report's figures on small cohorts checked by hand, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.extensions import db
from lms.models import (
    Certificate,
    CertificateStatus,
    EmploymentStatus,
    ExclusionReason,
    OutcomeCategory,
    Situation,
)
from lms.outcomes.recording import operations as recording
from lms.outcomes.reports import operations as reports
from tests.outcomes.conftest import AS_OF, ENDED, WAGE


def report(window=90, group_by="programme", as_of=AS_OF):
    return reports.outcomes(window, group_by, as_of, WAGE)


def only(window=90, as_of=AS_OF):
    (group,) = report(window, as_of=as_of).groups
    return group


def test_every_category_is_present_even_at_zero(programme):
    cohort = programme.cohort()
    programme.learners(cohort, 2)
    group = only()
    assert set(group.categories) == {str(c) for c in OutcomeCategory}
    assert group.categories["not_reporting"] == 2
    assert sum(group.categories.values()) == group.graduated == 2
    assert group.non_reporting_share == 1.0


def test_enrolled_graduated_on_time_and_certified(programme):
    cohort = programme.cohort()
    on_time = programme.learners(cohort, 3)
    late = programme.learners(cohort, 1)
    late[0].graduated_on = ENDED + timedelta(days=20)
    programme.learners(cohort, 2, graduated=False)
    db.session.add(_certificate(on_time[0], CertificateStatus.ISSUED, 1))
    db.session.add(_certificate(on_time[1], CertificateStatus.REVOKED, 2))
    db.session.commit()
    group = only()
    assert (group.enrolled, group.graduated, group.graduated_on_time) == (6, 4, 3)
    assert group.certified == 1  # a revoked certificate does not count


def test_the_categories_add_up_to_graduates_only(programme):
    cohort = programme.cohort()
    (graduate,) = programme.learners(cohort, 1)
    (dropout,) = programme.learners(cohort, 1, graduated=False)
    programme.job(graduate)
    programme.job(dropout)
    group = only()
    assert group.categories["full_time_employee"] == 1
    assert sum(group.categories.values()) == 1


def test_a_cohort_whose_window_has_not_elapsed_is_left_out(programme):
    programme.learners(programme.cohort(ends_on=AS_OF - timedelta(days=100)), 2)
    assert only(window=90).enrolled == 2
    assert report(window=180).groups == []


def test_the_situation_is_the_one_on_the_window_date(programme):
    cohort = programme.cohort()
    (a, b, c) = programme.learners(cohort, 3)
    # a: a job from day 120 is not yet one at 90 days.
    programme.situation(a, Situation.SEEKING, on=ENDED + timedelta(days=10))
    programme.job(a, started_on=ENDED + timedelta(days=120))
    # b: a job that ended on day 60 no longer holds on day 90; nothing else is known.
    programme.job(b, started_on=ENDED + timedelta(days=5), ended_on=ENDED + timedelta(days=60))
    # c: seeking first, then a job on day 40.
    programme.situation(c, Situation.SEEKING, on=ENDED + timedelta(days=10))
    programme.job(c, started_on=ENDED + timedelta(days=40))
    at_90, at_180 = only(90), only(180)
    assert at_90.categories["still_seeking"] == 1
    assert at_90.categories["not_reporting"] == 1
    assert at_90.categories["full_time_employee"] == 1
    assert at_180.categories["full_time_employee"] == 2
    assert at_180.categories["not_reporting"] == 1


def test_an_employer_confirmation_outranks_a_later_self_report(programme):
    org, company_user = programme.company()
    cohort = programme.cohort()
    (enrollment,) = programme.learners(cohort, 1)
    reported = programme.job(enrollment, employer_org_id=org.id, weekly_hours=44)
    confirmed = programme.job(enrollment, actor=company_user, weekly_hours=20)
    db.session.refresh(reported)
    assert confirmed.source == "employer"
    # The learner says they are seeking again, later: the confirmed job still wins.
    programme.situation(enrollment, Situation.SEEKING, on=ENDED + timedelta(days=70))
    group = only()
    assert group.categories["short_term"] == 1  # the employer's 20 hours, not the 44 claimed
    assert group.categories["still_seeking"] == 0


def test_a_replaced_record_no_longer_counts(programme):
    cohort = programme.cohort()
    (enrollment,) = programme.learners(cohort, 1)
    first = programme.job(enrollment)
    correction = recording.report_situation(
        enrollment.learner,
        enrollment,
        Situation.SEEKING,
        ENDED + timedelta(days=10),
        replaces=first,
        today=AS_OF,
    )
    db.session.commit()
    assert correction.replaces_id == first.id
    group = only()
    assert group.categories["full_time_employee"] == 0
    assert group.categories["still_seeking"] == 1


def test_in_field_rate_denominator_is_fixed_by_intent_at_enrolment(programme):
    cohort = programme.cohort()
    seekers = programme.learners(cohort, 4, seeking=True)
    silent = programme.learners(cohort, 2, seeking=None)
    (not_seeker,) = programme.learners(cohort, 1, seeking=False)
    (excluded,) = programme.learners(cohort, 1, seeking=True)
    programme.job(seekers[0])
    programme.job(seekers[1], occupation="5223")  # shop assistant: out of field
    programme.situation(seekers[2], Situation.NOT_SEEKING)  # stays in the denominator
    programme.job(silent[0])
    programme.job(not_seeker)  # an in-field job, but not in the denominator
    programme.situation(
        excluded, Situation.EXCLUDED, exclusion_reason=ExclusionReason.FURTHER_STUDIES
    )
    group = only()
    # Denominator: 4 seekers + 2 silent = 6 (the excluded and the declared non-seeker out).
    assert group.seeking_denominator == 6
    assert group.in_field == 2  # seekers[0] and silent[0]
    assert group.in_field_rate == round(2 / 6, 4)
    assert group.categories["excluded"] == 1
    assert group.categories["out_of_field"] == 1
    assert group.categories["not_seeking"] == 1


def test_decent_in_field_needs_minimum_wage_and_cnss(programme):
    cohort = programme.cohort()
    learners = programme.learners(cohort, 5, seeking=True)
    programme.job(learners[0], monthly_pay_mad=WAGE)  # exactly the minimum: decent
    programme.job(learners[1], monthly_pay_mad=WAGE - 1)
    programme.job(learners[2], cnss_declared=False)
    programme.job(learners[3], cnss_declared=None, monthly_pay_mad=None)
    group = only()
    assert group.in_field == 4
    assert group.decent_in_field == 1
    assert (group.in_field_rate, group.decent_in_field_rate) == (0.8, 0.2)


def test_median_base_pay_per_category(programme):
    cohort = programme.cohort()
    learners = programme.learners(cohort, 5)
    for enrollment, pay in zip(learners[:4], (5000, 9000, 6000, 7000), strict=True):
        programme.job(enrollment, monthly_pay_mad=pay)
    programme.job(learners[4], monthly_pay_mad=2000, weekly_hours=15)
    group = only()
    assert group.median_base_pay["full_time_employee"] == 6500.0  # (6000 + 7000) / 2
    assert group.median_base_pay["short_term"] == 2000.0
    assert group.median_base_pay["still_seeking"] is None


def test_median_of_an_odd_count_is_the_middle_value(programme):
    cohort = programme.cohort()
    for enrollment, pay in zip(programme.learners(cohort, 3), (4000, 12000, 5000), strict=True):
        programme.job(enrollment, monthly_pay_mad=pay)
    assert only().median_base_pay["full_time_employee"] == 5000.0


def test_retention_at_six_and_twelve_months(programme):
    cohort = programme.cohort(
        starts_on=AS_OF - timedelta(days=700), ends_on=AS_OF - timedelta(days=500)
    )
    ended = cohort.ends_on
    stays, leaves, recent = programme.learners(cohort, 3)
    programme.job(stays, started_on=ended + timedelta(days=10))
    programme.job(
        leaves,
        started_on=ended + timedelta(days=10),
        employment_status=EmploymentStatus.PERMANENT,
        ended_on=ended + timedelta(days=250),  # held on day 180, gone before 12 months
    )
    programme.job(recent, started_on=ended + timedelta(days=170))
    group = only(180)
    assert group.retention["6m"] == {"measured": 3, "retained": 3, "rate": 1.0}
    # 12 months after the start: only the first two started over a year before the report.
    assert group.retention["12m"] == {"measured": 2, "retained": 1, "rate": 0.5}


def test_groups_by_operator_region_track_and_cohort(programme):
    a = programme.cohort(operator="Opérateur A", region="Souss-Massa")
    b = programme.cohort(operator="Opérateur B", region="L'Oriental", track="cybersecurite")
    programme.learners(a, 2)
    programme.learners(b, 3)
    by_operator = {g.label: g.enrolled for g in report(group_by="operator").groups}
    assert by_operator == {"Opérateur A": 2, "Opérateur B": 3}
    by_region = {g.key: g.enrolled for g in report(group_by="region").groups}
    assert by_region == {"Souss-Massa": 2, "L'Oriental": 3}
    by_track = {g.key: g.enrolled for g in report(group_by="track").groups}
    assert by_track == {"python-backend": 2, "cybersecurite": 3}
    by_cohort = {g.key: g.label for g in report(group_by="cohort").groups}
    assert by_cohort == {str(a.id): a.name, str(b.id): b.name}


def test_in_field_depends_on_the_track(programme):
    data = programme.cohort(track="analyse-donnees")
    web = programme.cohort(track="javascript-frontend")
    (analyst,) = programme.learners(data, 1)
    (developer,) = programme.learners(web, 1)
    programme.job(analyst, occupation="2120")  # statistician: in the data field
    programme.job(developer, occupation="2120")  # not a web job
    by_track = {g.key: g for g in report(group_by="track").groups}
    assert by_track["analyse-donnees"].categories["full_time_employee"] == 1
    assert by_track["javascript-frontend"].categories["out_of_field"] == 1


def test_the_report_date_and_the_minimum_wage_are_the_ones_asked_for(programme):
    # Each report's query is built once and reused: the date and the wage must be read at
    # every call, never kept from the first.
    (enrollment,) = programme.learners(programme.cohort(), 1)
    programme.job(enrollment, monthly_pay_mad=5000)  # started 30 days after the end

    def figures(as_of, wage):
        groups = reports.outcomes(90, "programme", as_of, wage, cached=False).groups
        return [(g.decent_in_field, g.retention["6m"]["measured"]) for g in groups]

    assert figures(AS_OF, WAGE) == [(1, 1)]
    assert figures(AS_OF, 6000) == [(0, 1)]
    assert figures(ENDED + timedelta(days=89), WAGE) == [], "the window has not elapsed"
    assert figures(ENDED + timedelta(days=90), WAGE) == [(1, 0)], "too recent for retention"


def test_records_behind_a_figure(programme):
    cohort = programme.cohort()
    (a, b) = programme.learners(cohort, 2)
    record = programme.job(a)
    rows = reports.records(90, "cohort", str(cohort.id), AS_OF, WAGE, "full_time_employee")
    assert [(r["enrollment_id"], r["record_id"]) for r in rows] == [(a.id, record.id)]
    everyone = reports.records(90, "cohort", str(cohort.id), AS_OF, WAGE)
    assert {r["enrollment_id"] for r in everyone} == {a.id, b.id}


@pytest.mark.parametrize(("window", "group_by"), [(30, "programme"), (90, "country")])
def test_unknown_window_or_grouping_is_refused(app, window, group_by):
    with pytest.raises(reports.ReportError):
        reports.outcomes(window, group_by, AS_OF, WAGE)


def test_progress_toward_the_national_target_by_region(programme):
    programme.learners(programme.cohort(region="Souss-Massa"), 3)
    programme.learners(programme.cohort(region="Drâa-Tafilalet"), 2, graduated=False)
    progress = reports.progress_by_region(15000)
    assert progress["graduated"] == 3 and progress["enrolled"] == 5
    assert progress["share_of_target"] == round(3 / 15000, 4)
    assert {r["region"]: r["graduated"] for r in progress["regions"]} == {
        "Souss-Massa": 3,
        "Drâa-Tafilalet": 0,
    }


def _certificate(enrollment, status, index):
    return Certificate(
        public_id=f"cert-{index}",
        learner_id=enrollment.learner_id,
        cohort_id=enrollment.cohort_id,
        track=enrollment.cohort.track,
        status=status,
        policy_commit="c" * 40,
        policy={},
        evaluation=[],
        manifest={},
        manifest_sha256="0" * 64,
        status_index=index,
    )


def test_a_new_record_or_enrolment_refreshes_a_cached_report(programme):
    cohort = programme.cohort()
    (a, b) = programme.learners(cohort, 2)
    assert only().categories["not_reporting"] == 2
    programme.job(a)  # recorded through the audit chain: the report is computed again
    assert only().categories["full_time_employee"] == 1
    programme.learners(cohort, 1)  # a new enrolment
    assert only().enrolled == 3


def test_an_untraced_edit_shows_once_the_cache_is_bypassed_or_cleared(programme):
    cohort = programme.cohort()
    programme.learners(cohort, 2)
    assert only().graduated == 2
    db.session.execute(db.text("UPDATE enrollments SET graduated_on = NULL"))
    db.session.commit()
    assert only().graduated == 2, "served from the cache: no audit event, no new enrolment"
    assert reports.outcomes(90, "programme", AS_OF, WAGE, cached=False).groups[0].graduated == 0
    reports.clear_cache()
    assert only().graduated == 0
