"""The report pages' number filters: shares and dirhams in the reader's locale, a dash for a
figure that cannot be computed; the same text as Babel's own formatting, faster."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal, format_percent
from flask_babel import force_locale

from lms.templating import MISSING, mad, share


@pytest.mark.parametrize("locale", ["en", "fr", "ar"])
@pytest.mark.parametrize("value", [0, 0.4567, Decimal("0.125"), 1, 1.5])
def test_a_share_reads_as_babel_writes_it(app, locale, value):
    with app.test_request_context(), force_locale(locale):
        assert share(value) == format_percent(value, "#,##0.0%", locale=locale)
        assert share(value, "#,##0.0#%") == format_percent(value, "#,##0.0#%", locale=locale)


def test_shares_and_pay_follow_the_locale_and_missing_figures_are_a_dash(app):
    with app.test_request_context():
        with force_locale("fr"):
            assert (share(0.4567), mad(12345.6)) == ("45,7%", format_decimal(12346, locale="fr"))
        with force_locale("en"):
            assert (share(0.4567), mad(12345.6)) == ("45.7%", "12,346")
        assert share(None) == mad(None) == MISSING == "–"
