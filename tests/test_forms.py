"""Forms (lms/forms.py): every view reads its input through a WTForms form, numbers are read as
people write them, and WTForms' own messages speak the page's language."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lms.outcomes.recording.forms import JobForm

LMS = Path(__file__).resolve().parent.parent / "lms"
#: Out of this rule: sign-in and the JSON API (changed by others, their reads reviewed there),
#: and lms/forms.py itself, which hands the query string to the query-string forms.
EXEMPT = ("auth", "api", "forms.py")
RAW_INPUTS = {"form", "files", "args", "values"}


def raw_request_reads(source: str) -> list[tuple[int, str]]:
    """Each ``request.form``, ``request.files``, ``request.args`` (or ``.values``) in the
    source, ``flask.request.form`` included, with its line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Attribute) and node.attr in RAW_INPUTS):
            continue
        owner = node.value
        name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
        if name == "request":
            found.append((node.lineno, f"request.{node.attr}"))
    return found


def test_the_check_finds_every_way_of_reading_the_request():
    source = (
        "from flask import request\n"
        "import flask\n"
        "a = request.form.get('x')\n"
        "b = request.files['f']\n"
        "c = flask.request.args.get('page', type=int)\n"
        "d = request.form\n"
        "e = request.json  # JSON bodies are not forms\n"
    )
    assert sorted(line for line, _ in raw_request_reads(source)) == [3, 4, 5, 6]


def test_no_view_reads_the_request_form_files_or_args_itself():
    offenders = []
    for path in sorted(LMS.rglob("*.py")):
        relative = path.relative_to(LMS)
        if relative.parts[0] in EXEMPT or "migrations" in relative.parts:
            continue
        for line, read in raw_request_reads(path.read_text(encoding="utf-8")):
            offenders.append(f"lms/{relative}:{line}: {read}")
    assert offenders == [], "read it through a form (lms/forms.py):\n" + "\n".join(offenders)


# One wage field ------------------------------------------------------------------------------


def job_form(app, locale: str, **values) -> JobForm:
    """A job form read from ``values`` in a request whose page is in ``locale``."""
    data = {
        "job_title": "Développeuse back-end",
        "occupation": "2512",
        "employment_status": "permanent",
        "started_on": "2026-03-02",
        **values,
    }
    with app.test_request_context(
        "/", method="POST", data=data, headers={"Cookie": f"locale={locale}"}
    ):
        form = JobForm(meta={"csrf": False})
        form.validate()
        return form


@pytest.mark.parametrize(
    "typed",
    ["8000", "8 000", "8\u00a0000", "8\u202f000", " 8 000 ", "8\u202f000\u00a0"],
    ids=["plain", "space", "no-break space", "narrow no-break space", "padded", "trailing"],
)
def test_a_wage_is_read_however_its_thousands_are_spaced(app, typed):
    form = job_form(app, "fr", monthly_pay_mad=typed)
    assert form.errors == {}
    assert form.details().monthly_pay_mad == 8000


def test_no_wage_is_no_wage(app):
    form = job_form(app, "fr", monthly_pay_mad="")
    assert form.errors == {} and form.details().monthly_pay_mad is None


@pytest.mark.parametrize("junk", ["huit mille", "8.000", "8,000", "8000 MAD", "8 000,50", "1e4"])
def test_a_wage_that_is_not_a_whole_number_is_refused_in_french(app, junk):
    form = job_form(app, "fr", monthly_pay_mad=junk)
    assert form.errors == {
        "monthly_pay_mad": ["Les heures et le salaire s'écrivent en nombres entiers."]
    }
    assert form.get("monthly_pay_mad") == junk, "what was typed is shown again as typed"


def test_the_same_refusal_reads_in_english_on_an_english_page(app):
    form = job_form(app, "en", monthly_pay_mad="huit mille")
    assert form.errors == {"monthly_pay_mad": ["Hours and pay are written as whole numbers."]}


def test_wtforms_own_messages_are_in_french_on_a_french_page(app):
    form = job_form(app, "fr", job_title="", employer_name="x" * 201)
    assert form.errors == {
        "job_title": ["Ce champ est obligatoire."],
        "employer_name": ["Ce champ ne peut pas dépasser 200 caractères."],
    }
