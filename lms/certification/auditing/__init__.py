"""Auditing certificates: evidence, re-runs, re-grades, suspension, checkpoints of the audit
chain."""
