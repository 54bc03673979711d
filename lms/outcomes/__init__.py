"""Placement outcomes: what graduates do at 90 and 180 days, reported the CIRR way, and the
job fair's talent pool. See docs/outcomes.md."""
