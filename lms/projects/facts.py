"""What the audit chain records about a submitted company review, and how it checks it later."""

from __future__ import annotations

from lms import signals
from lms.audit import FactSource, kinds
from lms.models import Review, ReviewStatus
from lms.projects.operations import verify_review


def review_facts(review: Review) -> dict:
    return {
        "review": review.id,
        "team_id": review.team_id,
        "status": str(review.status),
        "score": review.score,
        "max_score": review.max_score,
        "digest": review.digest,
    }


def review_problem(review: Review) -> str | None:
    if not verify_review(review):
        return f"review {review.id} no longer matches its digest"
    return None


#: Registered at lms.create_app.
AUDITED = {
    kinds.REVIEW_SUBMITTED: FactSource(
        Review,
        "review",
        review_facts,
        lambda: Review.status != ReviewStatus.DRAFT,
        review_problem,
        (Review.reviewer, Review.deliverable),
        signal=signals.review_submitted,
    ),
}
