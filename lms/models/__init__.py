"""Models, one module per aggregate."""

from lms.models.audit import AuditCheckpoint, AuditEvent
from lms.models.certification import (
    Attendance,
    Certificate,
    CertificateStatus,
    CertificateSuspension,
    CohortSession,
)
from lms.models.content import ContentRelease, WebhookDelivery
from lms.models.notification import Notification
from lms.models.organization import Cohort, Enrollment, Organization, cohort_trainers
from lms.models.outcome import (
    IN_FIELD_CATEGORIES,
    EmploymentStatus,
    ExclusionReason,
    InterestStatus,
    OutcomeCategory,
    OutcomeRecord,
    OutcomeSource,
    OutcomeSurvey,
    Situation,
    TalentInterest,
    TalentProfile,
)
from lms.models.project import (
    BriefAttachment,
    BriefVersion,
    CheckStatus,
    Deliverable,
    ProjectBrief,
    ProjectOffer,
    ProjectTeam,
    Review,
    ReviewStatus,
    TeamMember,
)
from lms.models.queue import GradingOutbox, GradingTurn, OutboxKind, TurnScope
from lms.models.regrade import RegradeResult, RegradeRun
from lms.models.submission import Submission, SubmissionStatus
from lms.models.user import ApiToken, Role, User

__all__ = [
    "Attendance",
    "Certificate",
    "CertificateStatus",
    "CertificateSuspension",
    "CohortSession",
    "AuditCheckpoint",
    "AuditEvent",
    "BriefAttachment",
    "BriefVersion",
    "CheckStatus",
    "Deliverable",
    "ProjectBrief",
    "ProjectOffer",
    "ProjectTeam",
    "Review",
    "ReviewStatus",
    "TeamMember",
    "ApiToken",
    "Cohort",
    "ContentRelease",
    "WebhookDelivery",
    "Enrollment",
    "Notification",
    "Organization",
    "GradingOutbox",
    "GradingTurn",
    "OutboxKind",
    "RegradeResult",
    "RegradeRun",
    "Role",
    "Submission",
    "SubmissionStatus",
    "TurnScope",
    "User",
    "cohort_trainers",
    "IN_FIELD_CATEGORIES",
    "EmploymentStatus",
    "ExclusionReason",
    "InterestStatus",
    "OutcomeCategory",
    "OutcomeRecord",
    "OutcomeSource",
    "OutcomeSurvey",
    "Situation",
    "TalentInterest",
    "TalentProfile",
]
