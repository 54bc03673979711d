"""The content as loaded: tracks, modules, lessons and exercises, immutable once built."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from lms.content.quiz import Quiz
from sandbox import Limits


@dataclass(frozen=True)
class Problem:
    """Something wrong in a content file; loading goes on and reports them all."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Exercise:
    #: "<track>/<slug>"
    id: str
    track: str
    slug: str
    title: str
    grader: str
    difficulty: int
    skills: tuple[str, ...]
    #: Editable file names, in tab order.
    files: tuple[str, ...]
    limits: Limits
    max_score: int
    prompt_html: str
    directory: Path
    #: Set for quizzes written in a lesson; graded in the application.
    quiz: Quiz | None = None
    #: Cases the prompt already shows: their feedback may show the expected output.
    examples: tuple[str, ...] = ()

    @property
    def tests_dir(self) -> Path:
        return self.directory / "tests"

    def starter(self) -> dict[str, str]:
        if self.quiz:
            return {"answers.json": "{}"}
        return self._read("starter")

    def solution(self) -> dict[str, str]:
        if self.quiz:
            return {"answers.json": json.dumps(self.quiz.solution(), ensure_ascii=False)}
        return self._read("solution")

    def _read(self, folder: str) -> dict[str, str]:
        return {
            name: (self.directory / folder / name).read_text(encoding="utf-8")
            for name in self.files
        }


@dataclass(frozen=True)
class Lesson:
    #: "<track>/<module folder>/<lesson file stem>"
    id: str
    track: str
    module: str
    slug: str
    title: str
    summary: str
    duration_minutes: int | None
    html: str
    #: Ids of the exercises embedded in the lesson, in order.
    exercises: tuple[str, ...]


@dataclass(frozen=True)
class Module:
    track: str
    slug: str
    title: str
    summary: str
    lessons: tuple[Lesson, ...]


@dataclass(frozen=True)
class Track:
    slug: str
    title: str
    summary: str
    languages: tuple[str, ...]
    duration_weeks: int | None
    grader: str
    modules: tuple[Module, ...]

    @property
    def lessons(self) -> list[Lesson]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def exercise_ids(self) -> list[str]:
        return [ex for lesson in self.lessons for ex in lesson.exercises]


@dataclass
class Content:
    """One loaded release of the content repository."""

    directory: Path
    commit: str
    dirty: bool
    tracks: dict[str, Track] = field(default_factory=dict)
    exercises: dict[str, Exercise] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def lesson(self, lesson_id: str) -> Lesson | None:
        track = self.tracks.get(lesson_id.split("/")[0])
        return next((ls for ls in track.lessons if ls.id == lesson_id), None) if track else None

    def lesson_of_exercise(self, exercise_id: str) -> Lesson | None:
        track = self.tracks.get(exercise_id.split("/")[0])
        if track is None:
            return None
        return next((ls for ls in track.lessons if exercise_id in ls.exercises), None)
