"""Human names for what the outcome reports show: categories, groupings, figures. One place, so
the table, the charts, the legend and the drill-down say the same thing (English msgids; the
catalogue translates them)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.models import OutcomeCategory, OutcomeSource

#: Every category, in the report's order.
CATEGORY_LABELS = {
    OutcomeCategory.FULL_TIME_EMPLOYEE: _l("Full-time employee"),
    OutcomeCategory.FULL_TIME_CONTRACT: _l("Full-time apprenticeship, internship or contract"),
    OutcomeCategory.HIRED_BY_OPERATOR: _l("Hired by the training operator"),
    OutcomeCategory.STARTED_COMPANY: _l("Started a company"),
    OutcomeCategory.SHORT_TERM: _l("Short-term, part-time or freelance"),
    OutcomeCategory.OUT_OF_FIELD: _l("Hired out of field"),
    OutcomeCategory.STILL_SEEKING: _l("Still seeking"),
    OutcomeCategory.NOT_SEEKING: _l("Not seeking"),
    OutcomeCategory.NOT_REPORTING: _l("Not reporting"),
    OutcomeCategory.EXCLUDED: _l("Excluded"),
}

GROUPING_LABELS = {
    "programme": _l("Programme-wide"),
    "cohort": _l("Cohort"),
    "operator": _l("Operator"),
    "region": _l("Region"),
    "track": _l("Track"),
}

#: The drill-down's figures besides the categories: which rows a count in the table stands for.
FIGURE_LABELS = {
    "enrolled": _l("Enrolled"),
    "graduated": _l("Graduated"),
    "on_time": _l("Graduated on time"),
    "certified": _l("Certified"),
    "seeking": _l("Sought an in-field job"),
    "in_field": _l("In-field job"),
    "decent": _l("Decent in-field job"),
    "retention_6m": _l("Retention measured at 6 months"),
    "retention_12m": _l("Retention measured at 12 months"),
}

#: Who documented a record: a confirmation outranks the learner's own word.
SOURCE_LABELS = {
    OutcomeSource.LEARNER: _l("Self-reported"),
    OutcomeSource.EMPLOYER: _l("Employer"),
    OutcomeSource.THIRD_PARTY: _l("Third party"),
}
