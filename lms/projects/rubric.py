"""Rubrics, written by companies in Markdown and scored by reviewers.

A rubric is a list of criteria; each has a weight and levels described from lowest to
highest::

    ## Qualité du code (30)
    - Insuffisant : le code ne s'exécute pas ou n'est pas lisible.
    - Correct : le code fonctionne, quelques duplications.
    - Excellent : code clair, testé, découpé en fonctions.

A criterion at level *i* of *n* earns ``weight × i / (n − 1)``: the lowest level earns
nothing, the highest its full weight. The score is the sum, out of the sum of the weights.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

HEADING = re.compile(r"^##\s+(?P<name>.+?)\s*\((?P<weight>\d+(?:[.,]\d+)?)\)\s*$")
LEVEL = re.compile(r"^[-*]\s+(?P<label>[^:]+?)\s*:\s*(?P<description>.+)$")
#: What a new brief's rubric field starts with: a real rubric to adapt, not an empty box.
EXAMPLE = """## Le produit répond au besoin (40)
- Insuffisant : les fonctions principales manquent ou ne marchent pas.
- Partiel : l'essentiel marche, des cas courants échouent.
- Complet : tout ce que demande le brief marche, cas limites compris.

## Qualité du code (30)
- Insuffisant : illisible, sans tests.
- Correct : lisible, quelques tests.
- Excellent : clair, découpé, bien testé.

## Présentation au client (30)
- Insuffisant : la démonstration ne permet pas de juger.
- Correct : claire, mais les choix ne sont pas expliqués.
- Excellent : claire, les choix et leurs limites sont expliqués.
"""
MAX_CRITERIA = 20
MAX_LEVELS = 6


class RubricError(ValueError):
    """A rubric that cannot be used, with the line and the reason."""


def parse(text: str) -> list[dict]:
    criteria: list[dict] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if heading := HEADING.match(line):
            criteria.append(_criterion(heading, number, criteria))
        elif level := LEVEL.match(line):
            if not criteria:
                raise RubricError(_l("Line %(n)d: a level comes before any criterion.", n=number))
            criteria[-1]["levels"].append(
                {"label": level["label"].strip(), "description": level["description"].strip()}
            )
        else:
            raise RubricError(
                _l(
                    "Line %(n)d: expected '## Criterion (weight)' or '- Level : description'.",
                    n=number,
                )
            )
    _check(criteria)
    return criteria


def _criterion(heading: re.Match, number: int, criteria: list[dict]) -> dict:
    name = heading["name"].strip()
    if any(c["name"] == name for c in criteria):
        raise RubricError(
            _l("Line %(n)d: the criterion %(name)s appears twice.", n=number, name=name)
        )
    weight = float(heading["weight"].replace(",", "."))
    if weight <= 0:
        raise RubricError(_l("Line %(n)d: a weight must be above zero.", n=number))
    return {"name": name, "weight": weight, "levels": []}


def _check(criteria: list[dict]) -> None:
    if not criteria:
        raise RubricError(_l("The rubric needs at least one criterion."))
    if len(criteria) > MAX_CRITERIA:
        raise RubricError(_l("A rubric has at most %(n)d criteria.", n=MAX_CRITERIA))
    for criterion in criteria:
        if not 2 <= len(criterion["levels"]) <= MAX_LEVELS:
            raise RubricError(
                _l(
                    "The criterion %(name)s needs between 2 and %(max)d levels.",
                    name=criterion["name"],
                    max=MAX_LEVELS,
                )
            )


def to_text(criteria: list[dict]) -> str:
    """The Markdown a company edits; ``parse(to_text(r)) == r``."""
    blocks = []
    for criterion in criteria:
        weight = f"{criterion['weight']:g}"
        lines = [f"## {criterion['name']} ({weight})"]
        lines += [f"- {level['label']} : {level['description']}" for level in criterion["levels"]]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def score(criteria: list[dict], levels: dict[str, int]) -> float:
    """The score earned with ``levels`` ({criterion: level index}); every criterion counts."""
    total = 0.0
    for criterion in criteria:
        steps = len(criterion["levels"]) - 1
        total += criterion["weight"] * levels[criterion["name"]] / steps
    return round(total, 2)


def max_score(criteria: list[dict]) -> float:
    return float(sum(c["weight"] for c in criteria))
