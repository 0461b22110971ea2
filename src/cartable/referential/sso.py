"""Single sign-on backends (CAS/ESUP, OpenID Connect) mapped onto the referential.

Neither creates accounts: an account exists only for a person of the referential, and it
opens only while that person has a contract or registration in force. The identity
provider's eduPersonPrincipalName (or login) designates the person.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django_cas_ng.backends import CASBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import api
from .models import Person


def user_for_identifier(identifier: str) -> Any | None:
    """The account of the person whose login, eduPersonPrincipalName or e-mail is given."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    person = (
        Person.objects.filter(
            Q(login__iexact=identifier)
            | Q(eppn__iexact=identifier)
            | Q(institutional_email__iexact=identifier)
        )
        .select_related("user")
        .first()
    )
    if person is None or person.user is None:
        return None
    return person.user


def _active(user: Any) -> bool:
    person_uuid = api.person_uuid_for_user(user)
    return person_uuid is not None and api.is_person_active(person_uuid)


class CartableCASBackend(CASBackend):
    def clean_username(self, username: str) -> str:
        user = user_for_identifier(username)
        return user.get_username() if user is not None else username

    def user_can_authenticate(self, user: Any) -> bool:
        return bool(getattr(user, "is_active", False)) and _active(user)


class CartableOIDCBackend(OIDCAuthenticationBackend):
    def _identifier(self, claims: dict[str, Any]) -> str:
        claim = getattr(settings, "OIDC_CLAIM_EPPN", "eduperson_principal_name")
        return str(
            claims.get(claim) or claims.get("preferred_username") or claims.get("email") or ""
        )

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(self._identifier(claims))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        user = user_for_identifier(self._identifier(claims))
        manager = get_user_model().objects
        if user is None or not _active(user):
            return manager.none()
        return manager.filter(pk=user.pk)

    def create_user(self, claims: dict[str, Any]) -> None:
        return None
