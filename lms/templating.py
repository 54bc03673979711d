"""Template globals and filters."""

from __future__ import annotations

import functools
from decimal import Decimal

from babel.numbers import NumberPattern, parse_pattern
from flask import Flask, Response
from flask_babel import get_locale
from markdown_it import MarkdownIt
from markupsafe import Markup

from lms.content.markdown import highlight_code, pygments_css
from lms.i18n import text_direction


def init_app(app: Flask) -> None:
    @app.context_processor
    def _globals() -> dict:
        return {"locale": str(get_locale()), "text_direction": text_direction()}

    app.jinja_env.filters["highlight"] = highlight_code
    # Grader feedback is Markdown; raw HTML in it is escaped, never trusted.
    feedback_markdown = MarkdownIt("commonmark", {"html": False})
    app.jinja_env.filters["markdown"] = lambda text: Markup(  # noqa: S704 - html is off
        feedback_markdown.render(text or "")
    )
    app.jinja_env.filters["percent"] = lambda value, total: (
        round(100 * value / total) if total else 0
    )
    app.jinja_env.filters["share"] = share
    app.jinja_env.filters["mad"] = mad

    @app.get("/static/pygments.css")
    def pygments_stylesheet() -> Response:
        return Response(
            pygments_css(), mimetype="text/css", headers={"Cache-Control": "public, max-age=3600"}
        )


#: What a figure that cannot be computed (no denominator, no pay known) shows.
MISSING = "–"


def share(value: float | Decimal | None, pattern: str = "#,##0.0%") -> str:
    """A share as a percentage in the reader's locale (45.7% / 45,7 %), or a dash."""
    return MISSING if value is None else _pattern(pattern).apply(value, get_locale())


def mad(value: float | Decimal | None) -> str:
    """An amount of dirhams, whole, grouped in the reader's locale, or a dash."""
    return MISSING if value is None else _pattern("#,##0").apply(value, get_locale())


@functools.lru_cache(maxsize=32)
def _pattern(pattern: str) -> NumberPattern:
    # Babel parses the pattern on every call of format_percent: a report page formats some
    # 1,300 figures, and parsing was a fifth of its rendering.
    return parse_pattern(pattern)
