"""What auditors see: certificates browsed by cohort, operator, region, track and status; each
piece of evidence checked again (code hash, review digest, manifest digest, credential proof,
audit chain); a recorded submission re-graded under the current graders against its recorded
content; and a self-contained evidence bundle. Read-only: nothing here writes to the database
(re-grade runs, which store their results, are in :mod:`lms.certification.auditing.regrading`)."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from pygments.lexers import get_lexer_for_filename
from pygments.util import ClassNotFound
from sqlalchemy import select

from lms import audit, grading, transactions
from lms.certification.auditing import checkpoints
from lms.certification.issuing import operations as service
from lms.certification.verification import publication
from lms.content import releases
from lms.content.loader import load
from lms.content.markdown import highlight_code
from lms.content.model import Content, Exercise
from lms.errors import DomainError
from lms.extensions import db
from lms.models import Cohort, Organization, Review, Submission, User
from lms.models.certification import Certificate, CertificateStatus
from lms.projects import operations as projects
from lms.submissions.operations import code_hash
from sandbox import SandboxError, SandboxUnavailable

PAGE_SIZE = 50
VERIFIER_SCRIPT = Path(__file__).parent.parent / "verification" / "bundle.py"


class AuditError(DomainError, ValueError):
    """Something an auditor asked for that cannot be done, and why."""


class GraderUnavailable(AuditError):
    """The grading platform is down (Docker unreachable, image not built): nothing is wrong
    with the submission, try again later."""

    status_code = 503


# Browsing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    cohort: int | None = None
    operator: int | None = None
    region: str = ""
    track: str = ""
    status: str = ""


@dataclass(frozen=True)
class Row:
    certificate: Certificate
    learner: User
    cohort: Cohort
    operator: Organization


def browse(filters: Filters, page: int = 1) -> tuple[list[Row], bool]:
    """One page of certificates matching ``filters`` (one query, joined), and whether there is
    a next page."""
    query = (
        select(Certificate, User, Cohort, Organization)
        .join(User, Certificate.learner_id == User.id)
        .join(Cohort, Certificate.cohort_id == Cohort.id)
        .join(Organization, Cohort.operator_id == Organization.id)
        .order_by(Certificate.id.desc())
    )
    if filters.cohort:
        query = query.where(Cohort.id == filters.cohort)
    if filters.operator:
        query = query.where(Organization.id == filters.operator)
    if filters.region:
        query = query.where(Cohort.region == filters.region)
    if filters.track:
        query = query.where(Certificate.track == filters.track)
    if filters.status in set(CertificateStatus):
        query = query.where(Certificate.status == CertificateStatus(filters.status))
    # one more row than a page says whether a next page exists, without a COUNT
    rows = db.session.execute(query.limit(PAGE_SIZE + 1).offset((max(page, 1) - 1) * PAGE_SIZE))
    found = [Row(*row) for row in rows]
    return found[:PAGE_SIZE], len(found) > PAGE_SIZE


def filter_choices() -> dict:
    """Cohorts, operators, regions and tracks that have certificates, for the filter form."""
    cohorts = db.session.execute(
        select(Cohort.id, Cohort.name)
        .where(Cohort.id.in_(select(Certificate.cohort_id)))
        .order_by(Cohort.name)
    ).all()
    operators = db.session.execute(
        select(Organization.id, Organization.name)
        .where(Organization.id.in_(select(Cohort.operator_id)))
        .order_by(Organization.name)
    ).all()
    regions = db.session.scalars(select(Cohort.region).distinct().order_by(Cohort.region)).all()
    tracks = db.session.scalars(
        select(Certificate.track).distinct().order_by(Certificate.track)
    ).all()
    return {
        "cohorts": cohorts,
        "operators": operators,
        "regions": regions,
        "tracks": tracks,
        "statuses": [s.value for s in CertificateStatus],
    }


# One certificate ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateCheck:
    recomputed_sha256: str
    manifest_ok: bool
    #: None when the certificate carries no credential yet (pending).
    proof_ok: bool | None
    proof_reason: str
    audit_ok: bool
    audit_summary: str


def check_certificate(certificate: Certificate) -> CertificateCheck:
    """The manifest digest recomputed, the credential's proof checked, the audit chain
    verified (it covers every certificate, score and review at once)."""
    recomputed = service.canonical_sha256(certificate.manifest)
    proof_ok, reason = None, ""
    if certificate.credential is not None:
        result = service.verify_credential(certificate.credential)
        proof_ok, reason = result.ok, result.reason
    report = audit.verify(db.session, checkpoints.verifier())
    if report.ok:
        summary = f"OK: {report.checked} events, {report.checkpoints} checkpoints"
    else:
        where = f"event #{report.first_broken_seq}: " if report.first_broken_seq else ""
        summary = f"BROKEN at {where}{report.reason}"
    return CertificateCheck(
        recomputed, recomputed == certificate.manifest_sha256, proof_ok, reason, report.ok, summary
    )


def evidence_items(certificate: Certificate) -> list[dict]:
    """Every evidence item of the manifest, with the name of the threshold it counts for."""
    return [
        {**item, "threshold": threshold["name"]}
        for threshold in certificate.manifest.get("thresholds", [])
        for item in threshold.get("evidence", [])
    ]


# Submissions -------------------------------------------------------------------------------


def content_at(commit: str) -> Content | None:
    """The content as it was at ``commit``, from its release snapshot; extracted from the
    content repository when git still has that commit. None when neither is possible (a
    commit of an uncommitted working tree, ``<commit>+<digest>``, never has a snapshot)."""
    root = releases.releases_root(current_app.instance_path)
    folder = root / commit
    if not folder.is_dir():
        if "+" in commit or not commit.isalnum():
            return None
        try:
            folder = releases.snapshot(Path(current_app.config["LMS_CONTENT_DIR"]), commit, root)
        except releases.ReleaseError:
            return None
    return load(folder, commit=commit)


@dataclass(frozen=True)
class HighlightedFile:
    name: str
    html: str


def highlighted_files(submission: Submission) -> list[HighlightedFile]:
    return [
        HighlightedFile(name, highlight_code(text, _language(name)))
        for name, text in sorted(submission.files.items())
    ]


def _language(filename: str) -> str:
    try:
        return get_lexer_for_filename(filename).aliases[0]
    except (ClassNotFound, IndexError):
        return "text"


def test_files(content: Content, exercise_id: str) -> list[HighlightedFile]:
    """The exercise's hidden tests as they were at that commit."""
    exercise = content.exercises.get(exercise_id)
    if exercise is None or not exercise.tests_dir.is_dir():
        return []
    return [
        HighlightedFile(
            str(path.relative_to(exercise.tests_dir)),
            highlight_code(
                path.read_text(encoding="utf-8", errors="replace"), _language(path.name)
            ),
        )
        for path in sorted(exercise.tests_dir.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    ]


@dataclass(frozen=True)
class ComparedTest:
    """One test, as recorded and as the current graders ran it (None where it did not run)."""

    name: str
    recorded: dict | None
    rerun: dict | None

    @property
    def differs(self) -> bool:
        def outcome(test: dict | None) -> tuple | None:
            return (test["outcome"], test["points"]) if test else None

        return outcome(self.recorded) != outcome(self.rerun)


@dataclass(frozen=True)
class Rerun:
    recorded_score: int | None
    rerun_score: int
    max_score: int
    recorded_digest: str | None
    rerun_digest: str
    tests: list[dict]
    recorded_max: int
    recorded_tests: list[dict]
    grader: str
    #: The grader image the current graders use ("lms-grader-python:<recipe hash>"); None for
    #: graders that run in the application (quizzes).
    image_tag: str | None
    limit_hit: str | None

    @property
    def score_differs(self) -> bool:
        return (self.recorded_score, self.recorded_max) != (self.rerun_score, self.max_score)

    @property
    def image_differs(self) -> bool:
        return self.recorded_digest != self.rerun_digest

    @property
    def reproduced(self) -> bool:
        return not self.score_differs and not self.image_differs

    def compared_tests(self) -> list[ComparedTest]:
        """Every test of either grading, in the order they ran (recorded ones first)."""
        recorded = {t["name"]: t for t in self.recorded_tests}
        rerun = {t["name"]: t for t in self.tests}
        names = list(recorded) + [name for name in rerun if name not in recorded]
        return [ComparedTest(n, recorded.get(n), rerun.get(n)) for n in names]


def rerun(
    submission: Submission, docker_url: str | None = None, content: Content | None = None
) -> Rerun:
    """Grade the recorded files again against the exercise at the recorded commit (``content``
    when the caller has it loaded already), under the current graders, and compare. Nothing
    is stored."""
    exercise, grader = _exercise_and_grader(submission, content)
    files, language = dict(submission.files), submission.learner.locale or "fr"
    score, max_score, digest = submission.score, submission.max_score, submission.image_digest
    recorded_tests = list(submission.tests)
    transactions.pause()  # no transaction held while the container runs
    try:
        result = grader.grade(
            exercise,
            files,
            language=language,
            labels={"lms.audit-rerun": str(submission.id)},
            docker_url=docker_url,
        )
    except SandboxUnavailable as exc:
        raise GraderUnavailable(f"the graders are unavailable: {exc}") from None
    except SandboxError as exc:
        raise AuditError(f"the grader could not run: {exc}") from None
    return Rerun(
        recorded_score=score,
        rerun_score=result.score,
        max_score=result.max_score,
        recorded_digest=digest,
        rerun_digest=result.image_digest,
        tests=result.to_json().get("tests", []),
        recorded_max=max_score,
        recorded_tests=recorded_tests,
        grader=exercise.grader,
        image_tag=getattr(grader, "image", None),
        limit_hit=result.limit_hit,
    )


def _exercise_and_grader(
    submission: Submission, content: Content | None
) -> tuple[Exercise, grading.Grader]:
    content = content or content_at(submission.content_commit)
    if content is None:
        raise AuditError(f"no snapshot of content commit {submission.content_commit} is available")
    exercise = content.exercises.get(submission.exercise_id)
    if exercise is None:
        raise AuditError(f"{submission.exercise_id} is not in commit {submission.content_commit}")
    try:
        return exercise, grading.get(exercise.grader)
    except KeyError:
        raise AuditError(f"no grader is registered as {exercise.grader!r}") from None


# The evidence bundle -----------------------------------------------------------------------


def canonical_json(data: dict) -> bytes:
    """The bytes :func:`service.canonical_sha256` hashes."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def bundle(certificate: Certificate) -> bytes:
    """A zip anyone can check offline with Python and ``cryptography``: manifest, credential,
    issuer keys, the evidence files, a detached signature of the manifest, and the script."""
    key = service.key_store().current()
    manifest_bytes = canonical_json(certificate.manifest)
    signature = {
        "key_id": key.id,
        "verification_method": f"{service.issuer_id()}#{key.id}",
        "algorithm": "Ed25519",
        "signed": "canonical JSON of manifest.json (sorted keys, no spaces, UTF-8)",
        "manifest_sha256": service.canonical_sha256(certificate.manifest),
        "signature": base64.b64encode(key.sign(manifest_bytes)).decode("ascii"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _pretty(certificate.manifest))
        archive.writestr("manifest.sig.json", _pretty(signature))
        archive.writestr("credential.json", _pretty(certificate.credential or {}))
        archive.writestr("issuer.json", _pretty(publication.issuer_profile()))
        for name, data in _evidence_files(certificate):
            archive.writestr(name, data)
        archive.writestr("verify_bundle.py", VERIFIER_SCRIPT.read_bytes())
    return buffer.getvalue()


def _pretty(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _evidence_files(certificate: Certificate):
    for item in evidence_items(certificate):
        if item["type"] == "submission":
            submission = db.session.get(Submission, item["id"])
            if submission is None:
                continue
            for name, text in sorted(submission.files.items()):
                yield f"evidence/submission-{submission.id}/{name}", text.encode("utf-8")
        elif item["type"] == "review":
            review = db.session.get(Review, item["id"])
            if review is not None:
                yield (
                    f"evidence/review-{review.id}.json",
                    projects.signed_review_json(review, review.reviewer),
                )


def recomputed_code_hash(submission: Submission) -> str:
    return code_hash(submission.files)
