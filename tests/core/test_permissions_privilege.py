"""Strong authentication is decided on every request from the resolvers that may grant a
privileged role only: the others must never grant one."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from cartable.core.permissions import PRIVILEGED_ROLES, Role, needs_strong_authentication
from tests.catalogue.factories import OfferFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_resolvers_outside_the_privilege_list_grant_no_privileged_role(persona: Any) -> None:
    head = persona("programme_head")
    ProgrammeFactory(code="INFO", head=head.person)
    OfferFactory(responsible=head.person)
    others = set(settings.CARTABLE_ROLE_RESOLVERS) - set(settings.CARTABLE_PRIVILEGE_RESOLVERS)
    assert others
    for path in others:
        granted = set(import_string(path)(head.user))
        assert {Role.UE_COORDINATOR, Role.PROGRAMME_HEAD} <= granted
        assert not granted & PRIVILEGED_ROLES


@pytest.mark.parametrize(("who", "strong"), [("scolarite", True), ("programme_head", False)])
def test_strong_authentication_follows_the_privileged_roles(
    persona: Any, who: str, strong: bool
) -> None:
    assert needs_strong_authentication(persona(who).user) is strong
