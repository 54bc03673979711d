"""Demo certificates for ``lms init --demo``: attendance for the demo cohort, two learners whose
reference solutions are graded for real in the grader containers, one certificate issued and one
revoked. Idempotent; skipped with a message when the graders cannot run (no Docker).

Runs inside ``lms init --demo``'s unit of work, and grades as a worker does: what the worker
must find (attendance, submissions) is committed first, in units of work of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from lms.certification.attendance import operations as attendance
from lms.certification.issuing import operations as service
from lms.certification.issuing import policy as policies
from lms.content.model import Content
from lms.extensions import db
from lms.models import Cohort, CohortSession, Submission, User
from lms.submissions import operations
from lms.transactions import unit_of_work

SESSIONS = 10
HOLDER = "learner2@demo.test"
REVOKED = "learner3@demo.test"
REVOCATION_REASON = (
    "Exemple de démonstration : le projet rendu reprenait le travail d'une autre équipe."
)


def create_demo_certificates(cohort: Cohort, content: Content, say: Callable[[str], None]) -> None:
    learners = {e.learner.email: e.learner for e in cohort.enrollments}
    if HOLDER not in learners or service.certificate_of(learners[HOLDER], cohort):
        return
    with unit_of_work():
        _attendance(cohort, learners)
    policy = policies.load(content, cohort.track)
    for email in (HOLDER, REVOKED):
        if not _graded(learners[email], policy, content, say):
            say("demo certificates skipped: the graders could not run (is Docker up?)")
            return
    # Grading the last exercise already issued them (automatic policy); else issue now.
    certificate = _certificate(learners[HOLDER], cohort, policy, content)
    revoked = _certificate(learners[REVOKED], cohort, policy, content)
    trainer = cohort.trainers[0]
    service.revoke(revoked, trainer, REVOCATION_REASON)
    say(f"demo certificate issued: /certificates/{certificate.public_id}")
    say(f"demo certificate revoked: /certificates/{revoked.public_id}")


def _certificate(learner: User, cohort: Cohort, policy, content: Content):
    return service.certificate_of(learner, cohort) or service.issue(
        policies.evaluate(policy, learner, cohort, content)
    )


def _attendance(cohort: Cohort, learners: dict[str, User]) -> None:
    """Ten sessions; everybody came to nine of them (recorded as a trainer does, audited)."""
    if db.session.scalar(select(CohortSession.id).where(CohortSession.cohort_id == cohort.id)):
        return
    trainer = cohort.trainers[0]
    for n in range(SESSIONS):
        session = attendance.add_session(
            cohort, cohort.starts_on + timedelta(days=n), f"Séance {n + 1}"
        )
        for learner in learners.values():
            attendance.set_attendance(session, learner, n != 3, trainer)


def _graded(learner: User, policy: policies.Policy, content: Content, say) -> bool:
    """Submit the reference solution of every required exercise and grade it as a worker
    does, in the real grader containers (the submissions committed first: a worker claims only
    what is committed)."""
    with unit_of_work():
        for exercise_id in policy.exercises:
            exercise = content.exercises[exercise_id]
            operations.submit(learner, exercise, exercise.solution(), content.commit, 10**6)
    for _ in range(len(policy.exercises) * 2):
        if not operations.grade_next(content, max_attempts=1):
            break
    graded = db.session.scalars(
        select(Submission).where(Submission.learner_id == learner.id, Submission.score.is_not(None))
    ).all()
    say(f"graded {len(graded)} demo submissions of {learner.email}")
    return len(graded) >= len(policy.exercises)
