"""Every kind of event the chain records is registered by lms.create_app, never by an import:
``lms audit verify`` in a fresh process checks certificates and outcomes as well as gradings,
and refuses to run rather than skip a kind nothing checks."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from lms import assembly, audit, create_app
from lms.audit import kinds
from lms.extensions import db
from lms.models import Enrollment, Situation
from lms.outcomes.recording import operations as recording

LMS = Path(sys.executable).with_name("lms")


def lms_audit_verify(app) -> subprocess.CompletedProcess:
    """``lms audit verify`` in a process of its own, on the test's database and keys."""
    env = {
        **os.environ,
        "LMS_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "LMS_INSTANCE_DIR": app.instance_path,
        "LMS_KEYS_DIR": app.config["LMS_KEYS_DIR"],
        "LMS_BASE_URL": app.config["LMS_BASE_URL"],
        "LMS_SECRET_KEY": "test-secret",
    }
    return subprocess.run(
        [str(LMS), "audit", "verify"], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def certified_and_placed(app, issued, record):
    """An issued certificate, and a situation its learner reported: both in the chain."""
    enrollment = db.session.scalar(
        db.select(Enrollment).where(Enrollment.learner_id == record.learner.id)
    )
    situation = recording.report_situation(
        record.learner, enrollment, Situation.SEEKING, date.today()
    )
    db.session.commit()
    return issued, situation


def _tamper(sql: str, **params) -> None:
    db.session.execute(text(sql), params)
    db.session.commit()


def test_a_fresh_lms_audit_verify_checks_certificates_and_outcomes(app, certified_and_placed):
    certificate, situation = certified_and_placed
    sound = lms_audit_verify(app)
    assert sound.returncode == 0, sound.stderr
    assert "audit chain OK" in sound.stdout

    issued_track = certificate.track
    _tamper("UPDATE certificates SET track = 'cybersecurite' WHERE id = :id", id=certificate.id)
    broken = lms_audit_verify(app)
    assert broken.returncode == 1
    assert f"certificate.issued: certificate:{certificate.id} was changed" in broken.stderr
    _tamper(
        "UPDATE certificates SET track = :track WHERE id = :id",
        track=issued_track,
        id=certificate.id,
    )

    _tamper("UPDATE outcome_records SET situation = 'not_seeking' WHERE id = :id", id=situation.id)
    broken = lms_audit_verify(app)
    assert broken.returncode == 1
    assert f"outcome.recorded: outcome:{situation.id} was changed" in broken.stderr


def test_create_app_registers_every_declared_kind_and_importing_registers_nothing(app):
    assert set(assembly.AUDITED) == kinds.DECLARED
    assert kinds.DECLARED <= set(audit.registry().registrations)
    # A fresh interpreter that imports every feature's operations, but builds no app.
    code = (
        "import lms.audit, lms.certification.issuing.operations, "
        "lms.outcomes.recording.operations, lms.projects.operations, lms.submissions.operations\n"
        "from lms import signals\n"
        "connected = [s.name for s in vars(signals).values()\n"
        "             if hasattr(s, 'receivers') and s.receivers]\n"
        "print(connected)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", "a signal got a receiver from an import"


def test_verify_refuses_while_a_declared_kind_has_no_source(app, issued):
    del audit.registry().registrations[kinds.CERTIFICATE_ISSUED]
    with pytest.raises(audit.UncheckedKinds, match="certificate.issued"):
        audit.verify(db.session)


def test_verify_refuses_a_kind_found_in_the_chain_that_nobody_registered(app, runner):
    audit.record("mystery.kind", "mystery:1", {"what": "nobody knows"})
    db.session.commit()
    with pytest.raises(audit.UncheckedKinds, match="mystery.kind"):
        audit.verify(db.session)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 2
    assert "refusing to verify" in result.output and "mystery.kind" in result.output


def test_an_app_cannot_be_built_with_a_declared_kind_left_out(app_config):
    registrations = {kind: audit.ChainOnly() for kind in kinds.CHAIN_ONLY}
    bare = create_app(app_config)
    with pytest.raises(audit.UnknownKind, match="declared but not registered"):
        audit.init_app(bare, registrations)
