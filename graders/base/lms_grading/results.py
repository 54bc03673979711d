"""The result every judge sends back, its messages in the learner's language, and what it may
never contain (a line of the hidden tests)."""

from __future__ import annotations

import json
from pathlib import Path

RESULT_LIMIT = 1_000_000
MESSAGE_LIMIT = 4000
#: A message line this long or longer that is also a line of the hidden tests is withheld.
SECRET_LINE_MIN = 12

MESSAGES = {
    "fr": {
        "not_run": "Ce test n'a pas été exécuté.",
        "import_error": "Votre code n'a pas pu être importé : {error}",
        "timeout": "Temps limite dépassé ({limit} s) : une boucle infinie, ou un calcul trop "
        "lent ?",
        "memory": "Mémoire épuisée : votre programme a dépassé la limite de mémoire.",
        "output": "Trop de sortie : votre programme a écrit plus de {limit} octets.",
        "exited": "Votre programme s'est arrêté pendant ce test (code de sortie {code}) : "
        "exit() ou une erreur fatale ?",
        "stopped": "Votre programme s'est arrêté pendant ce test.",
        "after_stop": "Ce test n'a pas pu être exécuté : votre programme avait été arrêté "
        "pendant un test précédent.",
        "assertion": "Le résultat n'est pas celui attendu.",
        "skipped": "Ce test a été sauté.",
        "summary": "**{score}/{max_score}** — {passed} test(s) réussi(s) sur {total}.",
        "all_passed": "Bravo, tous les tests passent !",
        "withheld": "[ligne masquée : elle appartient aux tests cachés]",
    },
    "en": {
        "not_run": "This test did not run.",
        "import_error": "Your code could not be imported: {error}",
        "timeout": "Time limit exceeded ({limit} s): an infinite loop, or a computation too slow?",
        "memory": "Out of memory: your program went over the memory limit.",
        "output": "Too much output: your program wrote more than {limit} bytes.",
        "exited": "Your program stopped during this test (exit status {code}): exit() or a "
        "fatal error?",
        "stopped": "Your program stopped during this test.",
        "after_stop": "This test could not run: your program had been stopped during an "
        "earlier test.",
        "assertion": "The result is not the expected one.",
        "skipped": "This test was skipped.",
        "summary": "**{score}/{max_score}** — {passed} of {total} test(s) passed.",
        "all_passed": "Well done, every test passes!",
        "withheld": "[line withheld: it belongs to the hidden tests]",
    },
}


def texts(lang: str) -> dict[str, str]:
    return MESSAGES.get(lang, MESSAGES["fr"])


def test_entry(name: str, max_points: int, test_id: str | None = None) -> dict:
    """A test that has not passed (yet)."""
    entry = {
        "name": name,
        "outcome": "failed",
        "points": 0,
        "max_points": max_points,
        "message": "",
    }
    if test_id is not None:
        entry["id"] = test_id
    return entry


def build(tests: list[dict], lang: str, limit_hit: str | None, note: str | None = None) -> dict:
    """The result: score, feedback summary, the first limit the learner's code hit (if any).

    Tests that passed keep their points even if a later one hit a limit: every verdict comes
    from the judge, so a test that passed did pass.
    """
    text = texts(lang)
    score = sum(t["points"] for t in tests)
    max_score = sum(t["max_points"] for t in tests)
    passed = sum(t["outcome"] == "passed" for t in tests)
    feedback = text["summary"].format(
        score=score, max_score=max_score, passed=passed, total=len(tests)
    )
    if note:
        feedback += "\n\n" + note
    elif score == max_score and tests:
        feedback += "\n\n" + text["all_passed"]
    return {
        "score": score,
        "max_score": max_score,
        "tests": tests,
        "feedback": feedback,
        "truncated": False,
        "limit_hit": limit_hit,
        "tampered": False,
    }


def hidden_lines(tests_dir: Path) -> set[str]:
    """Every line of the hidden files that is long enough to say something."""
    lines: set[str] = set()
    for path in tests_dir.rglob("*"):
        if path.is_file() and path.stat().st_size < 4_000_000:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            lines.update(
                ln.strip() for ln in text.splitlines() if len(ln.strip()) >= SECRET_LINE_MIN
            )
    return lines


def scrub(result: dict, secret: set[str], lang: str) -> dict:
    """Withhold from every message each line that is a line of the hidden tests."""
    withheld = texts(lang)["withheld"]

    def clean(message: str) -> str:
        if not secret or not message:
            return message
        return "\n".join(
            withheld if line.strip() in secret else line for line in message.splitlines()
        )

    for test in result["tests"]:
        test["message"] = clean(test.get("message", ""))[:MESSAGE_LIMIT]
    result["feedback"] = clean(result["feedback"])
    return result


def fit(result: dict) -> dict:
    """Keep the result under RESULT_LIMIT by shortening messages."""
    while len(json.dumps(result)) > RESULT_LIMIT:
        result["truncated"] = True
        for test in result["tests"]:
            test["message"] = test["message"][: max(len(test["message"]) // 2, 200)]
        if all(len(test["message"]) <= 200 for test in result["tests"]):
            result["tests"] = result["tests"][: len(result["tests"]) // 2]
    return result
