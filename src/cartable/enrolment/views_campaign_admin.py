"""The scolarité's screens to run enrolment campaigns (/inscriptions/gestion/): the campaigns
with where each stands, a campaign's dates and claim window, the rules of each programme,
and the places of its UEs.

Only the scolarité uses them: every other role gets 403, the DSIN included (the campaigns
are a pedagogical matter and these screens hold nothing the DSIN runs). An unknown
campaign, programme or UE is 404. They show figures, never a student, so there is no read
of personal data to journal; every write is a named action of :mod:`campaign_admin`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.catalogue import api as catalogue
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, role_required
from cartable.core.spreadsheets import csv_response
from cartable.referential import api as referential

from . import actions, campaign_admin
from .campaign_rules import RuleValues
from .forms_campaign_admin import (
    CampaignForm,
    CapacityForm,
    CopyRulesForm,
    RuleForm,
    SeatFilterForm,
    category_formset,
    filled_category_forms,
    place_category_error,
)
from .models import Campaign
from .presenting import campaign_display, pick
from .presenting_campaign_admin import list_line, rule_lines, seat_line
from .queries import campaign_by_code
from .queries_campaign_admin import (
    SeatRow,
    campaign_rows,
    filter_seat_rows,
    other_campaigns,
    programme_rule,
    programme_rule_rows,
    programme_title,
    seat_rows,
)

MANAGERS = (Role.SCOLARITE,)
PAGE_SIZE = 100
SEAT_COLUMNS = ("ue", "intitule", "formations", "places", "prises", "libres", "liste_attente")


def _campaign_or_404(code: str) -> Campaign:
    try:
        return campaign_by_code(code)
    except DomainError as error:
        raise Http404(error.message) from error


def _detail_url(campaign: Campaign) -> str:
    return reverse("campaigns:admin_campaign", args=[campaign.code])


def _seats_url(campaign: Campaign) -> str:
    return reverse("campaigns:admin_seats", args=[campaign.code])


# --- the campaigns ---------------------------------------------------------------------------


@role_required(*MANAGERS)
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Every campaign: phase, population, semester, dates, students who chose, places taken
    and wait-lists."""
    populations = {c.code: c.label for c in referential.population_choices()}
    lines = [list_line(row, populations) for row in campaign_rows()]
    return render(request, "enrolment/admin_campaigns.html", {"lines": lines})


@role_required(*MANAGERS)
def campaign_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = CampaignForm(initial={"year": catalogue.current_year(), "claim_hours": 0})
        return render(request, "enrolment/admin_campaign_new.html", {"form": form})
    form = CampaignForm(request.POST)
    if form.is_valid():
        try:
            campaign = campaign_admin.do_create_campaign(
                form.cleaned_data["code"], form.values(), acting_user=request.user
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request,
                _(
                    "Campagne créée. Définissez maintenant les règles des formations et préparez "
                    "les places."
                ),
            )
            return HttpResponseRedirect(_detail_url(campaign))
    return render(request, "enrolment/admin_campaign_new.html", {"form": form}, status=400)


# --- one campaign ----------------------------------------------------------------------------


