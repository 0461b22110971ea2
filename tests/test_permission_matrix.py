"""For every URL, what each role and an anonymous visitor get: 200, 403, 404 or the login page.

A new URL that is not in the matrix fails ``test_every_url_is_in_the_matrix``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cartable.core.models import Job
from tests.factories import AuthorisationFactory, ContractFactory, RuleFactory, ServiceFactory
from tests.personas import PERSONA_NAMES, login, make_persona

EVERYONE = frozenset(PERSONA_NAMES) - {"outsider"}
READERS = frozenset({"scolarite", "dsin_admin", "dpo", "direction"})
ACCESS_READERS = frozenset({"dsin_admin", "security_officer"})
DSIN = frozenset({"dsin_admin"})
JOURNAL = frozenset({"dpo", "security_officer"})
NOBODY: frozenset[str] = frozenset()

LOGIN = "login"  # anonymous visitors are sent to the login page

# url name -> (path template, who gets 200, what the anonymous visitor gets, method)
MATRIX: dict[str, tuple[str, frozenset[str], Any, str]] = {
    "core:login": ("/connexion/", NOBODY, 200, "get"),
    "core:logout": ("/deconnexion/", NOBODY, 405, "get"),
    "core:mfa": ("/double-authentification/", EVERYONE, LOGIN, "get"),
    "core:preferences": ("/preferences/", NOBODY, 405, "get"),
    "core:journal": ("/journal/", JOURNAL, LOGIN, "get"),
    "core:journal_export": ("/journal/export.csv", JOURNAL, LOGIN, "get"),
    "core:job": ("/taches/{job}/", DSIN, LOGIN, "get"),
    "portal:home": ("/", EVERYONE, LOGIN, "get"),
    "portal:my_data": ("/mes-donnees/", EVERYONE, LOGIN, "get"),
    "portal:my_data_export": ("/mes-donnees/export.json", EVERYONE, LOGIN, "get"),
    "portal:accessibility": ("/accessibilite/", EVERYONE, 200, "get"),
    "referential:persons": ("/referentiel/personnes/", READERS, LOGIN, "get"),
    "referential:persons_export": ("/referentiel/personnes/export.csv", READERS, LOGIN, "get"),
    "referential:person_detail": ("/referentiel/personnes/{person}/", READERS, LOGIN, "get"),
    "referential:structures": ("/referentiel/structures/", READERS, LOGIN, "get"),
    "referential:groups": ("/referentiel/groupes/", READERS, LOGIN, "get"),
    "referential:imports": ("/referentiel/imports/", DSIN, LOGIN, "get"),
    "access:services": ("/services/", ACCESS_READERS, LOGIN, "get"),
    "access:delegations": ("/services/delegations/", DSIN, LOGIN, "get"),
    "access:service": ("/services/moodle/", ACCESS_READERS, LOGIN, "get"),
    "access:explain_search": ("/services/moodle/pourquoi/", ACCESS_READERS, LOGIN, "get"),
    "access:explain": ("/services/moodle/pourquoi/{person}/", ACCESS_READERS, LOGIN, "get"),
    "access:export_csv": ("/services/moodle/titulaires.csv", DSIN, LOGIN, "get"),
    "access:export_json": ("/services/moodle/titulaires.json", DSIN, LOGIN, "get"),
    "access:grant": ("/services/moodle/autorisations/nouvelle/", DSIN, LOGIN, "get"),
    "access:revoke": (
        "/services/moodle/autorisations/{authorisation}/revoquer/",
        NOBODY,
        405,
        "get",
    ),
    "access:new_rule": ("/services/moodle/regles/nouvelle/", DSIN, LOGIN, "get"),
    "api-me": ("/api/v1/me/", EVERYONE, 403, "get"),
    "api-persons": ("/api/v1/persons/", READERS, 403, "get"),
    "api-person": ("/api/v1/persons/{person}/", READERS, 403, "get"),
    "api-services": ("/api/v1/services/", EVERYONE, 403, "get"),
    "api-my-services": ("/api/v1/me/services/", EVERYONE, 403, "get"),
    "api-person-services": ("/api/v1/persons/{person}/services/", ACCESS_READERS, 403, "get"),
    "api-explain": (
        "/api/v1/persons/{person}/services/moodle/explain/",
        ACCESS_READERS,
        403,
        "get",
    ),
    "api-holders": ("/api/v1/services/moodle/holders/", DSIN, 403, "get"),
    "api-schema": ("/api/schema/", EVERYONE, 200, "get"),
    "api-docs": ("/api/docs/", EVERYONE, 200, "get"),
}

# What an authenticated persona gets when not in the "200" set.
AUTHENTICATED_REFUSAL = {
    "core:login": 302,  # already logged in: sent on to the home page
    "core:job": 404,  # a job is visible to its launcher (and DSIN) only
    "core:logout": 405,
    "core:preferences": 405,
    "access:revoke": 405,
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
        if n.split(":")[0] in {"core", "portal", "referential", "access"} or n.startswith("api-")
    }
    assert ours - set(MATRIX) == set()


@pytest.fixture
def world(db: None) -> dict[str, str]:
    service = ServiceFactory(code="moodle")
    rule = RuleFactory(service=service)
    subject = ContractFactory(population=rule.population).person
    authorisation = AuthorisationFactory(service=service, person=subject)
    job = Job.objects.create(kind="referential.import", label="Import")
    return {
        "person": str(subject.uuid),
        "authorisation": str(authorisation.uuid),
        "job": str(job.uuid),
    }


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
            expected = AUTHENTICATED_REFUSAL.get(name, 403)
        got: Any = response.status_code
        if expected == LOGIN:
            got = LOGIN if got == 302 and response["Location"].startswith("/connexion/") else got
        if got != expected:
            failures.append(f"{name} {url}: expected {expected}, got {got}")
    assert failures == []
