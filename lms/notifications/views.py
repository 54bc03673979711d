"""The signed-in user's notifications: the list, and marking them read."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.extensions import db
from lms.models import Notification
from lms.notifications import mark_read, recent
from lms.notifications.forms import MarkReadForm

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    """The user's own notifications, newest first, unread ones highlighted."""
    return render_template("notifications/list.html", notifications=recent(current_user))


@bp.post("/notifications/read")
@login_required
def read():
    """Mark all (``all``) or one (``id``) of the user's notifications read. 404 for an id that
    does not exist or is another user's; 400 without a valid CSRF token."""
    form = MarkReadForm()
    if not form.validate_on_submit():
        abort(400)
    if form.all.data:
        mark_read(current_user, "all")
    else:
        notification = db.session.get(Notification, form.id.data or 0)
        if notification is None or notification.user_id != current_user.id:
            abort(404)
        mark_read(current_user, [notification.id])
    return redirect(url_for("notifications.index"))
