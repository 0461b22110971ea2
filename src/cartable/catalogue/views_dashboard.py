"""Tableau de bord UE (§5.2.3): an offer's responsible and team prepare it, reviewers publish it.

An offer is visible to its responsible, its team, the heads of the programmes it counts for and
the scolarité (404 for everyone else); an action the person may not take answers 403."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cartable.core import audit
from cartable.core.calendar import academic_year_label
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from cartable.core.permissions import Role, has_any_role, role_required
from cartable.referential import api as referential

from . import actions, api, rules
from .forms import (
    NeedsForm,
    OfferFilterForm,
    ReturnToDraftForm,
    SyllabusForm,
    TeamMemberForm,
    bilingual,
    software_formset,
)
from .models import Offer, OfferProgramme, Programme, Software, TeachingAssignment
from .rules import Permission, Standing

DASHBOARD_USERS = (Role.TEACHER, Role.UE_COORDINATOR, Role.PROGRAMME_HEAD, Role.SCOLARITE)
REVIEWERS = (Role.PROGRAMME_HEAD, Role.SCOLARITE)
PAGE_SIZE = 50

ACTION_LABELS = {
    "catalogue.offer.update_syllabus": gettext_lazy("Syllabus modifié"),
    "catalogue.offer.update_timetable_needs": gettext_lazy("Préparation de l'emploi du temps"),
    "catalogue.offer.set_software_needs": gettext_lazy("Besoins logiciels modifiés"),
    "catalogue.offer.add_team_member": gettext_lazy("Membre ajouté à l'équipe"),
    "catalogue.offer.remove_team_member": gettext_lazy("Membre retiré de l'équipe"),
    "catalogue.offer.submit": gettext_lazy("Soumise à relecture"),
    "catalogue.offer.publish": gettext_lazy("Publiée"),
    "catalogue.offer.return_to_draft": gettext_lazy("Renvoyée en brouillon"),
    "catalogue.offer.archive": gettext_lazy("Archivée (remplacée par une nouvelle version)"),
    "catalogue.offer.new_version": gettext_lazy("Nouvelle version créée"),
    "catalogue.offer.copy_year": gettext_lazy("Copiée depuis l'année précédente"),
}


# --- access --------------------------------------------------------------------------------


def offer_for_user(request: HttpRequest, offer_uuid: uuid.UUID) -> tuple[Offer, Standing]:
    """The offer and how the user stands towards it; 404 when they may not see it."""
    offer = (
        Offer.objects.select_related("ue", "campus", "responsible", "supersedes")
        .filter(uuid=offer_uuid)
        .first()
    )
    if offer is None:
        raise Http404(_("Offre inconnue"))
    standing = actions.standing(offer, request.user)
    if not standing.visible:
        raise Http404(_("Offre inconnue"))
    return offer, standing


def _offer_allowing(
    request: HttpRequest, offer_uuid: uuid.UUID, permission: Permission
) -> tuple[Offer, Standing]:
    """The offer, when the user may do ``permission`` on it now; 403 when visible but not."""
    offer, standing = offer_for_user(request, offer_uuid)
    if not rules.may(permission, offer.status, standing):
        raise PermissionDenied
    return offer, standing


def _back(offer: Offer, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("dashboard:offer", args=[offer.uuid])
    return HttpResponseRedirect(f"{url}#{anchor}" if anchor else url)


# --- lists ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyOffer:
    offer: Offer
    as_responsible: bool


@role_required(*DASHBOARD_USERS)
def home(request: HttpRequest) -> HttpResponse:
    """Mes UE: the offers of the current and next year I am responsible for or teach in."""
    me = referential.person_uuid_for_user(request.user)
    year = api.current_year()
    offers: list[Offer] = []
    if me is not None:
        offers = list(
            Offer.objects.filter(year__in=[year, year + 1])
            .exclude(status=Offer.Status.ARCHIVED)
            .filter(Q(responsible__uuid=me) | Q(team__person__uuid=me))
            .select_related("ue", "responsible")
            .distinct()
            .order_by("year", "ue__code", "-version")
        )
    rows = [MyOffer(o, o.responsible is not None and o.responsible.uuid == me) for o in offers]
    reviewer = has_any_role(request.user, set(REVIEWERS))
    to_review = _scope(request).filter(status=Offer.Status.IN_REVIEW).count() if reviewer else 0
    return render(
        request,
        "catalogue/dashboard/home.html",
        {
            "rows": rows,
            "years": [academic_year_label(year), academic_year_label(year + 1)],
            "reviewer": reviewer,
            "to_review": to_review,
            "cycle": has_any_role(request.user, {Role.SCOLARITE}),
        },
    )


def _scope(request: HttpRequest) -> QuerySet[Offer]:
    """Offers a reviewer looks after: all for the scolarité, else their programmes' offers."""
    if has_any_role(request.user, {Role.SCOLARITE}):
        return Offer.objects.all()
    me = referential.person_uuid_for_user(request.user)
    if me is None:
        return Offer.objects.none()
    headed = OfferProgramme.objects.filter(programme__head__uuid=me).values("offer_id")
    return Offer.objects.filter(pk__in=headed)


