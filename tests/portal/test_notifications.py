"""Notifications on the front door: unread ones on the home page, in the active language, until
the person marks them read; all of them on their own page."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client

from cartable.core import notifications
from cartable.core.models import Notification
from cartable.enrolment import actions
from tests.enrolment.campaigns import CampaignFactory, student, ue
from tests.personas import Persona, login, make_persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada() -> Persona:
    return make_persona("student")


def text(client: Client, url: str, **extra: Any) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def tell(person: Any, title: str = "Place obtenue en LO41", **more: str) -> Notification:
    return notifications.notify(
        person.uuid,
        title=title,
        title_en=more.pop("title_en", "You got a place in LO41"),
        body=more.pop("body", "Une place s'est libérée."),
        body_en=more.pop("body_en", "A place became free."),
        url=more.pop("url", "/inscriptions/automne/"),
    )


def test_unread_notifications_are_on_the_home_page_with_their_link(ada: Persona) -> None:
    tell(ada.person)
    page = text(login(Client(), ada), "/")
    assert "1 notification non lue" in page
    assert "Place obtenue en LO41" in page
    assert "Une place s'est libérée." in page
    assert 'href="/inscriptions/automne/"' in page


def test_notifications_speak_english_when_english_is_active(ada: Persona) -> None:
    tell(ada.person)
    page = text(login(Client(), ada), "/", HTTP_ACCEPT_LANGUAGE="en")
    assert "You got a place in LO41" in page
    assert "Place obtenue en LO41" not in page


def test_someone_elses_notifications_are_not_shown(ada: Persona) -> None:
    tell(make_persona("teacher").person, title="Message pour quelqu'un d'autre")
    assert "Message pour quelqu'un d'autre" not in text(login(Client(), ada), "/")


def test_marking_read_removes_them_from_the_home_page(ada: Persona) -> None:
    tell(ada.person)
    client = login(Client(), ada)
    response = client.post("/notifications/lues/", {"next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Place obtenue en LO41" not in text(client, "/")
    assert not notifications.unread(ada.person.uuid).exists()


def test_marking_read_never_sends_elsewhere(ada: Persona) -> None:
    client = login(Client(), ada)
    response = client.post("/notifications/lues/", {"next": "https://example.org/"})
    assert response["Location"] == "/"


def test_marking_read_only_touches_my_notifications(ada: Persona) -> None:
    other = make_persona("teacher")
    tell(other.person)
    login(Client(), ada).post("/notifications/lues/", {"next": "/"})
    assert notifications.unread(other.person.uuid).count() == 1


def test_the_notifications_page_keeps_the_read_ones(ada: Persona) -> None:
    tell(ada.person)
    notifications.mark_read(ada.person.uuid)
    page = text(login(Client(), ada), "/notifications/")
    assert "Place obtenue en LO41" in page
    assert "Non lue" not in page


def test_a_link_outside_cartable_is_not_offered(ada: Persona) -> None:
    tell(ada.person, url="https://example.org/piege")
    assert "example.org" not in text(login(Client(), ada), "/")


def test_a_place_freed_on_a_wait_list_is_announced_on_the_home_page() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    first = student()
    actions.do_choose_ue(campaign.code, first.uuid, "LO41", acting_user=None)
    waiting = student()
    actions.do_join_waitlist(campaign.code, waiting.uuid, "LO41", acting_user=None)
    actions.do_drop_ue(campaign.code, first.uuid, "LO41", acting_user=None)
    client = Client()
    client.force_login(waiting.user)
    page = text(client, "/")
    assert "Place obtenue en LO41" in page
    assert f'href="/inscriptions/{campaign.code}/"' in page
