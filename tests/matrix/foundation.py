"""Core, portal, referential and access."""

from __future__ import annotations

from cartable.core.models import Job
from tests.factories import AuthorisationFactory, ContractFactory, RuleFactory, ServiceFactory

from . import ACCESS_READERS, DSIN, EVERYONE, JOURNAL, LOGIN, NOBODY, READERS, Row

MATRIX: dict[str, Row] = {
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

REFUSAL = {
    "core:login": 302,  # already logged in: sent on to the home page
    "core:logout": 405,
    "core:preferences": 405,
    "access:revoke": 405,
    "core:job": 404,  # a job is visible to its launcher (and DSIN) only
}


def build_world() -> dict[str, str]:
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
