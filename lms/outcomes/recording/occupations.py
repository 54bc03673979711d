"""Occupations (ISCO-08 unit groups) and which of them are "in field" for each track.

The list of in-field occupations is the programme's decision, kept here rather than in the
content repository, so that a track's authors cannot widen their own field to improve their
placement rate. A job's ``in_field`` follows from its occupation code, never from a tick box.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: The ISCO-08 unit groups a bootcamp graduate's job is likely to fall in, then the major
#: groups ("9") for everything else.
OCCUPATIONS: dict[str, object] = {
    "1330": _l("ICT services manager"),
    "2120": _l("Mathematician, actuary or statistician"),
    "2166": _l("Graphic and multimedia designer"),
    "2421": _l("Management and organisation analyst"),
    "2511": _l("Systems analyst"),
    "2512": _l("Software developer"),
    "2513": _l("Web and multimedia developer"),
    "2514": _l("Applications programmer"),
    "2519": _l("Software and applications developer n.e.c. (tester, data scientist)"),
    "2521": _l("Database designer or administrator"),
    "2522": _l("Systems administrator"),
    "2523": _l("Computer network professional"),
    "2529": _l("Database and network professional n.e.c. (security analyst)"),
    "3511": _l("ICT operations technician"),
    "3512": _l("ICT user support technician"),
    "3513": _l("Computer network and systems technician"),
    "3514": _l("Web technician"),
    "4132": _l("Data entry clerk"),
    "4222": _l("Contact centre information clerk"),
    "5223": _l("Shop sales assistant"),
    "1": _l("Other manager"),
    "2": _l("Other professional"),
    "3": _l("Other technician or associate professional"),
    "4": _l("Other clerical support worker"),
    "5": _l("Other service or sales worker"),
    "7": _l("Craft or trade worker"),
    "8": _l("Plant or machine operator"),
    "9": _l("Elementary occupation"),
}

_ICT = {"1330", "2511", "2512", "2513", "2514", "2519", "2521", "2522", "2523", "2529"}
_ICT_TECHNICIANS = {"3511", "3512", "3513", "3514"}

#: Track slug -> the occupation codes that count as in field.
IN_FIELD: dict[str, frozenset[str]] = {
    "python-backend": frozenset(_ICT | _ICT_TECHNICIANS),
    "javascript-frontend": frozenset(_ICT | _ICT_TECHNICIANS | {"2166"}),
    "analyse-donnees": frozenset(_ICT | {"2120", "2421"}),
    "intelligence-artificielle": frozenset(_ICT | {"2120"}),
    "cybersecurite": frozenset(_ICT | _ICT_TECHNICIANS),
    "plateformes-entreprise": frozenset(_ICT | _ICT_TECHNICIANS | {"2421"}),
}
#: Tracks not listed above: ICT professionals and technicians.
DEFAULT_IN_FIELD = frozenset(_ICT | _ICT_TECHNICIANS)


def is_known(code: str) -> bool:
    return code in OCCUPATIONS


def in_field(track: str, code: str | None) -> bool:
    return code is not None and code in IN_FIELD.get(track, DEFAULT_IN_FIELD)


def choices() -> list[tuple[str, str]]:
    """(code, "code label") for a select box."""
    return [(code, f"{code} {label}") for code, label in OCCUPATIONS.items()]