def _detail_page(
    request: HttpRequest,
    campaign: Campaign,
    *,
    form: CampaignForm | None = None,
    copy_form: CopyRulesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    fixed = campaign_admin.has_opened(campaign, now)
    others = other_campaigns(campaign)
    return render(
        request,
        "enrolment/admin_campaign.html",
        {
            "campaign": campaign_display(campaign, campaign.phase(now)),
            "form": form or CampaignForm.for_campaign(campaign, fixed=fixed),
            "fixed": fixed,
            "rules": rule_lines(programme_rule_rows(campaign)),
            "copy_form": copy_form or (CopyRulesForm(campaigns=others) if others else None),
        },
        status=status,
    )


@role_required(*MANAGERS)
def campaign_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The campaign's settings (changed on POST) and its programmes' rules."""
    campaign = _campaign_or_404(code)
    if request.method != "POST":
        return _detail_page(request, campaign)
    fixed = campaign_admin.has_opened(campaign, timezone.now())
    form = CampaignForm(
        request.POST, initial=_fixed_initial(campaign), campaign=campaign, fixed=fixed
    )
    if form.is_valid():
        try:
            changed = campaign_admin.do_update_campaign(
                campaign.code, form.values(), acting_user=request.user
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if changed:
                messages.success(request, _("Campagne enregistrée."))
            else:
                messages.info(request, _("Aucune modification."))
            return HttpResponseRedirect(_detail_url(campaign))
    return _detail_page(request, campaign, form=form, status=400)


def _fixed_initial(campaign: Campaign) -> dict[str, Any]:
    """What a disabled field keeps: the campaign's own value."""
    return {"year": campaign.year, "semester": campaign.semester, "population": campaign.population}


@require_POST
@role_required(*MANAGERS)
def rules_copy(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _campaign_or_404(code)
    form = CopyRulesForm(request.POST, campaigns=other_campaigns(campaign))
    if form.is_valid():
        try:
            outcome = campaign_admin.do_copy_rules(
                campaign.code, form.cleaned_data["source"], acting_user=request.user
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            text = _("Règles copiées pour %(n)s formation(s) : %(list)s.") % {
                "n": len(outcome.copied),
                "list": ", ".join(outcome.copied) or "—",
            }
            if outcome.unknown_programmes:
                text += " " + _("Formations absentes du catalogue de cette année : %(list)s.") % {
                    "list": ", ".join(outcome.unknown_programmes)
                }
            if outcome.dropped_mandatory:
                text += " " + _(
                    "UE obligatoires laissées de côté, non proposées ce semestre : %(list)s."
                ) % {"list": ", ".join(outcome.dropped_mandatory)}
            messages.success(request, text)
            return HttpResponseRedirect(_detail_url(campaign))
    return _detail_page(request, campaign, copy_form=form, status=400)


# --- a programme's rules ---------------------------------------------------------------------


def _rule_page(
    request: HttpRequest,
    campaign: Campaign,
    programme: str,
    title: str,
    form: RuleForm,
    categories: Any,
    *,
    has_rule: bool,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "enrolment/admin_rule.html",
        {
            "campaign": campaign_display(campaign, campaign.phase(timezone.now())),
            "programme": programme,
            "programme_title": title,
            "form": form,
            "categories": categories,
            "has_rule": has_rule,
        },
        status=status,
    )


@role_required(*MANAGERS)
def rule_edit(request: HttpRequest, code: str, programme: str) -> HttpResponse:
    """A programme's rules in the campaign: credit range, maximum UEs, mandatory UEs,
    category rules (saved on POST)."""
    campaign = _campaign_or_404(code)
    titles = programme_title(campaign, programme)
    if titles is None:
        raise Http404(_("Formation inconnue"))
    title = pick(*titles)
    existing = programme_rule(campaign, programme)
    if request.method != "POST":
        form, categories = RuleForm.for_rule(existing), category_formset(existing)
        return _rule_page(
            request, campaign, programme, title, form, categories, has_rule=existing is not None
        )
    form, categories = RuleForm(request.POST), category_formset(None, request.POST)
    if form.is_valid() and categories.is_valid():
        filled = filled_category_forms(categories)
        values = RuleValues(
            min_credits=form.cleaned_data["min_credits"],
            max_credits=form.cleaned_data["max_credits"],
            max_ues=form.cleaned_data["max_ues"],
            mandatory=form.mandatory_codes(),
            categories=tuple(f.category_values() for f in filled),
        )
        try:
            campaign_admin.do_save_programme_rule(
                campaign.code, programme, values, acting_user=request.user
            )
        except DomainError as error:
            if not place_category_error(categories, filled, error):
                form.add_domain_error(error)
        else:
            messages.success(
                request, _("Règles de %(programme)s enregistrées.") % {"programme": programme}
            )
            return HttpResponseRedirect(_detail_url(campaign))
    return _rule_page(
        request,
        campaign,
        programme,
        title,
        form,
        categories,
        has_rule=existing is not None,
        status=400,
    )


@require_POST
@role_required(*MANAGERS)
def rule_delete(request: HttpRequest, code: str, programme: str) -> HttpResponse:
    campaign = _campaign_or_404(code)
    try:
        campaign_admin.do_delete_programme_rule(campaign.code, programme, acting_user=request.user)
    except DomainError as error:
        raise Http404(error.message) from error
    messages.success(request, _("Règles de %(programme)s supprimées.") % {"programme": programme})
    return HttpResponseRedirect(_detail_url(campaign))


# --- places ----------------------------------------------------------------------------------


def _filtered_seats(
    request: HttpRequest, campaign: Campaign
) -> tuple[SeatFilterForm, list[SeatRow], int]:
    rows = seat_rows(campaign)
    programmes = sorted({p for row in rows for p in row.programmes})
    form = SeatFilterForm(request.GET or None, programmes=programmes)
    shown = filter_seat_rows(rows, **form.values()) if form.is_bound else rows
    return form, shown, len(rows)


@role_required(*MANAGERS)
def seats(request: HttpRequest, code: str) -> HttpResponse:
    """The UEs of the campaign with their places and wait-lists, searchable."""
    campaign = _campaign_or_404(code)
    form, rows, prepared = _filtered_seats(request, campaign)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
    return render(
        request,
        "enrolment/admin_seats.html",
        {
            "campaign": campaign_display(campaign, campaign.phase(timezone.now())),
            "form": form,
            "page": page,
            "lines": [seat_line(row) for row in page],
            "total": len(rows),
            "prepared": prepared,
            "querystring": query,
            "csv_query": query,
        },
    )


@role_required(*MANAGERS)
def seats_csv(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _campaign_or_404(code)
    _form, rows, _prepared = _filtered_seats(request, campaign)
    return csv_response(
        f"{campaign.code}-places.csv",
        SEAT_COLUMNS,
        [
            [
                row.ue_code,
                pick(row.title, row.title_en),
                " ".join(row.programmes),
                "" if row.capacity is None else row.capacity,
                row.taken,
                "" if row.free is None else row.free,
                row.waiting,
            ]
            for row in rows
        ],
    )


@require_POST
@role_required(*MANAGERS)
def seats_prepare(request: HttpRequest, code: str) -> HttpResponse:
    """Create the places of every published offer of the semester not prepared yet."""
    campaign = _campaign_or_404(code)
    created = actions.do_prepare_seats(campaign.code, acting_user=request.user)
    messages.success(
        request, _("Places préparées pour %(n)s UE supplémentaire(s).") % {"n": created}
    )
    return HttpResponseRedirect(_seats_url(campaign))


def _seat_page(
    request: HttpRequest, campaign: Campaign, row: SeatRow, form: CapacityForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "enrolment/admin_seat.html",
        {
            "campaign": campaign_display(campaign, campaign.phase(timezone.now())),
            "line": seat_line(row),
            "form": form,
        },
        status=status,
    )


@role_required(*MANAGERS)
def seat_edit(request: HttpRequest, code: str, ue: str) -> HttpResponse:
    """A UE's places in the campaign (changed on POST)."""
    campaign = _campaign_or_404(code)
    found = seat_rows(campaign, ue.strip().upper())
    if not found:
        raise Http404(_("UE sans places dans cette campagne"))
    row = found[0]
    if request.method != "POST":
        return _seat_page(request, campaign, row, CapacityForm(initial={"capacity": row.capacity}))
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            change = campaign_admin.do_set_seat_capacity(
                campaign.code, row.ue_code, form.cleaned_data["capacity"], acting_user=request.user
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            text = _("Places de %(ue)s enregistrées.") % {"ue": change.ue_code}
            if change.given_to_waitlist:
                text += " " + _(
                    "%(n)s place(s) attribuée(s) ou proposée(s) à la liste d'attente."
                ) % {"n": change.given_to_waitlist}
            messages.success(request, text)
            return HttpResponseRedirect(_seats_url(campaign))
    return _seat_page(request, campaign, row, form, status=400)
