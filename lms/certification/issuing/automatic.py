"""Automatic issuance: when a learner's record changes (a grading, a company review, their
attendance), the policies of their cohorts are evaluated again and, where every threshold is
now met, the certificate is issued (signed at once, or pending approval if the track asks)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select

from lms.certification.issuing import operations as service
from lms.certification.issuing import policy as policies
from lms.content.model import Content
from lms.extensions import db
from lms.models import Certificate, Cohort, Enrollment, User

log = logging.getLogger(__name__)


def issue_if_met(learners: Iterable[User], content: Content) -> list[Certificate]:
    """Issue every certificate the learners have just earned; commits each one. Never raises:
    the change that triggered it is already committed, and a trainer can always issue from
    the cohort's page (the failure is logged)."""
    issued = []
    for learner in learners:
        for cohort in _cohorts(learner):
            try:
                certificate = _issue(learner, cohort, content)
            except (policies.PolicyError, service.CertificationError) as exc:
                db.session.rollback()
                log.warning(
                    "no automatic certificate for %s in %s: %s", learner.email, cohort.name, exc
                )
                continue
            if certificate is not None:
                db.session.commit()
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
