"""``lms content check``: the content is valid, and every exercise's reference solution earns
full marks in its real grader while its starter does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lms import grading
from lms.content.model import Content, Exercise
from sandbox import SandboxError


@dataclass(frozen=True)
class ExerciseCheck:
    exercise: str
    ok: bool
    message: str


def check_exercise(exercise: Exercise, docker_url: str | None = None) -> ExerciseCheck:
    grader = grading.get(exercise.grader)
    try:
        solution = grader.grade(exercise, exercise.solution(), docker_url=docker_url)
        starter = grader.grade(exercise, exercise.starter(), docker_url=docker_url)
    except SandboxError as exc:
        return ExerciseCheck(exercise.id, False, f"grader failed: {exc}")
    problems = []
    if solution.score != exercise.max_score or solution.limit_hit or solution.tampered:
        failing = [t.name for t in solution.tests if t.outcome != "passed"]
        problems.append(
            f"the solution scores {solution.score}/{exercise.max_score}"
            f" (failing: {failing}; limit: {solution.limit_hit})"
        )
    if starter.score >= exercise.max_score:
        problems.append("the starter already scores full marks")
    summary = (
        f"solution {solution.score}/{exercise.max_score} in {solution.duration:.2f}s, "
        f"starter {starter.score}/{exercise.max_score}"
    )
    return ExerciseCheck(exercise.id, not problems, "; ".join(problems) or summary)


def check(
    content: Content, report: Callable[[str], None] = print, docker_url: str | None = None
) -> bool:
    """Print every problem and every exercise's verdict; True when all is well."""
    ok = not content.problems
    for problem in content.problems:
        report(f"ERROR {problem}")
    for exercise in content.exercises.values():
        result = check_exercise(exercise, docker_url)
        report(f"{'ok   ' if result.ok else 'FAIL '} {result.exercise}: {result.message}")
        ok &= result.ok
    embedded = {ex for track in content.tracks.values() for ex in track.exercise_ids}
    for orphan in sorted(set(content.exercises) - embedded):
        report(f"warn  {orphan}: not embedded in any lesson")
    report(
        f"{len(content.exercises)} exercises, {len(content.tracks)} tracks, "
        f"{len(content.problems)} problems, commit {content.commit}"
    )
    return ok
