"""Markdown to HTML for lessons and exercise prompts.

CommonMark plus tables, admonitions (``::: note|tip|warning|danger [title]``), exercise embeds
(``::: exercise <slug>``), Pygments-highlighted code, and links to other lessons written as
relative paths to their ``.md`` files. Raw HTML in the source is escaped, never passed through.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

ADMONITIONS = {"note": "Remarque", "tip": "Astuce", "warning": "Attention", "danger": "Danger"}
_FORMATTER = HtmlFormatter(cssclass="highlight")


@dataclass
class RenderContext:
    """What a render needs to know of the rest of the content, and what it found."""

    #: Path of the source file inside its track folder, e.g. "01-bases/02-fonctions.md".
    path: str
    #: Does this track-relative path name a lesson?
    lesson_exists: Callable[[str], bool] = lambda _path: True
    #: Exercise slug -> (id, title) or None when unknown.
    find_exercise: Callable[[str], tuple[str, str] | None] = lambda _slug: None
    #: Quiz slug -> its form's HTML (quizzes are extracted before rendering).
    render_quiz: Callable[[str], tuple[str, str] | None] = lambda _slug: None
    #: URL prefix of exercise pages.
    exercise_url: str = "/exercises/"
    exercises: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def highlight_code(code: str, language: str) -> str:
    try:
        lexer = get_lexer_by_name(language or "text")
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    return highlight(code, lexer, _FORMATTER)


def _fence(self, tokens, idx, _options, _env) -> str:
    """Fenced code as Pygments renders it (its own <div class="highlight"><pre>), not wrapped
    again in markdown-it's <pre><code>."""
    token = tokens[idx]
    language = token.info.strip().split(" ")[0] if token.info else ""
    return highlight_code(token.content, language)


def render(source: str, context: RenderContext) -> str:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule("fence", _fence)
    for kind, default_title in ADMONITIONS.items():
        md.use(container_plugin, name=kind, render=_admonition(kind, default_title))
    md.use(container_plugin, name="exercise", render=_exercise(context))
    md.use(container_plugin, name="quizembed", render=_quiz(context))
    md.core.ruler.push("lesson_links", _rewrite_links(context))
    return md.render(source)


def _admonition(kind: str, default_title: str):
    def render_token(self, tokens, idx, _options, _env):
        token = tokens[idx]
        if token.nesting != 1:
            return "</div>\n"
        title = token.info.strip()[len(kind) :].strip() or default_title
        return (
            f'<div class="admonition admonition-{kind}" role="note">'
            f'<p class="admonition-title">{html.escape(title)}</p>\n'
        )

    return render_token


def _exercise(context: RenderContext):
    def render_token(self, tokens, idx, _options, _env):
        token = tokens[idx]
        if token.nesting != 1:
            return "</div></div>\n"
        slug = token.info.strip()[len("exercise") :].strip()
        found = context.find_exercise(slug)
        if found is None:
            context.problems.append(f"embedded exercise {slug!r} does not exist")
            return '<div class="exercise-embed missing"><div>'
        exercise_id, title = found
        context.exercises.append(exercise_id)
        url = html.escape(context.exercise_url + exercise_id)
        return (
            f'<div class="exercise-embed" data-exercise="{html.escape(exercise_id)}">'
            f'<a class="exercise-link" href="{url}">{html.escape(title)}</a><div>'
        )

    return render_token


def _quiz(context: RenderContext):
    def render_token(self, tokens, idx, _options, _env):
        if tokens[idx].nesting != 1:
            return ""
        found = context.render_quiz(tokens[idx].info.strip()[len("quizembed") :].strip())
        if found is None:
            return ""
        quiz_id, form = found
        context.exercises.append(quiz_id)
        return form

    return render_token


def _rewrite_links(context: RenderContext):
    """``02-fonctions.md#x`` -> ``02-fonctions#x``: lesson URLs mirror the folder layout, so
    the relative link stays relative. Links to missing lessons are reported."""

    def rule(state) -> None:
        for block in state.tokens:
            for token in block.children or []:
                if token.type != "link_open":
                    continue
                href = token.attrGet("href") or ""
                target, _, anchor = href.partition("#")
                if (
                    "://" in target
                    or target.startswith(("/", "mailto:"))
                    or not target.endswith(".md")
                ):
                    continue
                resolved = posixpath.normpath(
                    posixpath.join(posixpath.dirname(context.path), target)
                )
                if not context.lesson_exists(resolved):
                    context.problems.append(f"link to {href!r}: no such lesson")
                token.attrSet("href", target[: -len(".md")] + (f"#{anchor}" if anchor else ""))

    return rule


def pygments_css() -> str:
    return _FORMATTER.get_style_defs(".highlight")


def render_document(source: str) -> str:
    """Markdown written in the app (a company's brief, a team's report): the lesson dialect
    without lessons around it. Raw HTML is escaped; unsafe link schemes are dropped."""
    return render(source, RenderContext(path="document.md", lesson_exists=lambda _path: False))