def _programme_choices(request: HttpRequest) -> list[tuple[str, str]]:
    programmes = Programme.objects.order_by("code", "-year")
    if not has_any_role(request.user, {Role.SCOLARITE}):
        me = referential.person_uuid_for_user(request.user)
        programmes = programmes.filter(head__uuid=me) if me else programmes.none()
    return list(dict(programmes.values_list("code", "title")).items())


@role_required(*REVIEWERS)
def offers(request: HttpRequest) -> HttpResponse:
    """Offers in the reviewer's scope, in review by default, with filters and search."""
    scope = _scope(request)
    years = sorted(scope.order_by().values_list("year", flat=True).distinct(), reverse=True)
    data = request.GET.copy()
    data.setdefault("status", Offer.Status.IN_REVIEW)
    form = OfferFilterForm(data, years=years, programmes=_programme_choices(request))
    found = scope
    if form.is_valid():
        criteria = form.cleaned_data
        if criteria["q"].strip():
            text = criteria["q"].strip()
            found = found.filter(
                Q(ue__code__icontains=text) | Q(title__icontains=text) | Q(title_en__icontains=text)
            )
        if criteria["year"] is not None:
            found = found.filter(year=criteria["year"])
        if criteria["status"]:
            found = found.filter(status=criteria["status"])
        if criteria["programme"]:
            found = found.filter(programme_links__programme__code=criteria["programme"])
    else:
        found = found.none()
    found = (
        found.select_related("ue", "responsible")
        .prefetch_related(
            Prefetch(
                "programme_links",
                queryset=OfferProgramme.objects.select_related("programme", "category").order_by(
                    "programme__code"
                ),
            )
        )
        .distinct()
        .order_by("-year", "ue__code", "-version")
    )
    page: Any = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/dashboard/offers.html",
        {"form": form, "page": page, "querystring": query.urlencode()},
    )


# --- the offer page ------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    at: Any
    actor: str
    label: str
    status: str
    fields: str
    comment: str


def _history(offer: Offer) -> list[HistoryRow]:
    statuses = dict(Offer.Status.choices)
    rows = []
    entries = AuditEntry.objects.filter(  # the indexed action column narrows the search first
        action__in=list(ACTION_LABELS), object_type=actions.OBJECT_TYPE, object_ref=str(offer.uuid)
    )
    for entry in entries.order_by("at", "id"):
        changes = entry.detail.get("changes") or {}
        status = (changes.get("status") or {}).get("after", "")
        fields = [
            str(rules.FIELD_NAMES.get(name, (name,))[0]) for name in changes if name != "status"
        ]
        rows.append(
            HistoryRow(
                at=entry.at,
                actor=entry.actor_label,
                label=str(ACTION_LABELS.get(entry.action, entry.action)),
                status=str(statuses.get(status, "")),
                fields=", ".join(fields),
                comment=str(entry.detail.get("comment", "")),
            )
        )
    return rows


def team_of(offer: Offer) -> list[TeachingAssignment]:
    return list(offer.team.select_related("person").order_by("person__civil_last_name", "activity"))


def _software_choices() -> list[tuple[str, str]]:
    return list(Software.objects.order_by("name").values_list("code", "name"))


def _offer_page(
    request: HttpRequest, offer: Offer, standing: Standing, **forms: Any
) -> HttpResponse:
    allowed = rules.allowed_permissions(offer.status, standing)
    team = team_of(offer)
    audit.record_reads(
        "catalogue.offer.team.read",
        actor=request.user,
        subjects=[a.person.uuid for a in team],
        detail={"offer": str(offer.uuid)},
    )
    context = {
        "offer": offer,
        "can": {p.value: p in allowed for p in Permission},
        "programme_links": offer.programme_links.select_related("programme", "category"),
        "team": team,
        "elements": offer.elements.all(),
        "prerequisites": offer.prerequisites.select_related(
            "required_ue", "competency", "min_level"
        ),
        "software_needs": offer.software_needs.select_related("software").order_by(
            "software__name"
        ),
        "contributions": offer.contributions.select_related("competency", "level"),
        "versions": Offer.objects.filter(ue_id=offer.ue_id, year=offer.year).order_by("-version"),
        "history": _history(offer),
        "syllabus_form": forms.get("syllabus_form") or SyllabusForm.for_offer(offer),
        "needs_form": forms.get("needs_form") or NeedsForm.for_offer(offer),
        "software_formset": forms.get("software_formset")
        or software_formset(offer, _software_choices()),
        "team_form": forms.get("team_form") or TeamMemberForm(),
        "return_form": forms.get("return_form") or ReturnToDraftForm(),
    }
    return render(request, "catalogue/dashboard/offer.html", context)


