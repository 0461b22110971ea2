"""One permission layer for every view and API endpoint.

Roles are not stored: they are derived from the referential (valid contracts,
registrations and functions, then the catalogue's responsibilities) by the resolvers named in
``CARTABLE_ROLE_RESOLVERS``
(docs/decisions/0002). This module only knows the role names and how to guard a view.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


class Role(StrEnum):
    STUDENT = "student"
    TEACHER = "teacher"
    UE_COORDINATOR = "ue_coordinator"
    PROGRAMME_HEAD = "programme_head"
    SCOLARITE = "scolarite"
    DSIN_ADMIN = "dsin_admin"
    DPO = "dpo"
    SECURITY_OFFICER = "security_officer"
    DIRECTION = "direction"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.STUDENT: _("Étudiant·e"),
    Role.TEACHER: _("Enseignant·e"),
    Role.UE_COORDINATOR: _("Responsable d'UE"),
    Role.PROGRAMME_HEAD: _("Responsable de formation"),
    Role.SCOLARITE: _("Scolarité"),
    Role.DSIN_ADMIN: _("Administrateur DSIN"),
    Role.DPO: _("Délégué·e à la protection des données"),
    Role.SECURITY_OFFICER: _("RSSI"),
    Role.DIRECTION: _("Direction"),
}

#: Roles that see many people's data or change rights: strong authentication required (§6.1.3).
PRIVILEGED_ROLES = frozenset(
    {Role.SCOLARITE, Role.DSIN_ADMIN, Role.DPO, Role.SECURITY_OFFICER, Role.DIRECTION}
)
#: Roles that may look people up in the referential.
REFERENTIAL_READERS = frozenset({Role.SCOLARITE, Role.DSIN_ADMIN, Role.DPO, Role.DIRECTION})

_CACHE_ATTR = "_cartable_roles"


def roles_of(user: Any) -> frozenset[Role]:
    """The roles a user holds today, computed once per request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        found: set[Role] = set()
        for path in settings.CARTABLE_ROLE_RESOLVERS:
            found |= set(import_string(path)(user))
        cached = frozenset(found)
        setattr(user, _CACHE_ATTR, cached)
    return cast(frozenset[Role], cached)


def forget_roles(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_any_role(user: Any, roles: frozenset[Role] | set[Role]) -> bool:
    return bool(roles_of(user) & set(roles))


def needs_strong_authentication(user: Any) -> bool:
    """Whether the user holds a privileged role. Asked on every request, so only the resolvers
    that can grant one are consulted (unless every role is already known)."""
    if not settings.CARTABLE_MFA_REQUIRED or user is None or not user.is_authenticated:
        return False
    known = getattr(user, _CACHE_ATTR, None)
    if known is None:
        known = set()
        for path in settings.CARTABLE_PRIVILEGE_RESOLVERS:
            known |= set(import_string(path)(user))
    return bool(set(known) & PRIVILEGED_ROLES)


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def role_required(*roles: Role) -> Callable[[ViewFunc], ViewFunc]:
    """Guard a view: anonymous → login page, authenticated without one of ``roles`` → 403.

    With no roles given, any authenticated person is let through.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not has_any_role(request.user, set(roles)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_roles = roles  # type: ignore[attr-defined]
        return cast(ViewFunc, wrapper)

    return decorator


def login_required(view: ViewFunc) -> ViewFunc:
    return role_required()(view)


class HasRole(BasePermission):
    """DRF permission: ``permission_classes = [HasRole.of(Role.DSIN_ADMIN, ...)]``."""

    roles: frozenset[Role] = frozenset()

    @classmethod
    def of(cls, *roles: Role) -> type[HasRole]:
        return type("HasRole_" + "_".join(roles), (cls,), {"roles": frozenset(roles)})

    def has_permission(self, request: Any, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return not self.roles or has_any_role(request.user, self.roles)
