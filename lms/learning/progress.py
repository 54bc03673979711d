"""A learner's progress through a track, from their best scores."""

from __future__ import annotations

from dataclasses import dataclass

from lms.content.model import Content, Track


@dataclass(frozen=True)
class ExerciseProgress:
    exercise_id: str
    title: str
    best: int | None
    max_score: int

    @property
    def done(self) -> bool:
        return self.best is not None and self.best >= self.max_score


@dataclass(frozen=True)
class TrackProgress:
    track: Track
    exercises: tuple[ExerciseProgress, ...]

    @property
    def completed(self) -> int:
        return sum(e.done for e in self.exercises)

    @property
    def points(self) -> int:
        return sum(e.best or 0 for e in self.exercises)

    @property
    def max_points(self) -> int:
        return sum(e.max_score for e in self.exercises)


def track_progress(content: Content, track: Track, best: dict[str, int]) -> TrackProgress:
    exercises = tuple(
        ExerciseProgress(
            ex_id,
            content.exercises[ex_id].title,
            best.get(ex_id),
            content.exercises[ex_id].max_score,
        )
        for ex_id in track.exercise_ids
        if ex_id in content.exercises
    )
    return TrackProgress(track, exercises)
