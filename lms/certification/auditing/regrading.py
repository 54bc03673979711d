"""Re-grade runs: every submission a certificate's evidence cites, graded again under the
current graders against the exercise at its recorded content commit, each result kept beside
the recorded score (never over it: that score is evidence); then every certificate's policy
evaluated again with the new scores, and those whose evidence no longer meets it flagged for
an auditor to suspend.

A run is a background job whose steps are units of work of their own (:mod:`lms.transactions`):
starting or taking up a run, and each result as it comes, so it can be interrupted and resumed:
taken up again, it grades only the submissions it has no result for yet (and those whose
grading failed).
Whoever works on a run holds it by beating ``heartbeat_at``; a run nobody moved for
:data:`STALE_AFTER` was interrupted (its process died) and anyone may take it up. ``lms audit
regrade`` works in its own process; the auditor's page starts a thread of the web process, as
the content webhook does for its sync (:func:`lms.content.releases.sync_in_background`), so it
needs no broker.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, or_, select, update

from lms import content as content_module
from lms.certification.auditing import operations as auditing
from lms.certification.issuing import policy as policies
from lms.content.model import Content
from lms.errors import DomainError, discard_session
from lms.extensions import db
from lms.models import Certificate, CertificateStatus, RegradeResult, RegradeRun, Submission, User
from lms.models.base import utcnow
from lms.transactions import transactional, unit_of_work

log = logging.getLogger(__name__)

#: A run whose worker has not moved it for this long was interrupted: anyone may resume it.
#: Well over the longest grading (an exercise's time limit is a minute at most).
STALE_AFTER = timedelta(minutes=5)
#: ``app.extensions`` key of this process's re-grade thread.
THREAD = "lms.regrade"


class RegradeError(DomainError, ValueError):
    """A run that cannot be started, resumed or carried on, and why."""


def worker_name() -> str:
    """Who works on a run: unique per call, so two threads of a process never share a claim."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


# What is cited ---------------------------------------------------------------------------------


def cited_ids(manifest: dict) -> set[int]:
    """The submissions a certificate's manifest cites, whatever threshold they count for."""
    return {
        item["id"]
        for threshold in manifest.get("thresholds", [])
        for item in threshold.get("evidence", [])
        if item["type"] == "submission"
    }


#: Certificates that are or may become valid: a revoked one stays revoked whatever its
#: evidence scores now, so its evidence is not re-graded.
STANDING = Certificate.status != CertificateStatus.REVOKED


def cited_submissions() -> list[int]:
    """Every submission cited by a certificate that is not revoked, in id order."""
    ids: set[int] = set()
    manifests = db.session.scalars(
        select(Certificate.manifest).where(STANDING).execution_options(yield_per=500)
    )
    for manifest in manifests:
        ids |= cited_ids(manifest)
    return sorted(ids)


# Starting and holding a run --------------------------------------------------------------------


def latest_unfinished() -> RegradeRun | None:
    return db.session.scalar(
        select(RegradeRun)
        .where(RegradeRun.finished_at.is_(None))
        .order_by(RegradeRun.id.desc())
        .limit(1)
    )


def begin(actor: User | None, worker: str, new: bool = False) -> RegradeRun:
    """The run ``worker`` is to work on: the latest unfinished one (resumed), or a new one
    when there is none or ``new`` is asked. The run is committed at once, in a unit of work of
    its own: whoever works on it (a thread, another process) must find it. Raises
    :class:`RegradeError` when the unfinished run is being worked on elsewhere."""
    with unit_of_work():
        run = None if new else latest_unfinished()
        if run is None:
            run = RegradeRun(started_by_id=actor.id if actor else None, started_at=utcnow())
            db.session.add(run)
    if not claim(run.id, worker):
        db.session.refresh(run)
        raise RegradeError(
            f"re-grade run #{run.id} is in progress ({run.worker}, last moved "
            f"{run.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC)"
        )
    db.session.refresh(run)
    return run


@transactional
def claim(run_id: int, worker: str) -> bool:
    """Take an unfinished run unless another worker moved it within STALE_AFTER. Atomic, so
    two processes never work on one run; a unit of work of its own, so that the others see
    it taken."""
    now = utcnow()
    taken = db.session.execute(
        update(RegradeRun)
        .where(
            RegradeRun.id == run_id,
            RegradeRun.finished_at.is_(None),
            or_(
                RegradeRun.worker.is_(None),
                RegradeRun.worker == worker,
                RegradeRun.heartbeat_at < now - STALE_AFTER,
            ),
        )
        .values(worker=worker, heartbeat_at=now)
    )
    return taken.rowcount == 1


