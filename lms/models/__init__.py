"""Models, one module per aggregate."""

from lms.models.content import ContentRelease
from lms.models.organization import Cohort, Enrollment, Organization, cohort_trainers
from lms.models.submission import Submission, SubmissionStatus
from lms.models.user import ApiToken, Role, User

__all__ = [
    "ApiToken",
    "Cohort",
    "ContentRelease",
    "Enrollment",
    "Organization",
    "Role",
    "Submission",
    "SubmissionStatus",
    "User",
    "cohort_trainers",
]
