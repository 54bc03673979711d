"""Outcome reports the CIRR way: parameters, records, labels, charts, exports and their pages."""
