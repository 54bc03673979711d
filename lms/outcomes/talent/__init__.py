"""The job fair's talent pool: opt-in profiles companies browse."""
