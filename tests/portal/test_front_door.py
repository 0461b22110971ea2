"""The front door: each person's services, in French or English, with display preferences."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from cartable.access.models import DigitalService
from cartable.referential.models import Person
from tests.enrolment.factories import EnrolmentFactory
from tests.factories import AuthorisationFactory, RuleFactory, ServiceFactory
from tests.personas import login, make_persona

pytestmark = pytest.mark.django_db


def student_client_with_services() -> Client:
    student = make_persona("student")
    contract = student.person.contracts.get()
    RuleFactory(
        service=ServiceFactory(
            code="moodle", name="Moodle", category=DigitalService.Category.PEDAGOGY
        ),
        population=contract.population,
    )
    RuleFactory(
        service=ServiceFactory(
            code="mail", name="Messagerie", category=DigitalService.Category.COMMUNICATION
        ),
        population=contract.population,
    )
    ServiceFactory(code="pegase", name="Pégase")
    return login(Client(), student)


def test_the_home_page_lists_the_services_the_person_holds_by_category() -> None:
    page = student_client_with_services().get("/").content.decode()
    assert "Moodle" in page
    assert "Messagerie" in page
    assert "Pégase" not in page
    assert "Communication et collaboration" in page


def test_the_home_page_is_in_french_and_switches_to_english() -> None:
    client = student_client_with_services()
    assert "Vos services numériques" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Your digital services" in page


def test_the_layout_offers_a_skip_link_landmarks_and_one_heading() -> None:
    page = student_client_with_services().get("/").content.decode()
    assert 'href="#contenu"' in page
    assert '<main id="contenu"' in page
    assert page.count("<h1") == 1
    assert 'role="banner"' in page
    assert 'role="contentinfo"' in page


def test_display_preferences_choose_dark_mode_and_the_dyslexia_font() -> None:
    client = Client()
    client.post(
        "/preferences/",
        {"theme": "dark", "dyslexia_font": "on", "text_size": "large", "next": "/accessibilite/"},
    )
    page = client.get("/accessibilite/").content.decode()
    assert 'data-theme="dark"' in page
    assert 'data-font="dyslexia"' in page
    assert 'data-text-size="large"' in page


def test_an_unreadable_preferences_cookie_falls_back_to_the_defaults() -> None:
    client = Client()
    client.cookies["cartable_prefs"] = "{not json"
    page = client.get("/accessibilite/").content.decode()
    assert 'data-theme="auto"' in page


def test_a_person_downloads_everything_held_about_them() -> None:
    client = student_client_with_services()
    response = client.get("/mes-donnees/export.json")
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert {s["service"]["code"] for s in data["services"]} == {"moodle", "mail"}
    assert data["contracts_in_force"][0]["population_code"] == "student"


def test_my_data_explains_why_i_hold_each_service() -> None:
    student = make_persona("student")
    AuthorisationFactory(
        person=student.person,
        service=ServiceFactory(code="vpn", name="VPN"),
        reason="Stage à distance",
    )
    page = login(Client(), student).get("/mes-donnees/").content.decode()
    assert "VPN" in page
    assert "Stage à distance" in page


def test_an_account_without_a_person_record_is_told_so(django_user_model) -> None:  # type: ignore[no-untyped-def]
    user = django_user_model.objects.create_user(
        "technical", password="x-pass-12345", is_superuser=True
    )
    client = Client()
    client.force_login(user)
    assert client.get("/mes-donnees/").status_code == 404
    assert client.get("/").status_code == 200


def test_a_student_gets_the_schoolbag_and_staff_get_their_tools(client_as) -> None:  # type: ignore[no-untyped-def]
    assert "cartable numérique" in client_as("student").get("/").content.decode()
    assert "outils de travail" in client_as("teacher").get("/").content.decode()


def test_the_home_page_costs_the_same_queries_with_1_or_8_services(client_as) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("student")
    from cartable.referential.models import Population

    student = Population.objects.get(code="student")
    RuleFactory(service=ServiceFactory(code="s0"), population=student)
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for i in range(1, 8):
        RuleFactory(service=ServiceFactory(code=f"s{i}"), population=student)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few)


def test_visitors_find_the_course_guide_in_the_navigation(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/accessibilite/").content.decode()
    assert 'href="/guide/"' in page
    assert 'href="/tableau-ue/"' not in page


def test_teachers_find_their_dashboard_and_students_do_not(client_as) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/tableau-ue/"' in client_as("teacher").get("/").content.decode()
    assert 'href="/tableau-ue/"' not in client_as("student").get("/").content.decode()


def test_visitors_are_offered_to_log_in_from_any_public_page(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/accessibilite/").content.decode()
    assert 'href="/connexion/?next=/accessibilite/"' in page


def test_a_student_sees_the_software_their_ues_need_and_how_to_get_it() -> None:
    from cartable.catalogue.models import SoftwareNeed
    from tests.catalogue.factories import OfferFactory, SoftwareFactory, SoftwareNeedFactory
    from tests.enrolment.factories import EnrolmentFactory

    student = make_persona("student")
    offer = OfferFactory()
    SoftwareNeedFactory(
        offer=offer,
        software=SoftwareFactory(code="matlab", name="MATLAB"),
        mode=SoftwareNeed.Mode.VIRTUALISED,
    )
    EnrolmentFactory(student=student.person, offer=offer)
    page = login(Client(), student).get("/").content.decode()
    assert "MATLAB" in page
    assert "Virtualisé" in page
    assert offer.ue.code in page


def test_my_export_holds_my_results_and_my_student_record() -> None:
    client = student_client_with_services()
    me = json.loads(client.get("/mes-donnees/export.json").content)["person"]
    EnrolmentFactory(
        student=Person.objects.get(uuid=me["uuid"]), grade="B", grade_published_at=timezone.now()
    )
    data = json.loads(client.get("/mes-donnees/export.json").content)
    assert [r["grade"] for r in data["enrolment_results"]] == ["B"]
    assert "semesters" in data["student_record"]