@transactional
def release(run_id: int, worker: str) -> None:
    """Let anyone resume the run at once (the worker stopped, e.g. on Ctrl-C): a unit of work
    of its own, after what the interrupted step did is rolled back."""
    discard_session()
    db.session.execute(
        update(RegradeRun)
        .where(RegradeRun.id == run_id, RegradeRun.worker == worker)
        .values(worker=None)
    )


def is_active(run: RegradeRun) -> bool:
    """Someone is working on it now (as far as its heartbeat tells)."""
    return (
        run.finished_at is None
        and run.worker is not None
        and run.heartbeat_at is not None
        and run.heartbeat_at >= utcnow() - STALE_AFTER
    )


# Working on a run ------------------------------------------------------------------------------

#: Told the run once its work is known (result None: ``total``, ``done`` and ``failed`` say
#: what is left), then after each committed result (the counters up to date).
Report = Callable[[RegradeRun, RegradeResult | None], None]


@transactional
def pending(run: RegradeRun) -> list[int]:
    """Cited submissions the run has no successful result for, in id order; sets ``total``
    (cited now, plus any tried earlier whose certificate was revoked since) and the
    counters, in a unit of work of its own: the run's page shows them while it works."""
    results = db.session.execute(
        select(RegradeResult.submission_id, RegradeResult.error).where(
            RegradeResult.run_id == run.id
        )
    ).all()
    graded = {submission_id for submission_id, error in results if error is None}
    cited = cited_submissions()
    run.total = len(set(cited) | {submission_id for submission_id, _ in results})
    run.done, run.failed = tally(run.id)
    return [submission_id for submission_id in cited if submission_id not in graded]


def work(
    run_id: int, worker: str, docker_url: str | None, report: Report | None = None
) -> RegradeRun:
    """Grade what the run still lacks, each result a unit of work of its own (the run can be
    interrupted and resumed), then evaluate the certificates and finish it. Any interruption
    (Ctrl-C, an error, the graders going down) leaves it unfinished and released, to be
    resumed. ``worker`` must hold the run (:func:`begin`)."""
    run = db.session.get(RegradeRun, run_id)
    try:
        contents: dict[str, Content | None] = {}
        todo = pending(run)
        if report is not None:
            report(run, None)
        for submission_id in todo:
            with unit_of_work():
                result = regrade_one(run, submission_id, docker_url, contents)
                if not _beat(run, worker):
                    raise RegradeError(f"re-grade run #{run.id} was taken over by another worker")
            if report is not None:
                report(run, result)
        with unit_of_work():
            finish(run)
    except BaseException:
        release(run_id, worker)
        raise
    return run


def regrade_one(
    run: RegradeRun, submission_id: int, docker_url: str | None, contents: dict
) -> RegradeResult:
    """Grade one cited submission again and store the result in the run (flushed, not
    committed). A failure of that grading is stored as the result's error; the graders
    being unavailable stops the run (:class:`RegradeError`): nothing is wrong with the
    submission, and the run resumes once they are back."""
    submission = db.session.get(Submission, submission_id)
    recorded = _recorded(submission)
    outcome, error = None, None
    try:
        outcome = auditing.rerun(submission, docker_url, _content(submission, contents))
    except auditing.GraderUnavailable as exc:
        raise RegradeError(str(exc)) from None
    except auditing.AuditError as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001 - one submission must not stop the whole run
        log.exception("re-grading submission %s failed", submission_id)
        discard_session()  # nothing of this submission's step is kept but its error
        error = f"{type(exc).__name__}: {exc}"
    result = _result_row(run.id, submission_id)
    for name, value in recorded.items():
        setattr(result, name, value)
    _fill(result, outcome, error)
    db.session.flush()
    return result


def _recorded(submission: Submission) -> dict:
    return {
        "exercise_id": submission.exercise_id,
        "recorded_score": submission.score,
        "recorded_max": submission.max_score,
        "recorded_digest": submission.image_digest,
    }


def _content(submission: Submission, contents: dict) -> Content:
    """The content at the submission's commit, loaded once per run and commit (loading takes
    half a second)."""
    commit = submission.content_commit
    if commit not in contents:
        contents[commit] = auditing.content_at(commit)
    if contents[commit] is None:
        raise auditing.AuditError(f"no snapshot of content commit {commit} is available")
    return contents[commit]


