"""Exports of the Tableau de bord UE: the offer sheet and its teaching team, as CSV (UTF-8 with
a BOM, ``;``, decimal commas: what a French spreadsheet opens) and as Excel (.xlsx)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from cartable.core import audit
from cartable.core.calendar import academic_year_label
from cartable.core.models import AuditEntry
from cartable.core.permissions import role_required
from cartable.core.spreadsheets import csv_response, xlsx_response

from .models import Offer
from .views_dashboard import offer_for_user, team_of


def _sheet_rows(offer: Offer) -> list[list[Any]]:
    links = offer.programme_links.select_related("programme", "category").order_by(
        "programme__code"
    )
    needs = offer.software_needs.select_related("software").order_by("software__name")
    responsible = offer.responsible.display_name if offer.responsible else ""
    rows: list[tuple[Any, Any]] = [
        (_("Code"), offer.ue.code),
        (_("Intitulé"), offer.title),
        (_("Intitulé (anglais)"), offer.title_en),
        (_("Année"), academic_year_label(offer.year)),
        (_("Version"), offer.version),
        (_("État"), offer.get_status_display()),
        (_("Crédits ECTS"), offer.credits),
        (_("Semestres"), offer.get_semesters_display()),
        (_("Campus"), offer.campus.name if offer.campus else ""),
        (_("Langue d'enseignement"), offer.get_language_display()),
        (_("Responsable"), responsible),
        (_("Formations"), ", ".join(f"{lk.programme.code} ({lk.category.code})" for lk in links)),
        (_("Heures de CM"), offer.hours_cm),
        (_("Heures de TD"), offer.hours_td),
        (_("Heures de TP"), offer.hours_tp),
        (_("Heures de travail personnel"), offer.hours_personal),
        (_("Groupes de CM"), offer.groups_cm),
        (_("Groupes de TD"), offer.groups_td),
        (_("Groupes de TP"), offer.groups_tp),
        (_("Capacité d'accueil"), offer.capacity if offer.capacity is not None else ""),
        (_("Besoins en salles"), offer.room_needs),
        (
            _("Logiciels"),
            ", ".join(f"{n.software.name} ({n.get_mode_display()})" for n in needs),
        ),
        (_("Objectifs"), offer.objectives),
        (_("Objectifs (anglais)"), offer.objectives_en),
        (_("Contenu"), offer.content),
        (_("Contenu (anglais)"), offer.content_en),
        (_("Modalités d'évaluation"), offer.assessment),
        (_("Modalités d'évaluation (anglais)"), offer.assessment_en),
        (_("Bibliographie"), offer.bibliography),
    ]
    return [[str(label), value] for label, value in rows]


def _identity(person: Any) -> list[Any]:
    return [
        person.display_last_name,
        person.display_first_name,
        person.login or "",
        person.institutional_email,
    ]


def _team_rows(request: HttpRequest, offer: Offer) -> list[list[Any]]:
    """The responsible, then the team; the export is journaled for each person in it."""
    members: list[tuple[Any, list[Any]]] = []
    if offer.responsible is not None:
        members.append((offer.responsible, [_("Responsable"), "", ""]))
    members += [
        (a.person, [_("Équipe pédagogique"), a.get_activity_display(), a.hours])
        for a in team_of(offer)
    ]
    audit.record_reads(
        "catalogue.offer.team.export",
        actor=request.user,
        subjects=[person.uuid for person, _role in members],
        kind=AuditEntry.Kind.EXPORT,
        detail={"offer": str(offer.uuid)},
    )
    return [_identity(person) + role for person, role in members]


def _team_header() -> list[str]:
    return [
        _("Nom"),
        _("Prénom"),
        _("Identifiant"),
        _("Courriel"),
        _("Rôle"),
        _("Activité"),
        _("Heures prévues"),
    ]


def _export_name(offer: Offer, what: str, extension: str) -> str:
    return f"{offer.ue.code}-{offer.year}-v{offer.version}-{what}.{extension}"


def _sheet_header() -> list[str]:
    return [_("Rubrique"), _("Valeur")]


@role_required()
def export_sheet_csv(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    found, _standing = offer_for_user(request, offer_uuid)
    return csv_response(_export_name(found, "fiche", "csv"), _sheet_header(), _sheet_rows(found))


@role_required()
def export_sheet_xlsx(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    found, _standing = offer_for_user(request, offer_uuid)
    return xlsx_response(
        _export_name(found, "fiche", "xlsx"), found.ue.code, _sheet_header(), _sheet_rows(found)
    )


@role_required()
def export_team_csv(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    found, _standing = offer_for_user(request, offer_uuid)
    return csv_response(
        _export_name(found, "equipe", "csv"), _team_header(), _team_rows(request, found)
    )


@role_required()
def export_team_xlsx(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    found, _standing = offer_for_user(request, offer_uuid)
    return xlsx_response(
        _export_name(found, "equipe", "xlsx"),
        _("Équipe"),
        _team_header(),
        _team_rows(request, found),
    )
