"""Trainers: their cohorts and each learner's work."""
