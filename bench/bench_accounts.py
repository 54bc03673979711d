"""Accounts and answers for bench/load.py: learners of the demo cohort, each with an API token,
and each exercise's right and wrong answer. Runs inside an app context of the instance under
test (bench/load.py starts it in a child process)."""

from __future__ import annotations

from datetime import timedelta

from lms import content
from lms.admin import operations as ops
from lms.admin.demo import COHORT, OPERATOR
from lms.api import tokens
from lms.extensions import db
from lms.models import Role, User


def create(count: int, password: str) -> list[dict]:
    """``count`` learners ``load-learner<n>@demo.test`` enrolled in the demo cohort."""
    cohort = ops.find_cohort(COHORT)
    operator = ops.find_organization(OPERATOR)
    first = ops.create_user("load-learner1@demo.test", "Load 1", "learner", password, operator)
    accounts = []
    for n in range(1, count + 1):
        learner = first if n == 1 else _copy(first, n)
        ops.enrol(cohort, learner)
        issued = tokens.issue(learner, tokens.TokenRequest(timedelta(days=1)))
        accounts.append({"email": learner.email, "token": issued.secret})
    db.session.commit()
    return accounts


def answers(track: str) -> dict[str, dict[str, dict[str, str]]]:
    """Per exercise of ``track`` graded in a container: the reference solution ("right", full
    marks by construction: `lms content check` grades it) and the starter code ("wrong")."""
    exercises = content.current().exercises.values()
    return {
        e.id: {"right": e.solution(), "wrong": e.starter()}
        for e in exercises
        if e.track == track and not e.quiz
    }


def _copy(first: User, n: int) -> User:
    # Made like ops.create_user does, with the first account's password hash: scrypt costs
    # about 0.1 s a user, and every load-test account has the same password anyway.
    learner = User(
        email=f"load-learner{n}@demo.test",
        name=f"Load {n}",
        role=Role.LEARNER,
        organization=first.organization,
        password_hash=first.password_hash,
    )
    db.session.add(learner)
    db.session.flush()
    return learner