@role_required()
def offer(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    found, standing = offer_for_user(request, offer_uuid)
    return _offer_page(request, found, standing)


# --- edits ---------------------------------------------------------------------------------


def _saved(request: HttpRequest, changed: bool) -> None:
    if changed:
        messages.success(request, _("Modifications enregistrées."))
    else:
        messages.info(request, _("Aucune modification."))


@require_POST
@role_required()
def syllabus(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    found, standing = _offer_allowing(request, offer_uuid, Permission.EDIT_SYLLABUS)
    form = SyllabusForm(request.POST)
    if form.is_valid():
        try:
            changed = actions.do_update_syllabus(
                found.uuid, form.values(), acting_user=request.user
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            _saved(request, bool(changed))
            return _back(found, "syllabus")
    return _offer_page(request, found, standing, syllabus_form=form)


@require_POST
@role_required()
def needs(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    found, standing = _offer_allowing(request, offer_uuid, Permission.EDIT_NEEDS)
    form = NeedsForm(request.POST)
    if form.is_valid():
        try:
            changed = actions.do_update_timetable_needs(
                found.uuid, form.values(), acting_user=request.user
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            _saved(request, bool(changed))
            return _back(found, "preparation")
    return _offer_page(request, found, standing, needs_form=form)


@require_POST
@role_required()
def software(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    found, standing = _offer_allowing(request, offer_uuid, Permission.EDIT_NEEDS)
    formset = software_formset(found, _software_choices(), request.POST)
    if formset.is_valid():
        try:
            changed = actions.do_set_software_needs(
                found.uuid, formset.choices(), acting_user=request.user
            )
        except DomainError as error:
            formset.non_form_errors().append(bilingual(error))
        else:
            _saved(request, changed)
            return _back(found, "logiciels")
    return _offer_page(request, found, standing, software_formset=formset)


@require_POST
@role_required()
def team_add(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    found, standing = _offer_allowing(request, offer_uuid, Permission.MANAGE_TEAM)
    form = TeamMemberForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_team_member(
                found.uuid,
                form.cleaned_data["person"],
                activity=form.cleaned_data["activity"],
                hours=form.cleaned_data["hours"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Membre ajouté à l'équipe pédagogique."))
            return _back(found, "equipe")
    return _offer_page(request, found, standing, team_form=form)


@require_POST
@role_required()
def team_remove(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    found, _standing = _offer_allowing(request, offer_uuid, Permission.MANAGE_TEAM)
    try:
        person_uuid = uuid.UUID(request.POST.get("person", ""))
        actions.do_remove_team_member(
            found.uuid,
            person_uuid,
            activity=request.POST.get("activity", ""),
            acting_user=request.user,
        )
    except ValueError:
        messages.error(request, _("Personne inconnue."))
    except DomainError as error:
        messages.error(request, bilingual(error))
    else:
        messages.success(request, _("Membre retiré de l'équipe pédagogique."))
    return _back(found, "equipe")


# --- workflow ------------------------------------------------------------------------------


def _transition(
    request: HttpRequest, offer_uuid: uuid.UUID, permission: Permission, done: str
) -> HttpResponse:
    found, _standing = _offer_allowing(request, offer_uuid, permission)
    move = {
        Permission.SUBMIT: actions.do_submit_for_review,
        Permission.PUBLISH: actions.do_publish_offer,
    }[permission]
    try:
        move(found.uuid, acting_user=request.user)
    except DomainError as error:
        messages.error(request, bilingual(error))
    else:
        messages.success(request, done)
    return _back(found)


@require_POST
@role_required()
def submit(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    return _transition(request, offer_uuid, Permission.SUBMIT, _("Offre soumise à relecture."))


@require_POST
@role_required()
def publish(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    return _transition(request, offer_uuid, Permission.PUBLISH, _("Offre publiée."))


@require_POST
@role_required()
def return_to_draft(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    found, standing = _offer_allowing(request, offer_uuid, Permission.RETURN_TO_DRAFT)
    form = ReturnToDraftForm(request.POST)
    if form.is_valid():
        try:
            actions.do_return_to_draft(
                found.uuid, form.cleaned_data["comment"], acting_user=request.user
            )
        except DomainError as error:
            form.add_error(None, bilingual(error))
        else:
            messages.success(request, _("Offre renvoyée en brouillon."))
            return _back(found)
    return _offer_page(request, found, standing, return_form=form)


@require_POST
@role_required()
def new_version(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    found, _standing = _offer_allowing(request, offer_uuid, Permission.NEW_VERSION)
    try:
        draft = actions.do_new_version(found.uuid, acting_user=request.user)
    except DomainError as error:
        messages.error(request, bilingual(error))
        return _back(found)
    messages.success(request, _("Nouvelle version créée en brouillon."))
    return _back(draft)
