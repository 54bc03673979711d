"""What every form of the site is built from: the base classes (a posted form with its CSRF
token, a query-string filter without one), the field types several features share, and the
translations of WTForms' own messages.

Views never read ``request.form``, ``request.files`` or ``request.args`` themselves: each
feature declares its forms in its ``forms.py`` on these bases, and a view asks
``form.validate_on_submit()`` (``form.validate()`` for a query-string filter). Forms check
presence and shape; the operations keep the rules of the domain (a date before the cohort
started, a file too large...).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from typing import Any

from flask import Flask, request
from flask_babel import get_translations, lazy_ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto as _AUTO  # "no formdata given": Flask-WTF's own marker
from flask_wtf.i18n import translations as wtforms_translations
from markupsafe import Markup, escape
from wtforms import Field, StringField
from wtforms.validators import StopValidation

#: What a number may be written with between its digits: spaces, and the no-break spaces French
#: number formatting writes ("8 000" with U+00A0, "8 000" with U+202F).
DIGIT_SEPARATORS = (" ", "\u00a0", "\u202f")


class CatalogueTranslations:
    """WTForms' messages ("This field is required.") in the reader's language: our catalogue
    (lms/translations) first, where the programme words them; WTForms' own catalogue for any
    message we did not word ourselves."""

    def gettext(self, string: str) -> str:
        translated = get_translations().ugettext(string)
        if translated == string and wtforms_translations is not None:
            return wtforms_translations.gettext(string)
        return translated

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        translated = get_translations().ungettext(singular, plural, n)
        if translated in (singular, plural) and wtforms_translations is not None:
            return wtforms_translations.ngettext(singular, plural, n)
        return translated


TRANSLATIONS = CatalogueTranslations()

#: WTForms' messages our forms can show, listed so that extraction keeps them in the catalogue
#: (the validators ask for them by these very words).
WTFORMS_MESSAGES = (
    _l("This field is required."),
    lazy_ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
)


class Form(FlaskForm):
    """A form posted to a view: CSRF-checked, its messages translated.

    ``get(name)`` gives what the form shows in a field (what was typed when it comes back
    refused), so that a template can take either a refused form or a plain mapping of a
    record's values."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS

    def get(self, name: str, default: Any = "") -> Any:
        field = self._fields.get(name)
        if field is None:
            return default
        if field.raw_data:
            return field.raw_data[0] if isinstance(field.raw_data[0], str) else default
        if field.data is None or field.data == "" or field.data is False:
            return default
        if field.data is True:
            return "1"
        return field.data.value if isinstance(field.data, enum.Enum) else str(field.data)

    def first_error(self) -> str:
        """The first message of the form, for the pages that flash it and go back."""
        for messages in self.errors.values():
            if messages:
                return str(messages[0])
        return ""


class QueryForm(Form):
    """A filter read from the query string (a GET form): no CSRF token (nothing changes), its
    values from ``request.args``."""

    class Meta:
        csrf = False

        def wrap_formdata(self, form, formdata):
            return request.args if formdata is _AUTO else formdata


class WholeNumberField(StringField):
    """A whole number as people type it: "8000", "8 000", "8 000" (no-break spaces, as French
    number formatting writes it); empty is None. Junk is refused with ``message``. The wages
    of every job form are read with it."""

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message or _l("Write a whole number, e.g. 8 000.")

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist:
            return
        cleaned = valuelist[0] or ""
        for separator in DIGIT_SEPARATORS:
            cleaned = cleaned.replace(separator, "")
        if not cleaned:
            return
        if not cleaned.isascii() or not cleaned.lstrip("-").isdigit():
            raise ValueError(str(self.message))
        self.data = int(cleaned)

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class IsoDateField(StringField):
    """A date written YYYY-MM-DD (what ``<input type="date">`` sends); empty is None."""

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message or _l("Dates are written YYYY-MM-DD.")

    def process_formdata(self, valuelist):
        self.data = None
        value = (valuelist[0] if valuelist else "") or ""
        if not value.strip():
            return
        try:
            self.data = date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(str(self.message)) from exc

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if isinstance(self.data, date) else ""


class EnumField(StringField):
    """One value of an enumeration (a select's options); empty is None, anything else that is
    not a value is refused with ``message``."""

    def __init__(self, label=None, validators=None, enum_class=None, message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.enum_class = enum_class
        self.message = message or _l("Choose from the list.")

    def process_formdata(self, valuelist):
        self.data = None
        value = (valuelist[0] if valuelist else "") or ""
        if not value:
            return
        try:
            self.data = self.enum_class(value)
        except ValueError as exc:
            raise ValueError(str(self.message)) from exc


class ChoiceField(StringField):
    """One of a few fixed values (a radio group, a button's value); empty is None."""

    def __init__(self, label=None, validators=None, values: Iterable[str] = (), message=None, **kw):
        super().__init__(label, validators, **kw)
        self.values = tuple(values)
        self.message = message or _l("Choose from the list.")

    def process_formdata(self, valuelist):
        value = (valuelist[0] if valuelist else "") or ""
        self.data = value or None
        if value and value not in self.values:
            raise ValueError(str(self.message))


class YesNoField(ChoiceField):
    """ "yes", "no", or not known (empty): True, False or None."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, values=("yes", "no"), **kwargs)

    @property
    def answer(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.data or "")


class IdField(StringField):
    """The id of a row chosen in a select (the view looks it up, and 404s or refuses what it
    does not find); empty, or anything but digits, is None."""

    def process_formdata(self, valuelist):
        value = (valuelist[0] if valuelist else "") or ""
        self.data = int(value) if _digits(value) else None


def _digits(value: object) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit()


class IdListField(Field):
    """Every id a list of checkboxes or hidden inputs sends under one name; what is not digits
    is dropped."""

    def process_formdata(self, valuelist):
        self.data = [int(v) for v in valuelist if _digits(v)]

    def process_data(self, value):
        self.data = list(value or [])


class Required:
    """Something must be given. A field whose text could not be read (a date written 24/11)
    already says so, and is not told again that it is required."""

    field_flags = {"required": True}

    def __init__(self, message: str | None = None):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.process_errors:
            raise StopValidation()
        if field.data is None or (isinstance(field.data, str) and not field.data.strip()):
            message = self.message or field.gettext("This field is required.")
            raise StopValidation(str(message))


def field_errors(values: Any, name: str) -> list[str]:
    """The messages of one field of a refused form (none for a plain mapping of values)."""
    if isinstance(values, Form) and name in values._fields:
        return [str(m) for m in values._fields[name].errors]
    return []


def described_by(values: Any, name: str, key: str) -> Markup:
    """The attributes that tie a field to its error message, for screen readers."""
    if not field_errors(values, name):
        return Markup("")
    return Markup('aria-invalid="true" aria-describedby="{}"').format(error_id(key, name))


def error_id(key: str, name: str) -> str:
    return f"{key}-{name}-error" if key else f"{name}-error"


def field_error(values: Any, name: str, key: str = "") -> Markup:
    """The first message of one field, next to it, with the id ``described_by`` names."""
    errors = field_errors(values, name)
    if not errors:
        return Markup("")
    return Markup('<span class="field-error" id="{}" role="alert">{}</span>').format(
        error_id(key, name), escape(errors[0])
    )


def init_app(app: Flask) -> None:
    """The helpers templates use to show a field's error beside it."""
    app.jinja_env.globals.update(
        field_errors=field_errors, field_error=field_error, described_by=described_by
    )
