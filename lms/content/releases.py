"""Publishing content from git: snapshot a commit, check it, make it live atomically.

A release is a read-only snapshot of ``curricula/`` and ``exercises/`` at one commit, extracted
with ``git archive`` into the instance folder and renamed into place only once complete. It goes
live only if it loads without problems and, unless asked otherwise, every reference solution
earns full marks and every starter does not in the real graders. A refused release is recorded
with its reasons; the previous live release stays live.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from lms import content as content_module
from lms.content.check import check_exercise
from lms.content.loader import load
from lms.content.model import Content
from lms.errors import DomainError
from lms.extensions import db
from lms.models import ContentRelease
from lms.models.base import utcnow
from lms.transactions import unit_of_work
from sandbox.warm import WarmPool

GIT = "/usr/bin/git"
log = logging.getLogger(__name__)
#: One publication at a time per process; the database keeps one live release anyway.
_sync_lock = threading.Lock()


class ReleaseError(DomainError):
    """The repository or the ref cannot be used; the message says why."""


class ReleaseRefused(Exception):
    """The release failed its check and was not published."""

    def __init__(self, release: ContentRelease, problems: list[str]) -> None:
        super().__init__(f"release {release.commit} refused: {len(problems)} problem(s)")
        self.release = release
        self.problems = problems


def _git(repo: Path, *args: str) -> str:
    try:
        result = subprocess.run(  # noqa: S603 - fixed git binary, arguments are not a shell
            [GIT, "-C", str(repo), *args], capture_output=True, text=True, timeout=120, check=True
        )
    except subprocess.CalledProcessError as exc:
        raise ReleaseError(f"git {' '.join(args)}: {exc.stderr.strip() or exc}") from None
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReleaseError(f"git {' '.join(args)}: {exc}") from None
    return result.stdout.strip()


def pull(repo: Path) -> str:
    """Fast-forward the content checkout from its remote, when it has one."""
    if not _git(repo, "remote"):
        return "no remote: using the local repository as it is"
    return _git(repo, "pull", "--ff-only") or "up to date"


def resolve(repo: Path, ref: str) -> str:
    if ref.startswith("-"):
        raise ReleaseError(f"{ref!r} is not a branch, tag or commit")
    return _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")


def snapshot(repo: Path, commit: str, root: Path) -> Path:
    """The content at ``commit``, extracted once into ``root/<commit>`` (complete or absent)."""
    target = root / commit
    if target.is_dir():
        return target
    root.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{commit[:12]}-", dir=root))
    try:
        archive = subprocess.run(  # noqa: S603 - fixed git binary, commit already resolved
            [
                GIT,
                "-C",
                str(repo),
                "archive",
                "--format=tar",
                commit,
                "--",
                "curricula",
                "exercises",
            ],
            capture_output=True,
            timeout=120,
            check=True,
        ).stdout
        subprocess.run(  # noqa: S603 - fixed tar binary, our own temporary folder
            ["/usr/bin/tar", "-x", "-C", str(partial)],
            input=archive,
            check=True,
            timeout=120,
        )
        partial.rename(target)
    except (OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise ReleaseError(f"cannot extract {commit}: {exc}") from None
    return target


def preview(repo: Path, ref: str, root: Path) -> Content:
    """Load a branch or commit for trainers to look at; nothing goes live."""
    commit = resolve(repo, ref)
    return load(snapshot(repo, commit, root), commit=commit)


def publish(
    repo: Path,
    ref: str,
    root: Path,
    grade_check: bool = True,
    docker_url: str | None = None,
    report: Callable[[str], None] = lambda _m: None,
) -> ContentRelease:
    """Check the content at ``ref`` and make it the live release, or raise ReleaseRefused."""
    commit = resolve(repo, ref)
    content = load(snapshot(repo, commit, root), commit=commit)
    report(f"loaded {commit}: {len(content.tracks)} tracks, {len(content.exercises)} exercises")
    problems = [str(p) for p in content.problems]
    if grade_check and not problems:
        pool = WarmPool(1, docker_url=docker_url)
        try:
            for exercise in content.exercises.values():
                verdict = check_exercise(exercise, docker_url, pool=pool)
                mark = "ok  " if verdict.ok else "FAIL"
                report(f"{mark} {verdict.exercise}: {verdict.message}")
                if not verdict.ok:
                    problems.append(f"{verdict.exercise}: {verdict.message}")
        finally:
            pool.close()
    release = ContentRelease(
        commit=commit,
        dirty=False,
        content_dir=str(content.directory),
        problems="\n".join(problems),
        ref=ref,
        loaded_at=utcnow(),
    )
    if problems:
        # Kept although the sync fails: trainers read the refusal's reasons on their page.
        with unit_of_work():
            release.status = "refused"
            db.session.add(release)
        raise ReleaseRefused(release, problems)
    # One unit of work, committed before any process loads it: the old release retires and the
    # new one goes live together.
    with unit_of_work():
        db.session.execute(
            db.update(ContentRelease)
            .where(ContentRelease.status == "live")
            .values(status="retired")
        )
        release.status = "live"
        db.session.add(release)
    return release


def releases_root(instance_path: str) -> Path:
    return Path(instance_path) / "releases"


def sync(
    app,
    ref: str = "HEAD",
    grade_check: bool = True,
    report: Callable[[str], None] = lambda _m: None,
) -> ContentRelease:
    """Pull the content repository and publish ``ref``: what the CLI and the webhook run."""
    repo = Path(app.config["LMS_CONTENT_DIR"])
    with _sync_lock:
        report(pull(repo))
        release = publish(
            repo,
            ref,
            releases_root(app.instance_path),
            grade_check,
            app.config.get("LMS_DOCKER_URL"),
            report,
        )
    content_module.reload(app)
    return release


def sync_in_background(app, ref: str) -> threading.Thread:
    """The webhook's sync: checking every exercise takes a while, the caller gets 202 now."""

    def run() -> None:
        # The job's unit of work; publishing commits its own (publish()).
        with app.app_context(), unit_of_work():
            try:
                release = sync(app, ref, report=log.info)
                log.info("content release %s is live", release.commit)
            except ReleaseRefused as exc:
                log.warning("%s: %s", exc, "; ".join(exc.problems))
            except ReleaseError as exc:
                log.error("content sync failed: %s", exc)

    thread = threading.Thread(target=run, name="lms-content-sync", daemon=True)
    thread.start()
    return thread
