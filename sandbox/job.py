"""The plain data a grading job takes and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    """Hard limits of the learner's box. Defaults suit a bootcamp exercise."""

    timeout_seconds: float = 10.0
    memory_mb: int = 256
    pids: int = 64
    cpus: float = 1.0
    tmpfs_mb: int = 64
    #: What the learner's code may print before it is stopped (bytes).
    output_bytes: int = 1_000_000
    #: Extra wall-clock time the judge gets over ``timeout_seconds`` to start and report.
    grace_seconds: float = 5.0


@dataclass(frozen=True)
class Job:
    """One grading run: an image, the learner's files and the hidden tests."""

    image: str
    #: {file name: content}; the learner's box sees them read-only at /job/submission.
    files: dict[str, str]
    #: Folder of hidden tests (and fixtures); copied, and seen by the judge's box only.
    tests_dir: Path
    #: A whole folder of submitted work (an unpacked project archive), copied beside
    #: ``files``. Its tree must hold regular files only (see lms.projects.archives).
    files_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)
    #: Interface language of the learner, for the harness's messages.
    language: str = "fr"
    #: Free labels added to the container, e.g. the submission id.
    labels: dict[str, str] = field(default_factory=dict)
    #: The maximum score the content declares; a judge that disagrees is broken.
    max_score: int | None = None
    #: A seed the judge may use for held-out data the learner's code cannot reproduce.
    seed: int | None = None
    #: Names of example cases whose expected output the feedback may show (shell).
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class TestResult:
    name: str
    outcome: str  # passed | failed | error
    points: int
    max_points: int
    message: str = ""


@dataclass(frozen=True)
class RunResult:
    """What one run produced: the harness's validated result plus what the sandbox saw."""

    score: int
    max_score: int
    tests: tuple[TestResult, ...]
    feedback: str
    truncated: bool
    #: "timeout" | "memory" | "output" | None
    limit_hit: str | None
    #: Kept for the results recorded before judges and learners were apart (always False now).
    tampered: bool
    image_digest: str
    duration: float
    exit_code: int | None

    def to_json(self) -> dict:
        return {
            "score": self.score,
            "max_score": self.max_score,
            "tests": [t.__dict__ for t in self.tests],
            "feedback": self.feedback,
            "truncated": self.truncated,
            "limit_hit": self.limit_hit,
            "tampered": self.tampered,
            "image_digest": self.image_digest,
            "duration": round(self.duration, 3),
            "exit_code": self.exit_code,
        }
