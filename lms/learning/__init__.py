"""Learners: tracks, lessons, exercises and their progress."""
