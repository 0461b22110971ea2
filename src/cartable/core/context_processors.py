from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import REFERENTIAL_READERS, Role, roles_of
from .preferences import read_preferences


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    current: bool


PUBLIC: frozenset[Role] | None = None
DASHBOARD_USERS = frozenset(
    {Role.TEACHER, Role.UE_COORDINATOR, Role.PROGRAMME_HEAD, Role.SCOLARITE}
)

#: (url name, label, roles allowed: None = everyone, visitors included; empty = every
#: authenticated person)
NAVIGATION: tuple[tuple[str, Any, frozenset[Role] | None], ...] = (
    ("portal:home", _("Mes services"), frozenset()),
    ("portal:my_data", _("Mes données"), frozenset()),
    ("guide:search", _("Guide des UE"), PUBLIC),
    ("dashboard:home", _("Tableau de bord UE"), DASHBOARD_USERS),
    ("campaigns:list", _("Inscriptions pédagogiques"), frozenset({Role.STUDENT})),
    (
        "campaigns:advising_home",
        _("Conseil pédagogique"),
        frozenset({Role.PROGRAMME_HEAD, Role.SCOLARITE}),
    ),
    ("campaigns:admin_campaigns", _("Campagnes d'inscription"), frozenset({Role.SCOLARITE})),
    ("records:mine", _("Mon dossier"), frozenset({Role.STUDENT})),
    ("records:my_profile", _("Mon parcours"), frozenset({Role.STUDENT})),
    ("certification:mine", _("Mes compétences"), frozenset({Role.STUDENT})),
    ("certification:claims", _("Mes expériences"), frozenset({Role.STUDENT})),
    ("badges:mine", _("Mes badges"), frozenset({Role.STUDENT})),
    (
        "certification:claims_queue",
        _("Expériences à examiner"),
        frozenset({Role.PROGRAMME_HEAD, Role.SCOLARITE}),
    ),
    ("certification:pix_import", _("Résultats PIX"), frozenset({Role.SCOLARITE})),
    ("certification:rules", _("Règles de certification"), frozenset({Role.SCOLARITE})),
    ("certification:badges", _("Badges délivrés"), frozenset({Role.SCOLARITE})),
    ("records:profiles", _("Profils de diplôme"), frozenset({Role.SCOLARITE})),
    ("records:requirements", _("Exigences des diplômes"), frozenset({Role.SCOLARITE})),
    (
        "records:students",
        _("Dossiers étudiants"),
        frozenset({Role.PROGRAMME_HEAD, Role.SCOLARITE}),
    ),
    ("records:juries", _("Jurys"), frozenset({Role.PROGRAMME_HEAD, Role.SCOLARITE})),
    ("catalogue:cycle", _("Cycle annuel"), frozenset({Role.SCOLARITE})),
    ("catalogue:io", _("Échanges du catalogue"), frozenset({Role.SCOLARITE, Role.DSIN_ADMIN})),
    ("timetable:home", _("Emploi du temps"), frozenset({Role.SCOLARITE, Role.DSIN_ADMIN})),
    ("timetable:design_runs", _("Conception de la semaine type"), frozenset({Role.SCOLARITE})),
    ("timetable:unavailabilities", _("Mes indisponibilités"), frozenset({Role.TEACHER})),
    ("sectioning:runs", _("Répartition dans les groupes"), frozenset({Role.SCOLARITE})),
    ("sectioning:groups", _("Mes groupes"), frozenset({Role.TEACHER, Role.UE_COORDINATOR})),
    (
        "timetable:my_timetable",
        _("Mon emploi du temps"),
        frozenset({Role.TEACHER, Role.UE_COORDINATOR}),
    ),
    ("exams:sessions", _("Sessions d'examens"), frozenset({Role.SCOLARITE})),
    ("exams:mine", _("Mes examens"), frozenset({Role.STUDENT})),
    ("referential:persons", _("Référentiel"), REFERENTIAL_READERS),
    (
        "access:services",
        _("Services et droits"),
        frozenset({Role.DSIN_ADMIN, Role.SECURITY_OFFICER}),
    ),
    ("core:journal", _("Journal d'audit"), frozenset({Role.DPO, Role.SECURITY_OFFICER})),
)


def navigation_for(request: HttpRequest, roles: frozenset[Role]) -> list[NavItem]:
    authenticated = request.user.is_authenticated
    items = []
    for name, label, allowed in NAVIGATION:
        if allowed is not None and not authenticated:
            continue
        if allowed and not roles & allowed:
            continue
        url = reverse(name)
        current = request.path == url or (url != "/" and request.path.startswith(url))
        items.append(NavItem(url=url, label=str(label), current=current))
    return items


def interface(request: HttpRequest) -> dict[str, Any]:
    """Accessibility preferences, navigation and sign-in options for the base layout."""
    roles = roles_of(request.user) if hasattr(request, "user") else frozenset()
    return {
        "preferences": read_preferences(request),
        "current_roles": sorted(roles),
        "navigation": navigation_for(request, roles) if hasattr(request, "user") else [],
        "sso_cas": settings.CAS_ENABLED,
        "sso_oidc": settings.OIDC_ENABLED,
        "can_import": Role.DSIN_ADMIN in roles,
    }
