"""Issuing certificates: policies in git, each learner's standing, automatic issuance."""