def _result_row(run_id: int, submission_id: int) -> RegradeResult:
    """The run's result for the submission: the failed one being retried, or a new one."""
    existing = db.session.scalar(
        select(RegradeResult).where(
            RegradeResult.run_id == run_id, RegradeResult.submission_id == submission_id
        )
    )
    if existing is not None:
        return existing
    result = RegradeResult(run_id=run_id, submission_id=submission_id)
    db.session.add(result)
    return result


def _fill(result: RegradeResult, outcome: auditing.Rerun | None, error: str | None) -> None:
    result.graded_at = utcnow()
    result.error = error
    result.new_score = outcome.rerun_score if outcome else None
    result.new_max = outcome.max_score if outcome else None
    result.new_digest = outcome.rerun_digest if outcome else None
    result.image_tag = outcome.image_tag if outcome else None
    result.limit_hit = outcome.limit_hit if outcome else None
    result.tests = outcome.tests if outcome else None


def _beat(run: RegradeRun, worker: str) -> bool:
    """Move the heartbeat and the counters, if ``worker`` still holds the run."""
    done, failed = tally(run.id)
    moved = db.session.execute(
        update(RegradeRun)
        .where(RegradeRun.id == run.id, RegradeRun.worker == worker)
        .values(heartbeat_at=utcnow(), done=done, failed=failed)
    )
    return moved.rowcount == 1


def tally(run_id: int) -> tuple[int, int]:
    """(re-graded, failed) results of the run."""
    row = db.session.execute(
        select(func.count(RegradeResult.id), func.count(RegradeResult.error)).where(
            RegradeResult.run_id == run_id
        )
    ).one()
    return row[0] - row[1], row[1]


def changed_results(run: RegradeRun, limit: int | None = None) -> list[RegradeResult]:
    """Results where the current graders give another score than the recorded one."""
    query = (
        select(RegradeResult)
        .where(
            RegradeResult.run_id == run.id,
            RegradeResult.new_score.is_not(None),
            or_(
                RegradeResult.new_score != RegradeResult.recorded_score,
                RegradeResult.recorded_score.is_(None),
                RegradeResult.new_max != RegradeResult.recorded_max,
            ),
        )
        .order_by(RegradeResult.submission_id)
    )
    return list(db.session.scalars(query.limit(limit) if limit else query))


def failed_results(run: RegradeRun) -> list[RegradeResult]:
    return list(
        db.session.scalars(
            select(RegradeResult)
            .where(RegradeResult.run_id == run.id, RegradeResult.error.is_not(None))
            .order_by(RegradeResult.submission_id)
        )
    )


# The certificates, evaluated again -------------------------------------------------------------


def finish(run: RegradeRun) -> None:
    """Evaluate every standing certificate's policy with the run's new scores; keep those
    that fail it (``flagged``) and those that could not be checked (``unchecked``: evidence
    not graded again, or a policy that cannot be applied, with the reason). Flushes."""
    results = {
        r.submission_id: r
        for r in db.session.scalars(select(RegradeResult).where(RegradeResult.run_id == run.id))
    }
    flagged, unchecked, contents = [], [], {}
    standing = select(Certificate).where(STANDING).order_by(Certificate.id)
    for certificate in db.session.scalars(standing).all():
        cited = cited_ids(certificate.manifest)
        failed = sorted(i for i in cited if i not in results or results[i].error is not None)
        reason = None
        try:
            flag = evaluate_again(certificate, results, contents)
        except policies.PolicyError as exc:
            flag, reason = None, str(exc)
        if flag is not None:
            flagged.append(flag)
        if failed or reason:
            unchecked.append(
                {"certificate_id": certificate.id, "submissions": failed, "reason": reason}
            )
    done, failed_count = tally(run.id)
    run.done, run.failed = done, failed_count
    run.flagged, run.unchecked = flagged, unchecked
    run.finished_at, run.worker = utcnow(), None
    db.session.flush()


