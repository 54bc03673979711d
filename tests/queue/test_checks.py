"""Deliverable checks go through the outbox too, and their task runs the check once; the
lease a check's heartbeat renews is its own, never one another worker took since."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.extensions import db
from lms.models import CheckStatus, Deliverable, OutboxKind
from lms.models.base import utcnow
from lms.projects import checks
from lms.queue import jobs
from tests.projects.conftest import english_messages, world  # noqa: F401 - fixtures
from tests.projects.test_deliverable_checks import GOOD, _hand_in, checked_offer  # noqa: F401
from tests.queue.conftest import outbox_rows

# The outbox itself runs on both databases in test_outbox.py; here, one is enough.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_a_deliverable_handed_in_with_a_check_is_committed_with_its_outbox_row(checked_offer):  # noqa: F811
    deliverable = _hand_in(checked_offer, {"projet/colis.py": GOOD})
    assert deliverable.check_status == CheckStatus.QUEUED
    assert [(row.kind, row.target_id) for row in outbox_rows()] == [
        (OutboxKind.CHECK, deliverable.id)
    ]


@pytest.mark.docker
def test_the_check_task_runs_the_check_once(checked_offer):  # noqa: F811
    deliverable = _hand_in(checked_offer, {"projet/colis.py": GOOD})
    assert jobs.run_check(deliverable.id) is True
    db.session.refresh(deliverable)
    assert deliverable.check_status == CheckStatus.DONE
    assert deliverable.check_result["score"] == 3
    assert jobs.run_check(deliverable.id) is False, "a duplicate message does nothing"


def test_a_check_s_lease_is_renewed_by_its_worker_and_never_once_another_took_it(checked_offer):  # noqa: F811
    deliverable = _hand_in(checked_offer, {"projet/colis.py": GOOD})
    mine = checks.claim(deliverable.id, timedelta(seconds=30))
    lease = checks.CheckLease(mine.id, mine.check_lease_until)
    assert lease.renew(utcnow() + timedelta(seconds=30)) is True
    # The worker went silent past its lease; another one claims the check.
    db.session.execute(
        db.update(Deliverable).values(check_lease_until=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    theirs = checks.claim(deliverable.id, timedelta(minutes=5)).check_lease_until
    assert lease.renew(utcnow() + timedelta(seconds=30)) is False
    db.session.expire_all()
    assert db.session.get(Deliverable, deliverable.id).check_lease_until == theirs
