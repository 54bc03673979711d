"""Learners: tracks, lessons, exercises and their progress.

Its public API is :func:`track_progress` (what a learner has done of a track, as the home page
and the talent pool show it)."""

from lms.learning.progress import track_progress

__all__ = ["track_progress"]
