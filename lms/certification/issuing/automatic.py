"""Automatic issuance: when a learner's record changes (a grading, a company's final review,
their attendance), the policies of their cohorts are evaluated again once the change is
committed and, where every threshold is now met, the certificate is issued (signed at once, or
pending approval if the track asks).

It listens to the signals of those changes (:func:`lms.create_app` connects the receivers
below) and defers the evaluation to after the commit that made them
(:func:`lms.transactions.after_commit`): a certification that fails never undoes a grading, a
review or an attendance sheet, and a trainer can always issue from the cohort's page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select

from lms import content as content_module
from lms import transactions
from lms.certification.issuing import operations as service
from lms.certification.issuing import policy as policies
from lms.content.model import Content
from lms.extensions import db
from lms.models import Attendance, Certificate, Cohort, Enrollment, Review, Submission, User

log = logging.getLogger(__name__)


def issue_if_met(learners: Iterable[User], content: Content) -> list[Certificate]:
    """Issue every certificate the learners have just earned, each in a unit of work of its own:
    a refusal for one learner (a policy that cannot be applied, a certificate issued meanwhile)
    is logged and undoes nothing else."""
    issued = []
    for learner in learners:
        for cohort in _cohorts(learner):
            try:
                with transactions.unit_of_work():
                    certificate = _issue(learner, cohort, content)
            except (policies.PolicyError, service.CertificationError) as exc:
                log.warning(
                    "no automatic certificate for %s in %s: %s", learner.email, cohort.name, exc
                )
                continue
            if certificate is not None:
                issued.append(certificate)
    return issued


def _cohorts(learner: User) -> list[Cohort]:
    return list(
        db.session.scalars(
            select(Cohort).join(Enrollment).where(Enrollment.learner_id == learner.id)
        )
    )


def _issue(learner: User, cohort: Cohort, content: Content) -> Certificate | None:
    if service.certificate_of(learner, cohort) is not None:
        return None
    policy = policies.load(content, cohort.track)
    evaluation = policies.evaluate(policy, learner, cohort, content)
    return service.issue(evaluation) if evaluation.met else None


# What changes a learner's record -------------------------------------------------------------


def submission_graded(submission: Submission, **_) -> None:
    """Receiver of :data:`lms.signals.submission_graded`."""
    _evaluate_after_commit([submission.learner_id])


def review_finalised(review: Review, **_) -> None:
    """Receiver of :data:`lms.signals.review_finalised`: the team's learners."""
    _evaluate_after_commit(member.learner_id for member in review.team.members)


def attendance_changed(attendance: Attendance, **_) -> None:
    """Receiver of :data:`lms.signals.attendance_changed`."""
    _evaluate_after_commit([attendance.learner_id])


class _Evaluation:
    """The learners whose record changed in one unit of work, evaluated once it commits."""

    def __init__(self) -> None:
        self.learner_ids: dict[int, None] = {}  # ordered, each once

    def __call__(self) -> None:
        learners = [db.session.get(User, learner_id) for learner_id in self.learner_ids]
        issue_if_met([lr for lr in learners if lr is not None], content_module.current())

    def __repr__(self) -> str:
        return f"certification of learners {list(self.learner_ids)}"


def _evaluate_after_commit(learner_ids: Iterable[int]) -> None:
    evaluation = transactions.after_commit(_Evaluation(), key=_Evaluation)
    evaluation.learner_ids.update(dict.fromkeys(learner_ids))
