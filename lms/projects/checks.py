"""Automated checks on deliverables: the company's test suite run against the team's archive,
in the same sandbox and grader images as exercises. Reviewers see the result beside the rubric;
it informs their judgement and is never a score by itself.

Like submissions, the deliverable row is the truth: a worker claims a queued check with a
lease that its heartbeat keeps alive (:mod:`lms.leases`), and a check whose worker died is
claimed again once the lease is over. A check is a background job whose steps are units of
work of their own (:mod:`lms.transactions`): the claim, each beat, the result; a result is
announced (:data:`lms.signals.deliverable_checked`).
"""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import or_, select, update

from lms import grading, signals
from lms.extensions import db
from lms.leases import DEFAULT_TERMS, LeaseTerms, heartbeat, persist
from lms.models import CheckStatus, Deliverable
from lms.models.base import utcnow
from lms.projects import storage
from lms.projects.archives import ArchiveRejected, safe_extract
from lms.transactions import transactional, unit_of_work
from sandbox import Job, Limits, SandboxError, SandboxUnavailable, run, runner

log = logging.getLogger(__name__)

#: Graders whose harness takes a folder of work as well as single files.
CHECK_GRADERS = ("python", "data", "ml", "javascript")
#: A whole project's suite gets more time than an exercise.
CHECK_LIMITS = Limits(timeout_seconds=60, memory_mb=512, pids=128)
#: The longest a worker may hold a check (archive, suite, container): past it, its heartbeat
#: stops and the check is taken back, even from a worker that is alive but stuck.
HOLD_LIMIT = timedelta(seconds=CHECK_LIMITS.timeout_seconds + 120)
MAX_TEST_FILE_BYTES = 256 * 1024


def suite_max_score(grader: str, tests: dict[str, str]) -> int:
    """Points of a company's test suite, read statically like an exercise's tests."""
    with tempfile.TemporaryDirectory() as folder:
        tests_dir = _write_tests(Path(folder), tests)
        found = grading.discover_tests(grader, tests_dir)
    return sum(test.points for test in found)


def _write_tests(folder: Path, tests: dict[str, str]) -> Path:
    tests_dir = folder / "tests"
    tests_dir.mkdir()
    for name, text in tests.items():
        (tests_dir / Path(name).name).write_text(text, encoding="utf-8")
    return tests_dir


def claim_next(lease: timedelta = DEFAULT_TERMS.term) -> Deliverable | None:
    """Take the oldest waiting check (or one whose worker's lease ran out)."""
    candidate = db.session.scalar(
        select(Deliverable.id).where(_waiting(utcnow())).order_by(Deliverable.id).limit(1)
    )
    if candidate is None:
        return None
    return claim(candidate, lease)  # None if another worker was faster


def claim(deliverable_id: int, lease: timedelta = DEFAULT_TERMS.term) -> Deliverable | None:
    """Take this deliverable's check if it waits; None otherwise (done, or running elsewhere),
    so a duplicate message is harmless."""
    if not _take(deliverable_id, lease):
        return None
    return db.session.get(Deliverable, deliverable_id, populate_existing=True)


@transactional
def _take(deliverable_id: int, lease: timedelta) -> bool:
    """The claim, a unit of work of its own: committed before the suite runs for a minute, so
    that other workers see the check taken."""
    now = utcnow()
    claimed = db.session.execute(
        update(Deliverable)
        .where(Deliverable.id == deliverable_id, _waiting(now))
        .values(check_status=CheckStatus.RUNNING, check_lease_until=now + lease)
    )
    return claimed.rowcount == 1


def _waiting(now):
    return or_(
        Deliverable.check_status == CheckStatus.QUEUED,
        (Deliverable.check_status == CheckStatus.RUNNING) & (Deliverable.check_lease_until < now),
    )


def run_next(docker_url: str | None = None, terms: LeaseTerms = DEFAULT_TERMS) -> bool:
    """Run one waiting check; False when there was none."""
    deliverable = claim_next(terms.term)
    if deliverable is None:
        return False
    run_check(deliverable, docker_url, terms)
    return True


