"""Who hears about what in projects: a brief offered, work handed in, a review done. Each
person is told in their own language, in the app and by e-mail.

Receivers of the projects' signals (:mod:`lms.signals`), connected at :func:`lms.create_app`.
"""

from __future__ import annotations

from flask_babel import gettext as _

from lms.models import Deliverable, ProjectOffer, Review, ReviewStatus
from lms.notifications import company_users, notify_each, site_path


def brief_offered(offer: ProjectOffer, **_signal) -> None:
    version = offer.version
    link = site_path("projects.offer", offer_id=offer.id)
    learners = [e.learner for e in offer.cohort.enrollments]
    notify_each(
        learners + company_users(version.brief.company_id),
        "brief_offered",
        lambda: _("New project: %(title)s", title=version.title),
        lambda: _(
            '%(company)s\'s brief "%(title)s" is offered to %(cohort)s. Deadline: %(deadline)s.',
            company=version.brief.company.name,
            title=version.title,
            cohort=offer.cohort.name,
            deadline=offer.deadline.date().isoformat(),
        ),
        link,
    )


def deliverable_submitted(deliverable: Deliverable, **_signal) -> None:
    team = deliverable.team
    offer = team.offer
    recipients = company_users(offer.version.brief.company_id) + list(offer.cohort.trainers)
    recipients += [u for u in team.learners if u.id != deliverable.submitted_by_id]
    notify_each(
        recipients,
        "deliverable_submitted",
        lambda: _("%(team)s handed in version %(n)d", team=team.name, n=deliverable.number),
        lambda: _(
            'Team %(team)s handed in version %(n)d of "%(title)s".',
            team=team.name,
            n=deliverable.number,
            title=offer.version.title,
        ),
        site_path("projects.team", team_id=team.id),
    )


def review_submitted(review: Review, **_signal) -> None:
    team = review.team
    title = team.offer.version.title
    if review.status == ReviewStatus.REVISION:

        def subject():
            return _('Revision asked on "%(title)s"', title=title)
    else:

        def subject():
            return _('Final review of "%(title)s"', title=title)

    notify_each(
        team.learners + list(team.offer.cohort.trainers),
        f"review_{review.status}",
        subject,
        lambda: _(
            "%(reviewer)s reviewed team %(team)s: %(score)s / %(max)s.",
            reviewer=review.reviewer.name,
            team=team.name,
            score=f"{review.score:g}",
            max=f"{review.max_score:g}",
        ),
        site_path("projects.team", team_id=team.id),
    )
