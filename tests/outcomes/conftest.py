"""A small programme whose figures can be checked by hand: cohorts that ended long enough ago
for both windows, learners enrolled, graduated, and their situations recorded as the
operations record them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lms import content
from lms.admin import operations as ops
from lms.extensions import db
from lms.models import EmploymentStatus, Enrollment, Role, Situation, User
from lms.outcomes.recording import operations as recording
from lms.outcomes.recording.operations import JobDetails

#: Report date of the hand-checked examples; cohorts end on ENDED, 200+ days before.
AS_OF = date(2026, 11, 1)
STARTED = date(2025, 9, 1)
ENDED = date(2026, 2, 1)
WAGE = 3430


def job(**overrides) -> JobDetails:
    """A permanent, full-time, in-field, declared, decently paid job that started a month
    after the cohort ended; override what the example is about."""
    values = {
        "employer_name": "Atlas Logiciels",
        "job_title": "Développeuse back-end",
        "occupation": "2512",
        "employment_status": EmploymentStatus.PERMANENT,
        "started_on": ENDED + timedelta(days=30),
        "written_contract": True,
        "weekly_hours": 44,
        "monthly_pay_mad": 8000,
        "cnss_declared": True,
    }
    values.update(overrides)
    return JobDetails(**values)


class Programme:
    def __init__(self, create_user):
        self.create_user = create_user
        self.admin = create_user("admin")
        self.operators: dict[str, object] = {}
        self.count = 0

    def operator(self, name: str = "Opérateur A"):
        if name not in self.operators:
            self.operators[name] = ops.create_organization(name, "operator")
            db.session.commit()
        return self.operators[name]

    def company(self, name: str = "Atlas Logiciels"):
        org = ops.create_organization(name, "company")
        user = self.create_user("company", organization=org)
        db.session.commit()
        return org, user

    def cohort(
        self,
        operator: str = "Opérateur A",
        track: str = "python-backend",
        region: str = "Casablanca-Settat",
        starts_on: date = STARTED,
        ends_on: date = ENDED,
    ):
        self.count += 1
        cohort = ops.create_cohort(
            f"Cohorte {self.count}",
            self.operator(operator),
            track,
            region,
            starts_on,
            ends_on,
            set(content.current().tracks),
        )
        db.session.commit()
        return cohort

    def learners(self, cohort, n: int, graduated: bool = True, seeking: bool | None = None):
        """``n`` learners enrolled in ``cohort``; graduated on its last day unless not."""
        enrollments = []
        for _ in range(n):
            learner = self.create_user("learner")
            enrollment = ops.enrol(cohort, learner)
            enrollment.seeking_in_field = seeking
            if graduated:
                enrollment.graduated_on = cohort.ends_on
            enrollments.append(enrollment)
        db.session.commit()
        return enrollments

    def job(self, enrollment: Enrollment, actor: User | None = None, **overrides):
        actor = actor or enrollment.learner
        record = recording.report_job(actor, enrollment, job(**overrides), today=AS_OF)
        db.session.commit()
        return record

    def situation(self, enrollment: Enrollment, situation: Situation, on=None, **kwargs):
        on = on or enrollment.cohort.ends_on + timedelta(days=60)
        record = recording.report_situation(
            enrollment.learner, enrollment, situation, on, today=AS_OF, **kwargs
        )
        db.session.commit()
        return record


@pytest.fixture
def programme(app, create_user) -> Programme:
    assert Role.COMPANY  # the roles the helpers use exist
    return Programme(create_user)
