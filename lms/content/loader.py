"""Loads a content repository (``curricula/`` + ``exercises/``) into a :class:`Content`.

Every problem of every file is collected, each naming its file, and loading goes on: a broken
lesson is left out, the rest is served. Nothing here raises for bad content.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import threading
import tomllib
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from lms import grading
from lms.content import markdown
from lms.content import quiz as quiz_module
from lms.content.model import Content, Exercise, Lesson, Module, Problem, Track
from sandbox import Limits

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ORDERED = re.compile(r"^\d\d-[a-z0-9][a-z0-9-]*$")
FILE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
FRONT_MATTER = re.compile(r"\A\+\+\+\s*\n(.*?)\n\+\+\+\s*\n", re.S)
MAX_TIMEOUT, MAX_MEMORY_MB = 60, 2048


class ContentError(Exception):
    """One file's problem; caught by the loader and recorded."""


#: Content already loaded, by folder and commit: the same commit is the same content (a dirty
#: tree's commit carries a digest of its files), and parsing every lesson takes half a second.
_LOADED: OrderedDict[tuple[Path, str], Content] = OrderedDict()
_LOADED_MAX = 8
_loaded_lock = threading.Lock()


def load(directory: Path, commit: str | None = None) -> Content:
    """Load ``directory``; ``commit`` names it when it is a snapshot rather than a checkout.
    Never raises for bad content: its problems are listed in ``Content.problems``."""
    directory = directory.resolve()
    commit, dirty = (commit, False) if commit else content_commit(directory)
    key = (directory, commit)
    with _loaded_lock:
        if key in _LOADED:
            _LOADED.move_to_end(key)
            return _LOADED[key]
    content = _load(directory, commit, dirty)
    with _loaded_lock:
        _LOADED[key] = content
        while len(_LOADED) > _LOADED_MAX:
            _LOADED.popitem(last=False)
    return content


def _load(directory: Path, commit: str, dirty: bool) -> Content:
    content = Content(directory=directory, commit=commit, dirty=dirty)
    for track_dir in _subdirs(directory / "exercises"):
        for exercise_dir in _subdirs(track_dir):
            _collect(
                content,
                exercise_dir / "exercise.toml",
                lambda d=exercise_dir: _add_exercise(content, d),
            )
    for track_dir in _subdirs(directory / "curricula"):
        _collect(content, track_dir / "track.toml", lambda d=track_dir: _add_track(content, d))
    if not content.tracks:
        content.problems.append(Problem("curricula/", "no track found"))
    return content


def _collect(content: Content, path: Path, action) -> None:
    try:
        action()
    except ContentError as exc:
        content.problems.append(Problem(_relative(content, path), str(exc)))


def _relative(content: Content, path: Path) -> str:
    try:
        return str(path.relative_to(content.directory))
    except ValueError:
        return str(path)


def _subdirs(path: Path) -> list[Path]:
    if not path.is_dir():
        return []
    return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))


def read_toml(path: Path) -> dict:
    if not path.is_file():
        raise ContentError("file missing")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentError(f"invalid TOML: {exc}") from None


def _field(data: dict, key: str, kind: type | tuple[type, ...], default=..., where: str = ""):
    if key not in data:
        if default is ...:
            raise ContentError(f"{where}missing required field {key!r}")
        return default
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        expected = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise ContentError(f"{where}field {key!r} must be {expected}, not {value!r}")
    return value


# Exercises ---------------------------------------------------------------------------------


