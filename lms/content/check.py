"""``lms content check``: the content is valid, and every exercise's reference solution earns
full marks in its real grader while its starter does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lms import grading
from lms.content.model import Content, Exercise
from sandbox import SandboxError
from sandbox.warm import WarmPool


@dataclass(frozen=True)
class ExerciseCheck:
    exercise: str
    ok: bool
    message: str


#: A check grades each exercise both ways: what a first submission meets, and what the next
#: ones meet (the exercise's prepared judge and a learner's box started ahead).
PATHS = ("cold", "warm")


def check_exercise(
    exercise: Exercise,
    docker_url: str | None = None,
    paths: tuple[str, ...] = PATHS,
    pool: WarmPool | None = None,
) -> ExerciseCheck:
    """Grade the exercise's solution and starter on each path. The warm path uses ``pool``, or
    a pool of its own, removed afterwards (a check leaves no box behind)."""
    own = pool is None and "warm" in paths
    if own:
        pool = WarmPool(1, docker_url=docker_url)
    try:
        verdicts = [_check_on(exercise, docker_url, path, pool) for path in paths]
    finally:
        if own:
            pool.close()
    failed = [v for v in verdicts if not v.ok]
    if failed:
        return failed[0]
    return ExerciseCheck(exercise.id, True, "; ".join(v.message for v in verdicts))


def _check_on(
    exercise: Exercise, docker_url: str | None, path: str, pool: WarmPool | None
) -> ExerciseCheck:
    grader = grading.get(exercise.grader)
    options: dict = {"docker_url": docker_url}
    if isinstance(grader, grading.ContainerGrader):
        options.update(path=path, pool=pool)
    elif path != PATHS[0]:
        return ExerciseCheck(exercise.id, True, "")
    try:
        solution = grader.grade(exercise, exercise.solution(), **options)
        starter = grader.grade(exercise, exercise.starter(), **options)
    except SandboxError as exc:
        return ExerciseCheck(exercise.id, False, f"{path}: grader failed: {exc}")
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
        f"{path}: solution {solution.score}/{exercise.max_score} in {solution.duration:.2f}s, "
        f"starter {starter.score}/{exercise.max_score}"
    )
    if problems:
        return ExerciseCheck(exercise.id, False, f"{path}: " + "; ".join(problems))
    return ExerciseCheck(exercise.id, True, summary)


def check(
    content: Content, report: Callable[[str], None] = print, docker_url: str | None = None
) -> bool:
    """Print every problem and every exercise's verdict; True when all is well."""
    ok = not content.problems
    for problem in content.problems:
        report(f"ERROR {problem}")
    pool = WarmPool(1, docker_url=docker_url)
    try:
        for exercise in content.exercises.values():
            result = check_exercise(exercise, docker_url, pool=pool)
            report(f"{'ok   ' if result.ok else 'FAIL '} {result.exercise}: {result.message}")
            ok &= result.ok
    finally:
        pool.close()
    embedded = {ex for track in content.tracks.values() for ex in track.exercise_ids}
    for orphan in sorted(set(content.exercises) - embedded):
        report(f"warn  {orphan}: not embedded in any lesson")
    report(
        f"{len(content.exercises)} exercises, {len(content.tracks)} tracks, "
        f"{len(content.problems)} problems, commit {content.commit}"
    )
    return ok