def evaluate_again(
    certificate: Certificate, results: dict[int, RegradeResult], contents: dict
) -> dict | None:
    """The certificate's flag when its evidence, scored with the new results, no longer
    meets its policy (as recorded in the certificate); None when it still does.

    A flag: ``certificate_id``, ``changes`` (each cited submission whose score changed:
    ``submission``, ``exercise``, ``old_score``, ``old_max``, ``new_score``, ``new_max``) and
    ``failing`` (each threshold now unmet: ``name``, ``required``, ``recorded`` and ``now``
    achieved, ``missing``)."""
    changes = _changes(certificate, results)
    if not changes:
        return None  # same scores, same verdict: no need to evaluate
    scores = {c["submission"]: (c["new_score"], c["new_max"]) for c in changes}
    policy = policies.Policy.from_dict(
        certificate.track, certificate.policy_commit, certificate.policy
    )
    thresholds = policies.rescore(
        policy,
        certificate.manifest["thresholds"],
        scores,
        _policy_content(certificate.policy_commit, contents),
    )
    if all(t.met for t in thresholds):
        return None
    recorded = {t["name"]: t["achieved"] for t in certificate.evaluation}
    failing = [
        {
            "name": t.name,
            "required": t.required,
            "recorded": recorded.get(t.name),
            "now": round(t.achieved, 4),
            "missing": t.missing,
        }
        for t in thresholds
        if not t.met
    ]
    return {"certificate_id": certificate.id, "changes": changes, "failing": failing}


def _changes(certificate: Certificate, results: dict[int, RegradeResult]) -> list[dict]:
    changes, seen = [], set()
    for threshold in certificate.manifest.get("thresholds", []):
        for item in threshold.get("evidence", []):
            result = results.get(item["id"]) if item["type"] == "submission" else None
            if result is None or result.new_score is None or item["id"] in seen:
                continue
            seen.add(item["id"])
            if (result.new_score, result.new_max) != (item["score"], item["max_score"]):
                changes.append(
                    {
                        "submission": item["id"],
                        "exercise": item["exercise"],
                        "old_score": item["score"],
                        "old_max": item["max_score"],
                        "new_score": result.new_score,
                        "new_max": result.new_max,
                    }
                )
    return changes


def _policy_content(commit: str, contents: dict) -> Content:
    """The content the policy was applied with (exercise titles, the modules' exercises);
    the current content when that commit has no snapshot any more."""
    if commit not in contents:
        contents[commit] = auditing.content_at(commit)
    return contents[commit] or content_module.current()


# Reading a run ---------------------------------------------------------------------------------


def flagged_certificates(run: RegradeRun) -> list[tuple[dict, Certificate]]:
    """Each flag of the finished run with its certificate as it is now (one query)."""
    return _with_certificates(run.flagged or [])


def unchecked_certificates(run: RegradeRun) -> list[tuple[dict, Certificate]]:
    """Each certificate of the finished run that could not be checked, as it is now."""
    return _with_certificates(run.unchecked or [])


def _with_certificates(entries: list[dict]) -> list[tuple[dict, Certificate]]:
    ids = [entry["certificate_id"] for entry in entries]
    found = {
        c.id: c for c in db.session.scalars(select(Certificate).where(Certificate.id.in_(ids)))
    }
    return [(e, found[e["certificate_id"]]) for e in entries if e["certificate_id"] in found]


def flag_of(run: RegradeRun, certificate_id: int) -> dict | None:
    """The run's flag of this certificate, if the run flagged it."""
    return next((f for f in run.flagged or [] if f["certificate_id"] == certificate_id), None)


def recent_runs(limit: int = 20) -> list[RegradeRun]:
    return list(db.session.scalars(select(RegradeRun).order_by(RegradeRun.id.desc()).limit(limit)))


# In the background -----------------------------------------------------------------------------


def start_in_background(app: Flask, actor: User) -> RegradeRun:
    """Begin (or resume) a run for ``actor`` and work on it in a thread of this process; the
    caller gets the run at once. Raises :class:`RegradeError` when it is in progress."""
    worker = worker_name()
    run = begin(actor, worker)
    thread = threading.Thread(
        target=_work_in_thread,
        args=(app, run.id, worker),
        name=f"lms-regrade-{run.id}",
        daemon=True,
    )
    app.extensions[THREAD] = thread  # tests join it
    thread.start()
    return run


def _work_in_thread(app: Flask, run_id: int, worker: str) -> None:
    # The job's unit of work; each result commits on its own inside it (work()).
    with app.app_context(), unit_of_work():
        try:
            run = work(run_id, worker, app.config.get("LMS_DOCKER_URL"))
            log.info("re-grade run %s finished: %d flagged", run_id, len(run.flagged or []))
        except RegradeError as exc:
            log.warning("re-grade run %s stopped: %s", run_id, exc)
        except Exception:  # noqa: BLE001 - a thread has nobody to raise to
            log.exception("re-grade run %s stopped", run_id)
