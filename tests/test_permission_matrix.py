"""For every URL, what each role and an anonymous visitor get: 200, 403, 404 or the login page.

The matrix is split by area in ``tests/matrix/``; a URL missing from every area fails
``test_every_url_is_in_the_matrix``.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests import matrix
from tests.matrix import LOGIN, Row
from tests.personas import PERSONA_NAMES, login, make_persona

AREAS: list[ModuleType] = [
    importlib.import_module(f"tests.matrix.{info.name}")
    for info in pkgutil.iter_modules(matrix.__path__)
]
MATRIX: dict[str, Row] = {}
REFUSAL: dict[str, Any] = {}
for area in AREAS:
    duplicated = set(MATRIX) & set(area.MATRIX)
    assert not duplicated, f"URL names in two areas: {duplicated}"
    MATRIX.update(area.MATRIX)
    REFUSAL.update(getattr(area, "REFUSAL", {}))

OUR_NAMESPACES = {
    "core",
    "portal",
    "referential",
    "access",
    "guide",
    "catalogue",
    "dashboard",
    "competencies",
    "enrolment",
    "campaigns",
    "records",
    "badges",
    "assessments",
    "certification",
    "timetable",
    "sectioning",
    "exams",
}


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix() -> None:
    ours = {
        n
        for n in _names(get_resolver())
        if n.split(":")[0] in OUR_NAMESPACES or n.startswith("api-")
    }
    assert ours - set(MATRIX) == set()


@pytest.fixture
def world(db: None) -> dict[str, str]:
    values: dict[str, str] = {}
    for area in AREAS:
        if hasattr(area, "build_world"):
            values.update(area.build_world())
    return values


@pytest.mark.parametrize("who", ["anonymous", *PERSONA_NAMES])
def test_each_role_gets_what_the_matrix_says(who: str, world: dict[str, str]) -> None:
    client = Client()
    if who != "anonymous":
        login(client, make_persona(who))
    failures = []
    for name, (template, allowed, anonymous, method) in MATRIX.items():
        url = template.format(**world)
        response = getattr(client, method)(url)
        if who in ("anonymous", "outsider"):
            # An account whose person has no contract in force is closed: even an open
            # session is treated as anonymous from the next request on.
            expected: Any = anonymous
        elif who in allowed:
            expected = 200
        else:
            expected = REFUSAL.get(name, 403)
        got: Any = response.status_code
        if expected == LOGIN:
            got = LOGIN if got == 302 and response["Location"].startswith("/connexion/") else got
        if got != expected:
            failures.append(f"{name} {url}: expected {expected}, got {got}")
    assert failures == []
