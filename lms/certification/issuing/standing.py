"""Where each learner of a cohort stands against the track's policy: the evaluation and the
certificate, for the trainer's page, the learner's page and ``lms certificates evaluate``."""

from __future__ import annotations

from dataclasses import dataclass

from lms.certification.attendance.operations import enrolled_learners
from lms.certification.issuing import operations as service
from lms.certification.issuing import policy as policies
from lms.content.model import Content
from lms.models import Cohort, User
from lms.models.certification import Certificate


@dataclass
class Standing:
    learner: User
    evaluation: policies.Evaluation | None
    certificate: Certificate | None

    @property
    def can_issue(self) -> bool:
        return self.certificate is None and self.evaluation is not None and self.evaluation.met


@dataclass
class CohortStanding:
    cohort: Cohort
    policy: policies.Policy | None
    #: Why the track's policy cannot be applied (then nobody is evaluated).
    error: str | None
    standings: list[Standing]


def cohort_standing(
    cohort: Cohort, content: Content, learners: list[User] | None = None
) -> CohortStanding:
    """Evaluate ``learners`` (by default every learner enrolled) against the cohort's policy."""
    learners = enrolled_learners(cohort) if learners is None else learners
    try:
        policy = policies.load(content, cohort.track)
    except policies.PolicyError as exc:
        standings = [Standing(lr, None, service.certificate_of(lr, cohort)) for lr in learners]
        return CohortStanding(cohort, None, str(exc), standings)
    standings = [
        Standing(
            learner,
            policies.evaluate(policy, learner, cohort, content),
            service.certificate_of(learner, cohort),
        )
        for learner in learners
    ]
    return CohortStanding(cohort, policy, None, standings)


def standing_of(cohort: Cohort, learner: User, content: Content) -> tuple[CohortStanding, Standing]:
    found = cohort_standing(cohort, content, [learner])
    return found, found.standings[0]


def issue(standing: Standing, actor: User | None) -> Certificate:
    """Issue the certificate of a learner who meets the policy (pending when a trainer must
    approve). Raises :class:`service.CertificationError` otherwise."""
    if standing.evaluation is None:
        raise service.CertificationError("the track's certification policy cannot be applied")
    standing.certificate = service.issue(standing.evaluation, actor)
    return standing.certificate
