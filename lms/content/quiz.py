"""Quizzes written in lesson Markdown, graded in the application (no container).

::

    ::: quiz sap-modules
    Titre du quiz : Les modules SAP
    ? Quel module gère la comptabilité générale ?
    - [ ] SD
    - [x] FI

    ? Nom technique de la table des incidents ?
    = incident
    = /^incidents?$/i
    :::

One ``[x]`` makes a single-choice question, several a multiple-answer one (the learner must
tick exactly the correct set); ``=`` lines are accepted short answers, plain (compared without
case and extra spaces) or ``/regex/flags`` (matching the whole answer). One point a question.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

QUIZ_BLOCK = re.compile(r"^::: quiz[ \t]+(\S+)[ \t]*\n(.*?)^:::[ \t]*$", re.M | re.S)
TITLE = re.compile(r"^(?:Titre du quiz|Title)\s*:\s*(.+)$")
OPTION = re.compile(r"^- \[([ xX])\] (.+)$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_inline = MarkdownIt("commonmark", {"html": False})

TEXT = {
    "fr": {
        "wrong": "Réponse incorrecte.",
        "multiple": "Il faut cocher toutes les bonnes réponses, et seulement elles.",
        "empty": "Pas de réponse.",
        "summary": "**{score}/{max_score}** — {score} bonne(s) réponse(s) sur {max_score}.",
        "all": "Parfait, toutes les réponses sont justes !",
    },
    "en": {
        "wrong": "Wrong answer.",
        "multiple": "Tick every right answer, and only those.",
        "empty": "No answer.",
        "summary": "**{score}/{max_score}** — {score} right answer(s) out of {max_score}.",
        "all": "Perfect, every answer is right!",
    },
}


class QuizError(ValueError):
    """A quiz that cannot be parsed; the message says where."""


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    #: "single" | "multiple" | "short"
    kind: str
    options: tuple[str, ...] = ()
    correct: tuple[int, ...] = ()
    accepted: tuple[str, ...] = ()

    @property
    def html(self) -> str:
        return _inline.renderInline(self.text)

    def is_right(self, answer: object) -> bool:
        if self.kind == "short":
            return isinstance(answer, str) and any(_accepts(a, answer) for a in self.accepted)
        chosen = answer if isinstance(answer, list) else [answer]
        try:
            picked = {int(c) for c in chosen if c is not None and str(c) != ""}
        except (TypeError, ValueError):
            return False
        return picked == set(self.correct)

    def right_answer(self) -> object:
        if self.kind == "short":
            plain = [a for a in self.accepted if not a.startswith("/")]
            return plain[0] if plain else _example_for(self.accepted[0])
        return [str(i) for i in self.correct]


@dataclass(frozen=True)
class Quiz:
    slug: str
    title: str
    questions: tuple[Question, ...]

    def solution(self) -> dict:
        return {q.id: q.right_answer() for q in self.questions}

    def grade(self, answers_json: str, language: str = "fr") -> dict:
        """The result of submitted answers (see :func:`grade`)."""
        return grade(self, answers_json, language)


def _accepts(pattern: str, answer: str) -> bool:
    normal = " ".join(answer.split())
    if pattern.startswith("/"):
        body, _, flags = pattern[1:].rpartition("/")
        return re.fullmatch(body, normal, re.I if "i" in flags else 0) is not None
    return normal.casefold() == " ".join(pattern.split()).casefold()


def _example_for(pattern: str) -> str:
    """A regex-only question still needs a reference answer for `lms content check`."""
    body = pattern[1:].rpartition("/")[0].strip("^$")
    return re.sub(r"[\\()?*+|\[\]{}]", "", body)


def extract(text: str) -> tuple[str, list[Quiz], list[str]]:
    """Quizzes found in a lesson, the lesson with each quiz replaced by an embed line, and the
    problems found (each quiz's parse error; the quiz is then left out)."""
    quizzes: list[Quiz] = []
    problems: list[str] = []

    def replace(match: re.Match) -> str:
        try:
            quizzes.append(parse(match.group(1), match.group(2)))
        except QuizError as exc:
            problems.append(f"quiz {match.group(1)!r}: {exc}")
            return ""
        return f"::: quizembed {match.group(1)}\n:::\n"

    return QUIZ_BLOCK.sub(replace, text), quizzes, problems


def parse(slug: str, body: str) -> Quiz:
    if not SLUG.match(slug):
        raise QuizError("the slug must be lowercase letters, digits and hyphens")
    lines = [line.rstrip() for line in body.splitlines()]
    first = next((line for line in lines if line.strip()), "")
    title = TITLE.match(first.strip())
    if not title:
        raise QuizError("the first line must be 'Titre du quiz : ...'")
    blocks, current = [], None
    for number, line in enumerate(lines[lines.index(first) + 1 :], start=2):
        if line.startswith("? "):
            current = {"text": line[2:].strip(), "options": [], "accepted": [], "line": number}
            blocks.append(current)
        elif line.strip() and current is None:
            raise QuizError(f"line {number}: expected a question starting with '? '")
        elif option := OPTION.match(line.strip()):
            current["options"].append((option.group(1).lower() == "x", option.group(2).strip()))
        elif line.strip().startswith("= "):
            current["accepted"].append(_checked_pattern(line.strip()[2:].strip(), number))
        elif line.strip():
            raise QuizError(f"line {number}: not an option ('- [ ]', '- [x]') nor '= answer'")
    if not blocks:
        raise QuizError("no question")
    return Quiz(
        slug, title.group(1).strip(), tuple(_question(i, b) for i, b in enumerate(blocks, start=1))
    )


def _checked_pattern(pattern: str, number: int) -> str:
    if pattern.startswith("/"):
        body, slash, _ = pattern[1:].rpartition("/")
        if not slash:
            raise QuizError(f"line {number}: a regex answer is written /regex/ or /regex/i")
        try:
            re.compile(body)
        except re.error as exc:
            raise QuizError(f"line {number}: invalid regex: {exc}") from None
    return pattern


def _question(index: int, block: dict) -> Question:
    where = f"question {index} (line {block['line']})"
    if block["options"] and block["accepted"]:
        raise QuizError(f"{where}: mixes options and short answers")
    if block["accepted"]:
        return Question(f"q{index}", block["text"], "short", accepted=tuple(block["accepted"]))
    correct = tuple(i for i, (right, _) in enumerate(block["options"]) if right)
    if len(block["options"]) < 2:
        raise QuizError(f"{where}: a choice question needs at least 2 options")
    if not correct:
        raise QuizError(f"{where}: no correct answer marked with [x]")
    return Question(
        f"q{index}",
        block["text"],
        "single" if len(correct) == 1 else "multiple",
        options=tuple(text for _, text in block["options"]),
        correct=correct,
    )


def grade(quiz: Quiz, answers_json: str, language: str = "fr") -> dict:
    """The result JSON (same shape as every grader's) for submitted answers."""
    text = TEXT.get(language, TEXT["fr"])
    try:
        answers = json.loads(answers_json or "{}")
    except ValueError:
        answers = {}
    if not isinstance(answers, dict):
        answers = {}
    tests = []
    for question in quiz.questions:
        answer = answers.get(question.id)
        right = question.is_right(answer)
        message = (
            ""
            if right
            else (
                text["empty"]
                if answer in (None, "", [])
                else text["multiple"]
                if question.kind == "multiple"
                else text["wrong"]
            )
        )
        tests.append(
            {
                "name": question.text,
                "outcome": "passed" if right else "failed",
                "points": int(right),
                "max_points": 1,
                "message": message,
            }
        )
    score = sum(t["points"] for t in tests)
    feedback = text["summary"].format(score=score, max_score=len(tests))
    if score == len(tests):
        feedback += "\n\n" + text["all"]
    return {
        "score": score,
        "max_score": len(tests),
        "tests": tests,
        "feedback": feedback,
        "truncated": False,
        "limit_hit": None,
        "tampered": False,
    }


def render_form(quiz: Quiz, exercise_id: str, action: str) -> str:
    """The quiz as a form inside the lesson; submitted like any exercise."""
    parts = [
        f'<form class="quiz card" method="post" action="{html.escape(action)}" '
        f'data-quiz="{html.escape(exercise_id)}">',
        f'<h3 class="quiz-title">{html.escape(quiz.title)}</h3>',
    ]
    for question in quiz.questions:
        name = f"{exercise_id}:{question.id}"
        parts.append(
            f'<fieldset class="question" data-question="{question.id}">'
            f"<legend>{question.html}</legend>"
        )
        if question.kind == "short":
            parts.append(
                f'<input type="text" name="{question.id}" autocomplete="off" '
                f'aria-label="{html.escape(question.text)}" id="{html.escape(name)}">'
            )
        kind = "radio" if question.kind == "single" else "checkbox"
        for index, option in enumerate(question.options):
            parts.append(
                f'<label><input type="{kind}" name="{question.id}" value="{index}"> '
                f"{_inline.renderInline(option)}</label>"
            )
        parts.append("</fieldset>")
    # The quiz is in the track's language, like its questions.
    parts.append(
        '<p><button type="submit" class="primary">Valider</button></p>'
        '<div class="quiz-result" aria-live="polite"></div></form>'
    )
    return "\n".join(parts)
