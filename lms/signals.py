"""Domain signals: how features tell each other what happened, without importing each other.

An operation that changes something other features care about sends its signal, inside the
unit of work that makes the change, after its flush: the sender is the row, ``actor`` the user
who did it (None for the platform itself). Subscribers run at once, in the same transaction:

- the audit chain appends its event (it exists if and only if the change is committed);
- notices add their notifications (e-mailed once the transaction commits);
- automatic certification defers its evaluation to after the commit
  (:func:`lms.transactions.after_commit`), so a failure there never undoes the change.

Nothing subscribes by being imported: :func:`lms.create_app` connects every subscriber, and the
list of who listens to what is there. A signal nobody listens to yet is an extension point.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Submissions ---------------------------------------------------------------------------------

submission_graded = _signals.signal(
    "submission-graded",
    doc="""A submission was graded: ``sender`` is the :class:`~lms.models.Submission`, its result
    written by the worker that held it. Sent in the grading's own unit of work.""",
)

# Projects ------------------------------------------------------------------------------------

brief_offered = _signals.signal(
    "brief-offered",
    doc="""A trainer offered a company's brief to a cohort: ``sender`` is the
    :class:`~lms.models.ProjectOffer`, ``actor`` the trainer.""",
)
deliverable_submitted = _signals.signal(
    "deliverable-submitted",
    doc="""A team handed in a version of its work: ``sender`` is the
    :class:`~lms.models.Deliverable`, ``actor`` the learner.""",
)
deliverable_checked = _signals.signal(
    "deliverable-checked",
    doc="""A deliverable's automated check has its result (done, or failed to run): ``sender`` is
    the :class:`~lms.models.Deliverable`. Sent in the check's own unit of work.""",
)
review_submitted = _signals.signal(
    "review-submitted",
    doc="""A company submitted and signed a review, asking for a revision or final: ``sender`` is
    the :class:`~lms.models.Review`, ``actor`` the reviewer.""",
)
review_finalised = _signals.signal(
    "review-finalised",
    doc="""A final company review is in force for a team (sent after ``review_submitted`` when
    the review is final): ``sender`` is the :class:`~lms.models.Review`, ``actor`` the
    reviewer.""",
)

# Certification -------------------------------------------------------------------------------

attendance_changed = _signals.signal(
    "attendance-changed",
    doc="""A learner's attendance at a session was recorded or corrected: ``sender`` is the
    :class:`~lms.models.Attendance`, ``previous`` the value it replaced (None for the first),
    ``actor`` the trainer.""",
)
certificate_issued = _signals.signal(
    "certificate-issued",
    doc="""A certificate was signed and issued: ``sender`` is the
    :class:`~lms.models.Certificate`, ``actor`` who issued or approved it (None when issued
    automatically).""",
)
certificate_revoked = _signals.signal(
    "certificate-revoked",
    doc="""A certificate was revoked: ``sender`` is the :class:`~lms.models.Certificate`,
    ``actor`` who revoked it.""",
)
certificate_suspended = _signals.signal(
    "certificate-suspended",
    doc="""An issued certificate was suspended while its evidence is reviewed: ``sender`` is the
    :class:`~lms.models.CertificateSuspension`, ``actor`` the auditor or admin.""",
)
certificate_suspension_lifted = _signals.signal(
    "certificate-suspension-lifted",
    doc="""A suspended certificate is valid again: ``sender`` is the
    :class:`~lms.models.CertificateSuspension` that was lifted, ``actor`` the admin.""",
)

# Outcomes ------------------------------------------------------------------------------------

intent_recorded = _signals.signal(
    "intent-recorded",
    doc="""A learner stated whether they seek an in-field job: ``sender`` is the
    :class:`~lms.models.Enrollment`, ``actor`` who recorded it.""",
)
graduation_recorded = _signals.signal(
    "graduation-recorded",
    doc="""A learner's graduation was recorded or cleared: ``sender`` is the
    :class:`~lms.models.Enrollment`, ``actor`` the trainer or admin.""",
)
outcome_recorded = _signals.signal(
    "outcome-recorded",
    doc="""A placement outcome was recorded (a job, a situation, a confirmation or a correction,
    which replaces the record it names): ``sender`` is the :class:`~lms.models.OutcomeRecord`,
    ``actor`` who recorded it.""",
)

# API tokens ----------------------------------------------------------------------------------

api_token_issued = _signals.signal(
    "api-token-issued",
    doc="""An API token was issued: ``sender`` is the :class:`~lms.models.ApiToken`, ``actor``
    its owner (who asked for it with their password).""",
)
api_token_revoked = _signals.signal(
    "api-token-revoked",
    doc="""An API token was revoked: ``sender`` is the :class:`~lms.models.ApiToken`, ``actor``
    its owner or the admin who revoked it.""",
)
