"""Sign in, sign out, interface language."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from lms.auth import authenticate
from lms.auth.forms import LoginForm

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign-in form. A wrong email or password re-shows the form with one generic message."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("learning.home"))
        flash(_("Wrong email or password."), "error")
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else 401


@bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


@bp.post("/locale")
def set_locale():
    """Remember the chosen interface language (on the account when signed in)."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        if current_user.is_authenticated:
            current_user.locale = locale
        response = redirect(_safe_next(request.form.get("next")) or url_for("learning.home"))
        response.set_cookie("locale", locale, max_age=365 * 24 * 3600, samesite="Lax")
        return response
    return redirect(url_for("learning.home"))


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: an open redirect would let phishing links borrow our domain."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
