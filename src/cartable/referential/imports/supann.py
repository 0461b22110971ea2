"""SUPANN / eduPerson vocabulary: pure functions, no database.

* ``supannTypeEntite`` → :class:`~cartable.referential.models.Structure.Kind`;
* ``supannEtuInscription`` ``[key=value]…`` values → dictionaries;
* ``eduPersonAffiliation`` values → the most specific :class:`Population`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: Affiliations that describe a staff member (a contract), not a student (a registration).
STAFF_AFFILIATIONS = frozenset(
    {"faculty", "teacher", "staff", "employee", "researcher", "affiliate"}
)
KIND_VALUES = frozenset(
    {"establishment", "pole", "department", "service", "laboratory", "programme"}
)
#: ``{SUPANN}S…`` codes by prefix, longest prefix first (docs/samples/README.md).
SUPANN_TYPE_PREFIXES = (
    ("S23", "service"),
    ("S24", "service"),
    ("S1", "establishment"),
    ("S2", "pole"),
    ("S3", "laboratory"),
    ("S4", "service"),
    ("S5", "service"),
)
PAIR = re.compile(r"\[([^=\[\]]+)=([^\[\]]*)\]")
NAMESPACE = re.compile(r"^\{[^}]*\}")


@dataclass(frozen=True)
class PopulationInfo:
    code: str
    kind: str
    affiliations: frozenset[str]


def without_namespace(value: str) -> str:
    """``{SUPANN}L3`` → ``L3``; ``{UAI:0900424X}ING-INFO`` → ``ING-INFO``."""
    return NAMESPACE.sub("", value.strip())


def structure_kind(values: Iterable[str]) -> str | None:
    """The first ``supannTypeEntite`` value that maps to a structure kind, or None."""
    for value in values:
        bare = without_namespace(value)
        if bare.lower() in KIND_VALUES:
            return bare.lower()
        if value.strip().upper().startswith("{SUPANN}"):
            for prefix, kind in SUPANN_TYPE_PREFIXES:
                if bare.upper().startswith(prefix):
                    return kind
    return None


def parse_composite(value: str) -> dict[str, str] | None:
    """``[anneeinsc=2025][affect=INFO]`` → ``{"anneeinsc": "2025", "affect": "INFO"}``.

    None when the value is not made only of ``[key=value]`` pairs."""
    text = value.strip()
    pairs = PAIR.findall(text)
    if not pairs or "".join(f"[{k}={v}]" for k, v in pairs) != text:
        return None
    return {key.strip().lower(): item.strip() for key, item in pairs}


def parse_affiliations(text: str) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in text.split(",") if part.strip())


def best_population(
    affiliations: Iterable[str], populations: Sequence[PopulationInfo]
) -> PopulationInfo | None:
    """The population that describes a staff member best.

    Candidates are the non-registration populations sharing at least one staff affiliation
    with the person. The winner shares the most affiliations with the person, then lists the
    fewest affiliations the person does not have (the most specific), then has the first code.
    """
    held = frozenset(a.strip().lower() for a in affiliations)
    staff = held & STAFF_AFFILIATIONS
    if not staff:
        return None
    candidates = [p for p in populations if p.kind != "registration" and p.affiliations & staff]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda p: (-len(p.affiliations & held), len(p.affiliations - held), p.code),
    )
