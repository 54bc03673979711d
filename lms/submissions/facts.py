"""What the audit chain records about a graded submission, and how it checks it later."""

from __future__ import annotations

from lms import signals
from lms.audit import FactSource, kinds
from lms.models import Submission, SubmissionStatus
from lms.submissions.operations import code_hash


def submission_facts(submission: Submission) -> dict:
    return {
        "submission": submission.id,
        "learner_id": submission.learner_id,
        "exercise_id": submission.exercise_id,
        "score": submission.score,
        "max_score": submission.max_score,
        "code_hash": submission.code_hash,
        "image_digest": submission.image_digest,
        "content_commit": submission.content_commit,
    }


def submission_problem(submission: Submission) -> str | None:
    if submission.status != SubmissionStatus.GRADED:
        return f"submission {submission.id} is {submission.status}, no longer graded"
    if code_hash(submission.files) != submission.code_hash:
        return f"submission {submission.id}'s files no longer match its code_hash"
    return None


#: Registered at lms.create_app.
AUDITED = {
    kinds.SUBMISSION_GRADED: FactSource(
        Submission,
        "submission",
        submission_facts,
        lambda: Submission.status == SubmissionStatus.GRADED,
        submission_problem,
        signal=signals.submission_graded,
    ),
}
