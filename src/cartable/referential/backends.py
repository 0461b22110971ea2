"""Local accounts open only while the referential says the person is active."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from . import api


class ReferentialModelBackend(ModelBackend):
    """Password login for the demo and for break-glass accounts.

    A person without a contract or registration in force cannot log in; accounts that
    belong to no person (technical superusers) follow Django's rules."""

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        person_uuid = api.person_uuid_for_user(user)
        if person_uuid is None:
            return bool(user.is_superuser)
        return api.is_person_active(person_uuid)
