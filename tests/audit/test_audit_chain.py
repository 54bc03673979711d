"""The audit log: every grading and review is an event chained to the one before; editing a
score, an event or the whole chain behind the application's back is found by `verify`, down to
the event that was broken."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from lms import audit
from lms.audit import chain
from lms.audit.signing import ed25519_signer, ed25519_verifier
from lms.extensions import db
from lms.models import AuditEvent, Submission, SubmissionStatus
from lms.models.base import utcnow
from lms.submissions import operations
from tests.projects.conftest import deliver, review

EXERCISE = "python-backend/prix-ttc"
KIND = "test.note"  # a kind without a source row: only the chain is checked


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def signer(key):
    return ed25519_signer(key, "https://lms.test/keys/1")


@pytest.fixture
def check_signature(key):
    return ed25519_verifier([key.public_key()])


@pytest.fixture
def graded(learner, loaded):
    """Grade a submission as a worker would, without Docker: claim it, then finish it."""

    def grade(score: int = 7) -> Submission:
        exercise = loaded.exercises[EXERCISE]
        files = exercise.solution()
        submission = operations.submit(learner, exercise, files, loaded.commit, 100_000)
        db.session.commit()
        claimed = operations.claim_next("worker-a", 3, timedelta(minutes=5))
        assert claimed.id == submission.id
        operations._finish(
            submission.id,
            "worker-a",
            status=SubmissionStatus.GRADED,
            score=score,
            max_score=10,
            image_digest="sha256:" + "d" * 64,
            content_commit=loaded.commit,
            finished_at=utcnow(),
        )
        return _reload(Submission, submission.id)

    return grade


class Intruder:
    """Someone with the schema owner's rights, who gets round the append-only triggers."""

    def __init__(self) -> None:
        if db.engine.dialect.name == "postgresql":
            for table in ("audit_events", "audit_checkpoints"):
                db.session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        else:
            for table in ("audit_events", "audit_checkpoints"):
                for operation in ("update", "delete"):
                    db.session.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{operation}"))
        db.session.commit()

    def execute(self, sql: str, **params) -> None:
        db.session.execute(text(sql), params)
        db.session.commit()
        db.session.expire_all()

    def rewrite_chain(self) -> None:
        """Recompute every hash and link from the first event, as `record` would have."""
        previous = audit.GENESIS
        for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all():
            event.prev_hash = previous
            previous = event.hash = audit.event_hash(event)
            db.session.execute(
                text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE seq = :s"),
                {"p": event.prev_hash, "h": event.hash, "s": event.seq},
            )
        db.session.commit()
        db.session.expire_all()


def _reload(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def _notes(count: int) -> list[AuditEvent]:
    events = [audit.record(KIND, f"note:{n}", {"n": n}) for n in range(1, count + 1)]
    db.session.commit()
    return events


def _events() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))


# The chain ---------------------------------------------------------------------------------


def test_events_link_each_to_the_hash_of_the_one_before(app):
    _notes(3)
    events = _events()
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == audit.GENESIS
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert len({e.hash for e in events}) == 3
    assert audit.verify(db.session) == audit.VerifyReport(True, 3)


def test_an_event_hash_is_reproducible_from_its_documented_canonical_json(app, create_user):
    trainer = create_user("trainer")
    audit.record(KIND, "note:1", {"b": [1, 2.5], "a": "é"}, actor=trainer)
    db.session.commit()
    event = _events()[0]
    fields = [
        1,
        event.at.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        KIND,
        trainer.id,
        "note:1",
        {"a": "é", "b": [1, 2.5]},
        "0" * 64,
    ]
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert event.hash == hashlib.sha256(canonical.encode()).hexdigest()


