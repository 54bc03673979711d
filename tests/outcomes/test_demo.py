"""``lms init --demo`` gives the outcome reports something to show in every figure."""

from datetime import date

from lms import audit
from lms.extensions import db
from lms.models import (
    OutcomeCategory,
    OutcomeRecord,
    OutcomeSource,
    TalentInterest,
    TalentProfile,
)
from lms.outcomes.reports import operations as reports


def test_demo_outcomes_fill_every_category_and_pass_the_audit(runner, app):
    assert runner.invoke(args=["init", "--demo"]).exit_code == 0
    assert runner.invoke(args=["init", "--demo"]).exit_code == 0, "idempotent"
    for window in reports.WINDOWS:
        (programme,) = reports.outcomes(window, "programme", date.today(), 3430).groups
        assert programme.cohorts >= 3
        empty = [c for c in OutcomeCategory if programme.categories[c] == 0]
        assert empty == [], f"{window} days: no demo learner in {empty}"
        assert 0 < programme.decent_in_field_rate < programme.in_field_rate < 1
        assert programme.graduated_on_time < programme.graduated < programme.enrolled
        assert all(programme.median_base_pay[c] for c in reports.IN_FIELD_CATEGORIES)
        assert programme.retention["6m"]["measured"] > 0
    by = {g: reports.outcomes(180, g, date.today(), 3430).groups for g in reports.GROUPINGS}
    assert len(by["operator"]) >= 2 and len(by["region"]) >= 2 and len(by["track"]) >= 2
    sources = set(db.session.scalars(db.select(OutcomeRecord.source).distinct()))
    assert sources == set(OutcomeSource)  # self-reports, confirmations, third party
    assert audit.verify(db.session).ok


def test_demo_puts_two_learners_in_the_pool_with_an_invitation(runner, app):
    assert runner.invoke(args=["init", "--demo"]).exit_code == 0
    profiles = db.session.scalars(db.select(TalentProfile)).all()
    assert len(profiles) == 2 and all(p.visible for p in profiles)
    statuses = sorted(i.status for i in db.session.scalars(db.select(TalentInterest)))
    assert statuses == ["interested", "invited"]