def run_check(
    deliverable: Deliverable, docker_url: str | None = None, terms: LeaseTerms = DEFAULT_TERMS
) -> None:
    """Run a claimed check and record its outcome (back to queued while Docker is down). A
    heartbeat keeps the lease meanwhile; an outcome the database cannot take at once is
    written when it is back."""
    deliverable_id, what = deliverable.id, f"check of deliverable {deliverable.id}"
    lease = CheckLease(deliverable_id, deliverable.check_lease_until)
    with heartbeat(lease.renew, terms, utcnow() + HOLD_LIMIT, what):
        try:
            values = _run(deliverable, docker_url)
        except SandboxUnavailable as exc:
            log.warning("deliverable check %s waits for Docker: %s", deliverable_id, exc)
            values = {"check_status": CheckStatus.QUEUED, "check_lease_until": None}
        persist(partial(_record, deliverable_id, values), what)


class CheckLease:
    """The lease of a check this worker runs. Deliverables name no worker: the lease's expiry,
    which every claim and beat sets anew, tells whether the check is still this worker's."""

    def __init__(self, deliverable_id: int, until: datetime) -> None:
        self.deliverable_id = deliverable_id
        #: Expiries this worker set. Several after a beat whose commit was cut: it may or may
        #: not have reached the database.
        self.mine = {until}

    def renew(self, until: datetime) -> bool:
        """Move the lease to ``until``; False when another worker holds it (or none does).
        Each beat is a unit of work of its own: a lease is only worth what others can read."""
        self.mine.add(until)
        with unit_of_work():
            renewed = db.session.execute(
                update(Deliverable)
                .where(
                    Deliverable.id == self.deliverable_id,
                    Deliverable.check_status == CheckStatus.RUNNING,
                    Deliverable.check_lease_until.in_(self.mine),
                )
                .values(check_lease_until=until)
            )
        if renewed.rowcount == 1:
            self.mine = {until}
        return renewed.rowcount == 1


@transactional
def _record(deliverable_id: int, values: dict) -> None:
    """The outcome, a unit of work of its own that :func:`lms.leases.persist` tries again while
    the database is unreachable: the suite ran, its result must be kept."""
    db.session.execute(update(Deliverable).where(Deliverable.id == deliverable_id).values(**values))
    if values["check_status"] in (CheckStatus.DONE, CheckStatus.ERROR):
        checked = db.session.get(Deliverable, deliverable_id, populate_existing=True)
        signals.deliverable_checked.send(checked)


def _run(deliverable: Deliverable, docker_url: str | None) -> dict:
    version = deliverable.team.offer.version
    grader_name, tests = version.check_grader, version.check_tests or {}
    if grader_name not in CHECK_GRADERS or not tests:
        return _failed("this brief has no usable automated check")
    grader = grading.get(grader_name)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        try:
            work = _project_root(
                safe_extract(storage.read(deliverable.archive_sha256), root / "work")
            )
        except (ArchiveRejected, OSError) as exc:
            return _failed(f"the archive could not be unpacked: {exc}")
        tests_dir = _write_tests(root, tests)
        job = Job(
            image=grader.image,
            files={},
            files_dir=work,
            tests_dir=tests_dir,
            limits=CHECK_LIMITS,
            labels={"lms.deliverable": str(deliverable.id)},
            max_score=suite_max_score(grader_name, tests),
        )
        engine = runner.client(docker_url) if docker_url else None
        try:
            result = run(job, engine)
        except SandboxUnavailable:
            raise  # Docker is down: the check waits, it has not failed
        except SandboxError as exc:
            return _failed(f"the check could not run: {exc}")
    return {
        "check_status": CheckStatus.DONE,
        "check_result": result.to_json(),
        "check_image_digest": result.image_digest,
        "check_lease_until": None,
    }


def _project_root(files: list[Path]) -> Path:
    """The folder holding the project: an archive made of one top folder is unwrapped."""
    if not files:
        raise ArchiveRejected("the archive is empty")
    base = files[0]
    while base.parent.name != "work":
        base = base.parent
    work = base.parent
    tops = {f.relative_to(work).parts[0] for f in files}
    if len(tops) == 1 and (work / next(iter(tops))).is_dir():
        return work / next(iter(tops))
    return work


def _failed(reason: str) -> dict:
    return {
        "check_status": CheckStatus.ERROR,
        "check_result": {"error": reason, "tests": []},
        "check_lease_until": None,
    }