def test_the_database_refuses_to_update_or_delete_events(app):
    _notes(1)
    for sql in ("UPDATE audit_events SET kind = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(sql))
        db.session.rollback()
    assert len(_events()) == 1


def test_without_its_lock_a_racing_writer_is_refused_by_the_unique_seq(app, monkeypatch):
    """Both writers read the same head; the second insert fails, the chain does not fork."""
    _notes(1)
    monkeypatch.setattr(chain, "_lock_chain", lambda session: None)
    both_read = threading.Barrier(2, timeout=30)
    read_head = chain.head

    def head_then_wait(session):
        found = read_head(session)
        both_read.wait()
        return found

    monkeypatch.setattr(chain, "head", head_then_wait)
    outcomes = _in_threads(app, 2, lambda n: [audit.record(KIND, f"race:{n}", {})])
    refused = [outcome for outcome in outcomes if outcome is not None]
    assert len(refused) == 1 and isinstance(refused[0], IntegrityError)
    assert [e.seq for e in _events()] == [1, 2]
    assert audit.verify(db.session).ok


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_concurrent_appends_on_postgresql_make_one_unbroken_chain(app):
    def append(n: int) -> None:
        for i in range(25):
            audit.record(KIND, f"writer{n}:{i}", {"writer": n, "i": i})
            time.sleep(0.002)  # the transaction stays open: the other writer must wait
            db.session.commit()

    assert _in_threads(app, 2, append) == [None, None]
    events = _events()
    assert [e.seq for e in events] == list(range(1, 51))
    assert {e.data["writer"] for e in events} == {0, 1}
    assert audit.verify(db.session) == audit.VerifyReport(True, 50)


def _in_threads(app, count: int, work) -> list[Exception | None]:
    """Run ``work(n)`` in ``count`` threads, each with its own app context (and session);
    returns each one's exception, or None."""
    outcomes: list[Exception | None] = [None] * count
    start = threading.Barrier(count, timeout=30)

    def run(n: int) -> None:
        with app.app_context():
            start.wait()
            try:
                work(n)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001 - reported to the test
                db.session.rollback()
                outcomes[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


# What is recorded --------------------------------------------------------------------------


def test_every_graded_submission_is_recorded_with_the_facts_that_matter(graded, learner, loaded):
    first, second = graded(7), graded(10)
    events = _events()
    assert [(e.kind, e.subject, e.actor_id) for e in events] == [
        ("submission.graded", f"submission:{first.id}", None),
        ("submission.graded", f"submission:{second.id}", None),
    ]
    assert events[0].data == {
        "submission": first.id,
        "learner_id": learner.id,
        "exercise_id": EXERCISE,
        "score": 7,
        "max_score": 10,
        "code_hash": first.code_hash,
        "image_digest": "sha256:" + "d" * 64,
        "content_commit": loaded.commit,
    }
    assert audit.verify(db.session) == audit.VerifyReport(True, 2)


def test_a_result_dropped_for_a_lost_lease_records_nothing(learner, loaded):
    exercise = loaded.exercises[EXERCISE]
    operations.submit(learner, exercise, exercise.solution(), loaded.commit, 100_000)
    db.session.commit()
    submission = operations.claim_next("worker-a", 3, timedelta(minutes=5))
    operations._finish(submission.id, "worker-b", status=SubmissionStatus.GRADED, score=10)
    operations._finish(submission.id, "worker-a", status=SubmissionStatus.ERROR, attempts=1)
    assert _events() == []


@pytest.mark.docker
def test_a_real_grading_records_its_score_code_hash_image_and_commit(learner, loaded, grade_all):
    exercise = loaded.exercises[EXERCISE]
    submission = operations.submit(learner, exercise, exercise.solution(), loaded.commit, 100_000)
    db.session.commit()
    assert grade_all() == 1
    graded = _reload(Submission, submission.id)
    (event,) = _events()
    assert event.kind == "submission.graded" and event.subject == f"submission:{graded.id}"
    assert event.data["score"] == graded.score == 10
    assert event.data["code_hash"] == operations.code_hash(exercise.solution())
    assert event.data["image_digest"] == graded.image_digest and graded.image_digest
    assert event.data["content_commit"] == loaded.commit
    assert audit.verify(db.session).ok


def test_every_review_submission_is_recorded_with_its_reviewer(world):
    deliver(world.team, world.learners[0])
    revision = review(world.team, world.reviewer, "revision")
    deliver(world.team, world.learners[1])
    final = review(world.team, world.reviewer, "final", levels={"Fonctionnel": 1, "Code": 0})
    events = _events()
    assert [(e.kind, e.subject, e.actor_id) for e in events] == [
        ("review.submitted", f"review:{revision.id}", world.reviewer.id),
        ("review.submitted", f"review:{final.id}", world.reviewer.id),
    ]
    assert events[1].data == {
        "review": final.id,
        "team_id": world.team.id,
        "status": "final",
        "score": final.score,
        "max_score": 100.0,
        "digest": final.digest,
    }
    assert audit.verify(db.session) == audit.VerifyReport(True, 2)


# Tampering ---------------------------------------------------------------------------------


def test_a_score_edited_in_the_database_is_reported_at_its_event(graded):
    graded(3)
    target = graded(4)
    graded(5)
    Intruder().execute("UPDATE submissions SET score = 10 WHERE id = :id", id=target.id)
    report = audit.verify(db.session)
    assert not report.ok and report.first_broken_seq == 2
    assert f"submission:{target.id} was changed since: score 4 -> 10" in report.reason


def test_submitted_code_edited_in_the_database_is_reported(graded):
    target = graded(4)
    Intruder().execute(
        "UPDATE submissions SET files = :files WHERE id = :id",
        files=json.dumps({"prix.py": "print('mine')\n"}),
        id=target.id,
    )
    report = audit.verify(db.session)
    assert report.first_broken_seq == 1 and "files no longer match" in report.reason


def test_a_review_edited_in_the_database_is_reported_at_its_event(world):
    deliver(world.team, world.learners[0])
    final = review(world.team, world.reviewer, "final", levels={"Fonctionnel": 0, "Code": 0})
    Intruder().execute("UPDATE reviews SET score = 100 WHERE id = :id", id=final.id)
    report = audit.verify(db.session)
    assert report.first_broken_seq == 1 and "score 0.0 -> 100.0" in report.reason
    # Even the score and its digest edited together: the event still says otherwise.
    Intruder().execute("UPDATE reviews SET digest = :d WHERE id = :id", d="0" * 64, id=final.id)
    assert audit.verify(db.session).first_broken_seq == 1


def test_an_edited_event_breaks_its_own_hash(app):
    _notes(4)
    Intruder().execute("UPDATE audit_events SET data = :d WHERE seq = 3", d='{"n": 99}')
    report = audit.verify(db.session)
    assert (report.ok, report.first_broken_seq, report.checked) == (False, 3, 3)
    assert report.reason.startswith("hash mismatch")


def test_an_event_edited_with_its_hash_recomputed_breaks_the_next_link(app):
    _notes(4)
    event = _events()[2]
    db.session.expunge(event)  # an edited copy, to compute the hash the intruder stores
    event.data = {"n": 99}
    forged = audit.event_hash(event)
    Intruder().execute(
        "UPDATE audit_events SET data = :d, hash = :h WHERE seq = 3", d='{"n": 99}', h=forged
    )
    report = audit.verify(db.session)
    assert report.first_broken_seq == 4 and "not the hash of event #3" in report.reason


def test_a_deleted_event_breaks_the_link_at_the_next_seq(app):
    _notes(5)
    Intruder().execute("DELETE FROM audit_events WHERE seq = 3")
    report = audit.verify(db.session)
    assert (report.ok, report.first_broken_seq) == (False, 4)
    assert "event #3 is missing" in report.reason


def test_a_chain_rewritten_consistently_is_caught_by_a_signed_checkpoint(
    graded, signer, check_signature
):
    target = graded(2)
    graded(6)
    audit.checkpoint(signer)
    db.session.commit()
    graded(8)
    intruder = Intruder()
    # Score, event and every hash after it, all consistent with each other...
    intruder.execute("UPDATE submissions SET score = 10 WHERE id = :id", id=target.id)
    data = dict(_events()[0].data, score=10)
    intruder.execute("UPDATE audit_events SET data = :d WHERE seq = 1", d=json.dumps(data))
    intruder.rewrite_chain()
    assert [e.data["score"] for e in _events()] == [10, 6, 8]
    # ...but the head signed at event #2 is no longer there.
    report = audit.verify(db.session, check_signature)
    assert (report.ok, report.first_broken_seq) == (False, 2)
    assert "the chain was rewritten" in report.reason
    # Forging the checkpoint as well needs the issuer's private key.
    intruder.execute("UPDATE audit_checkpoints SET head_hash = :h", h=_events()[1].hash)
    assert audit.verify(db.session).ok, "without signatures, a forged checkpoint passes"
    report = audit.verify(db.session, check_signature)
    assert report.first_broken_seq == 2 and "forged or altered" in report.reason


def test_events_removed_from_the_end_are_caught_by_a_checkpoint(app, signer, check_signature):
    _notes(3)
    audit.checkpoint(signer)
    db.session.commit()
    Intruder().execute("DELETE FROM audit_events WHERE seq = 3")
    report = audit.verify(db.session, check_signature)
    assert report.first_broken_seq == 3 and "removed from its end" in report.reason


def test_a_graded_submission_inserted_behind_the_application_is_reported(graded, learner):
    real = graded(3)
    forged = Submission(
        learner_id=learner.id,
        exercise_id=EXERCISE,
        content_commit=real.content_commit,
        files=real.files,
        code_hash=real.code_hash,
        status=SubmissionStatus.GRADED,
        score=10,
        max_score=10,
    )
    db.session.add(forged)
    db.session.commit()
    report = audit.verify(db.session)
    assert (report.ok, report.first_broken_seq) == (False, None)
    assert f"submission {forged.id} has no submission.graded event" in report.reason


# The command -------------------------------------------------------------------------------


def test_lms_audit_verify_exits_0_when_sound_and_1_at_the_first_broken_event(runner, graded):
    graded(5)
    graded(6)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "audit chain OK: 2 events, 0 checkpoints" in result.output
    Intruder().execute("UPDATE submissions SET max_score = 5")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN at event #1: submission.graded" in result.output


def test_lms_audit_verify_checks_checkpoint_signatures_with_the_public_keys(
    runner, app, key, signer, tmp_path
):
    _notes(2)
    audit.checkpoint(signer)
    db.session.commit()
    published = tmp_path / "issuer.pem"
    published.write_bytes(
        key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    other = tmp_path / "other.pem"
    other.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )
    # By default the issuer's own keys are the judges: a key that is not one of them fails.
    default = runner.invoke(args=["audit", "verify"])
    assert default.exit_code == 1 and "BROKEN at event #2" in default.output
    checked = runner.invoke(args=["audit", "verify", "--public-key", str(published)])
    assert checked.exit_code == 0, checked.output
    assert "audit chain OK: 2 events, 1 checkpoints\n" in checked.output
    wrong = runner.invoke(args=["audit", "verify", "--public-key", str(other)])
    assert wrong.exit_code == 1 and "BROKEN at event #2" in wrong.output


def test_an_empty_log_verifies(runner):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "audit chain OK: 0 events, 0 checkpoints" in result.output


# The schema --------------------------------------------------------------------------------


def test_the_migration_downgrades_and_upgrades_again(app):
    directory = app.extensions["migrate"].directory
    _notes(1)
    downgrade(directory=directory, revision="0003")
    assert not {"audit_events", "audit_checkpoints"} & set(inspect(db.engine).get_table_names())
    upgrade(directory=directory)
    _notes(2)
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("DELETE FROM audit_events"))
    db.session.rollback()
    assert audit.verify(db.session) == audit.VerifyReport(True, 2)
