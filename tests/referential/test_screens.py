"""Staff find persons by name, population, structure and campus, and export the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cartable.core.models import AuditEntry
from tests.factories import (
    CampusFactory,
    ContractFactory,
    PersonFactory,
    PopulationFactory,
    StructureFactory,
)

pytestmark = pytest.mark.django_db


def test_persons_are_found_by_name_whatever_the_case(client_as) -> None:  # type: ignore[no-untyped-def]
    ContractFactory(person__civil_last_name="Lefèvre", person__civil_first_name="Chloé")
    ContractFactory(person__civil_last_name="Martin")
    page = (
        client_as("scolarite")
        .get("/referentiel/personnes/", {"q": "lefèvre", "status": "all"})
        .content.decode()
    )
    assert "LEFÈVRE" in page
    assert "MARTIN" not in page


def test_the_list_filters_by_population_and_structure_subtree(client_as) -> None:  # type: ignore[no-untyped-def]
    pole = StructureFactory(code="pole-x")
    dept = StructureFactory(code="dept-x", parent=pole)
    ContractFactory(
        person__civil_last_name="Dedans", structure=dept, population=PopulationFactory(code="staff")
    )
    ContractFactory(person__civil_last_name="Dehors")
    page = (
        client_as("dsin_admin")
        .get("/referentiel/personnes/", {"structure": "pole-x", "population": "staff"})
        .content.decode()
    )
    assert "DEDANS" in page
    assert "DEHORS" not in page


def test_inactive_persons_are_listed_only_when_asked(client_as) -> None:  # type: ignore[no-untyped-def]
    PersonFactory(civil_last_name="Parti")
    client = client_as("scolarite")
    assert "PARTI" not in client.get("/referentiel/personnes/").content.decode()
    assert "PARTI" in client.get("/referentiel/personnes/", {"status": "inactive"}).content.decode()


def test_the_campus_filter_keeps_people_registered_on_that_campus(client_as) -> None:  # type: ignore[no-untyped-def]
    sevenans = CampusFactory(code="sevenans", name="Sevenans")
    ContractFactory(person__civil_last_name="Sevenanais", campus=sevenans)
    ContractFactory(person__civil_last_name="Ailleurs")
    page = (
        client_as("scolarite")
        .get("/referentiel/personnes/", {"campus": "sevenans"})
        .content.decode()
    )
    assert "SEVENANAIS" in page
    assert "AILLEURS" not in page


def test_an_htmx_search_returns_only_the_results_table(client_as) -> None:  # type: ignore[no-untyped-def]
    ContractFactory(person__civil_last_name="Partiel")
    page = (
        client_as("scolarite")
        .get("/referentiel/personnes/", {"q": "partiel"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "PARTIEL" in page
    assert "<html" not in page


def test_the_person_list_costs_the_same_queries_for_5_or_40_people(client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as("scolarite")
    for _ in range(5):
        ContractFactory()
    with CaptureQueriesContext(connection) as few:
        client.get("/referentiel/personnes/")
    for _ in range(35):
        ContractFactory()
    with CaptureQueriesContext(connection) as many:
        client.get("/referentiel/personnes/")
    assert len(many) == len(few)


def test_every_person_shown_in_a_list_is_journaled(client_as) -> None:  # type: ignore[no-untyped-def]
    people = [ContractFactory().person for _ in range(3)]
    client_as("scolarite").get("/referentiel/personnes/")
    seen = set(
        AuditEntry.objects.filter(action="referential.person.list").values_list(
            "subject_uuid", flat=True
        )
    )
    assert {p.uuid for p in people} <= seen


def test_the_export_is_a_csv_of_the_filtered_list(client_as) -> None:  # type: ignore[no-untyped-def]
    ContractFactory(person__civil_last_name="Exporté")
    response = client_as("dsin_admin").get("/referentiel/personnes/export.csv", {"q": "exporté"})
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("uuid;nom;prenom")
    assert "Exporté" in text
    assert len(text.splitlines()) == 2
