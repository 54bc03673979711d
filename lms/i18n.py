"""Interface language: the user's choice, else the cookie set by the language switcher, else
French, the programme's working language (browsers here often say English by default)."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.extensions import babel

#: Languages written right to left; templates set dir= from this, never assume ltr.
RTL = {"ar"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands, worker threads: the programme's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if request.cookies.get("locale") in languages:
        return request.cookies["locale"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction() -> str:
    return "rtl" if str(get_locale()).split("_")[0] in RTL else "ltr"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)


#: Role names, statuses, test outcomes and limits: data shown translated with _(value), listed
#: here so that extraction finds them.
DATA_STRINGS = (
    _l("learner"),
    _l("trainer"),
    _l("company"),
    _l("auditor"),
    _l("admin"),
    _l("queued"),
    _l("running"),
    _l("graded"),
    _l("error"),
    _l("passed"),
    _l("failed"),
    _l("timeout"),
    _l("memory"),
    _l("output"),
)
