"""Who hears about a certificate's suspension and its lifting: the learner, in their own
language, in the app and by e-mail (when SMTP is configured).

Receivers of :data:`lms.signals.certificate_suspended` and
:data:`lms.signals.certificate_suspension_lifted`, connected at :func:`lms.create_app`.
"""

from __future__ import annotations

from flask_babel import gettext as _

from lms import content
from lms.models import Certificate, CertificateSuspension
from lms.notifications import notify_each


def _track_title(certificate: Certificate) -> str:
    track = content.current().tracks.get(certificate.track)
    return track.title if track else certificate.track


def _page(certificate: Certificate) -> str:
    # What anyone the learner showed it to sees now.
    return f"/certificates/{certificate.public_id}"


def certificate_suspended(suspension: CertificateSuspension, **_signal) -> None:
    certificate = suspension.certificate
    title = _track_title(certificate)
    notify_each(
        [certificate.learner],
        "certificate_suspended",
        lambda: _("Your certificate is suspended: %(track)s", track=title),
        lambda: _(
            "Your certificate for %(track)s is suspended while its evidence is reviewed. "
            "Reason: %(reason)s. Until the review ends, its verification page and its "
            "credential's status show it as not valid.",
            track=title,
            reason=suspension.reason,
        ),
        _page(certificate),
    )


def suspension_lifted(suspension: CertificateSuspension, **_signal) -> None:
    certificate = suspension.certificate
    title = _track_title(certificate)
    notify_each(
        [certificate.learner],
        "certificate_reinstated",
        lambda: _("Your certificate is valid again: %(track)s", track=title),
        lambda: _(
            "The suspension of your certificate for %(track)s is lifted. Reason: %(reason)s.",
            track=title,
            reason=suspension.lift_reason,
        ),
        _page(certificate),
    )
