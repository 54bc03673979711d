"""Certification: policies in git, evaluation, certificates and their signed credentials."""