def _add_exercise(content: Content, directory: Path) -> None:
    track, slug = directory.parent.name, directory.name
    if not SLUG.match(slug):
        raise ContentError(f"folder name {slug!r} must be lowercase letters, digits, hyphens")
    data = read_toml(directory / "exercise.toml")
    grader_name = _field(data, "grader", str)
    known = grading.registered()
    if grader_name not in known:
        raise ContentError(f"unknown grader {grader_name!r} (known: {sorted(known)})")
    files = tuple(_field(data, "files", list))
    _check_files(directory, files)
    difficulty = _field(data, "difficulty", int, 1)
    if not 1 <= difficulty <= 5:
        raise ContentError(f"difficulty must be 1..5, not {difficulty}")
    prompt = directory / "README.md"
    if not prompt.is_file():
        raise ContentError("README.md (the prompt) is missing")
    exercise = Exercise(
        id=f"{track}/{slug}",
        track=track,
        slug=slug,
        title=_field(data, "title", str),
        grader=grader_name,
        difficulty=difficulty,
        skills=tuple(_field(data, "skills", list, [])),
        files=files,
        limits=_limits(data.get("limits", {})),
        examples=_examples(data),
        max_score=0,
        prompt_html=markdown.render(
            prompt.read_text(encoding="utf-8"), markdown.RenderContext(path="README.md")
        ),
        directory=directory,
    )
    grader = grading.get(grader_name)
    try:
        max_score = grader.max_score(exercise)
    except (ValueError, SyntaxError, OSError) as exc:
        raise ContentError(f"tests/: {exc}") from None
    if exercise.examples:
        cases = grader.case_names(exercise)
        if cases is None:
            raise ContentError(f"'examples' names shell and sql cases, not {grader_name} tests")
        unknown = sorted(set(exercise.examples) - set(cases))
        if unknown:
            raise ContentError(f"'examples' names cases checks.toml does not have: {unknown}")
    content.exercises[exercise.id] = replace(exercise, max_score=max_score)


def _examples(data: dict) -> tuple[str, ...]:
    examples = data.get("examples", [])
    if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
        raise ContentError("'examples' must list the names of cases the prompt shows")
    return tuple(examples)


def _check_files(directory: Path, files: tuple) -> None:
    if not files or not all(isinstance(f, str) and FILE_NAME.match(f) for f in files):
        raise ContentError("'files' must list plain file names, e.g. [\"solution.py\"]")
    for folder in ("starter", "solution"):
        present = sorted(p.name for p in (directory / folder).glob("*") if p.is_file())
        if present != sorted(files):
            raise ContentError(f"{folder}/ holds {present}, but 'files' says {sorted(files)}")
    if not (directory / "tests").is_dir():
        raise ContentError("tests/ folder is missing")


def _limits(data: dict) -> Limits:
    if not isinstance(data, dict):
        raise ContentError("[limits] must be a table")
    timeout = _field(data, "timeout_seconds", (int, float), 10, "[limits] ")
    memory = _field(data, "memory_mb", int, 256, "[limits] ")
    if not 0 < timeout <= MAX_TIMEOUT:
        raise ContentError(f"[limits] timeout_seconds must be in (0, {MAX_TIMEOUT}]")
    if not 32 <= memory <= MAX_MEMORY_MB:
        raise ContentError(f"[limits] memory_mb must be in [32, {MAX_MEMORY_MB}]")
    return Limits(timeout_seconds=float(timeout), memory_mb=memory)


# Tracks, modules, lessons ------------------------------------------------------------------


def _add_track(content: Content, directory: Path) -> None:
    if not SLUG.match(directory.name):
        raise ContentError(f"track folder {directory.name!r} must be a slug")
    data = read_toml(directory / "track.toml")
    module_dirs = [d for d in _subdirs(directory) if ORDERED.match(d.name)]
    lesson_paths = {f"{d.name}/{p.name}" for d in module_dirs for p in d.glob("*.md")}
    modules = []
    for module_dir in module_dirs:
        try:
            modules.append(_module(content, directory.name, module_dir, lesson_paths))
        except ContentError as exc:
            content.problems.append(
                Problem(_relative(content, module_dir / "module.toml"), str(exc))
            )
    content.tracks[directory.name] = Track(
        slug=directory.name,
        title=_field(data, "title", str),
        summary=_field(data, "summary", str, ""),
        languages=tuple(_field(data, "languages", list, ["fr"])),
        duration_weeks=_field(data, "duration_weeks", int, None),
        grader=_field(data, "grader", str, "python"),
        modules=tuple(modules),
    )


