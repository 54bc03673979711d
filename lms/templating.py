"""Template globals and filters."""

from __future__ import annotations

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

    @app.get("/static/pygments.css")
    def pygments_stylesheet() -> Response:
        return Response(
            pygments_css(), mimetype="text/css", headers={"Cache-Control": "public, max-age=3600"}
        )
