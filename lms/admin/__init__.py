"""Programme administration: users, operators, cohorts, enrolments (CLI for now)."""