def _module(content: Content, track: str, directory: Path, lesson_paths: set[str]) -> Module:
    data = read_toml(directory / "module.toml")
    lessons = []
    for path in sorted(directory.glob("*.md")):
        if not ORDERED.match(path.stem):
            content.problems.append(
                Problem(_relative(content, path), "lesson file names must look like 01-slug.md")
            )
            continue
        _collect(
            content,
            path,
            lambda p=path: lessons.append(_lesson(content, track, directory.name, p, lesson_paths)),
        )
    return Module(
        track=track,
        slug=directory.name,
        title=_field(data, "title", str),
        summary=_field(data, "summary", str, ""),
        lessons=tuple(lessons),
    )


def _lesson(
    content: Content, track: str, module: str, path: Path, lesson_paths: set[str]
) -> Lesson:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError("not UTF-8 text") from None
    match = FRONT_MATTER.match(text)
    if not match:
        raise ContentError("missing front matter: the file must start with a +++ TOML block")
    try:
        meta = tomllib.loads(match.group(1))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"invalid front matter: {exc}") from None

    def find_exercise(slug: str) -> tuple[str, str] | None:
        exercise = content.exercises.get(f"{track}/{slug}")
        return (exercise.id, exercise.title) if exercise else None

    body, quizzes, quiz_problems = quiz_module.extract(text[match.end() :])
    for found in quizzes:
        _add_quiz(content, track, path, found)

    def render_quiz(slug: str) -> tuple[str, str] | None:
        exercise = content.exercises.get(f"{track}/{slug}")
        if exercise is None or exercise.quiz is None:
            return None
        return exercise.id, quiz_module.render_form(
            exercise.quiz, exercise.id, f"/exercises/{exercise.id}/submissions"
        )

    context = markdown.RenderContext(
        path=f"{module}/{path.name}",
        lesson_exists=lesson_paths.__contains__,
        find_exercise=find_exercise,
        render_quiz=render_quiz,
        problems=quiz_problems,
    )
    html = markdown.render(body, context)
    for problem in context.problems:
        content.problems.append(Problem(_relative(content, path), problem))
    return Lesson(
        id=f"{track}/{module}/{path.stem}",
        track=track,
        module=module,
        slug=path.stem,
        title=_field(meta, "title", str, where="front matter: "),
        summary=_field(meta, "summary", str, ""),
        duration_minutes=_field(meta, "duration_minutes", int, None),
        html=html,
        exercises=tuple(context.exercises),
    )


def _add_quiz(content: Content, track: str, path: Path, quiz: quiz_module.Quiz) -> None:
    exercise_id = f"{track}/{quiz.slug}"
    if exercise_id in content.exercises:
        raise ContentError(f"quiz {quiz.slug!r}: an exercise or quiz with this id exists already")
    content.exercises[exercise_id] = Exercise(
        id=exercise_id,
        track=track,
        slug=quiz.slug,
        title=quiz.title,
        grader="quiz",
        difficulty=1,
        skills=(),
        files=("answers.json",),
        limits=Limits(),
        max_score=len(quiz.questions),
        prompt_html="",
        directory=path.parent,
        quiz=quiz,
    )


# Commit ------------------------------------------------------------------------------------


def content_commit(directory: Path) -> tuple[str, bool]:
    """The git commit of the content, and whether the working tree differs from it.

    A dirty tree gets ``<commit>+<hash of the files>`` so that evidence never names a commit
    whose tests were not the ones that ran.
    """
    head = _git(directory, "rev-parse", "HEAD")
    status = _git(directory, "status", "--porcelain", "--", "curricula", "exercises")
    if head and status == "":
        return head, False
    digest = _tree_digest(directory)
    return (f"{head[:12]}+{digest[:12]}" if head else f"worktree+{digest[:12]}"), True


def _git(directory: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(  # noqa: S603 - fixed git arguments, no shell
            ["git", "-C", str(directory), *args],  # noqa: S607 - git from PATH on purpose
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def _tree_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for folder in ("curricula", "exercises"):
        for path in sorted((directory / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(directory)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
