"""The graduation requirements, for the scolarité: by programme and catalogue year, listed,
added, changed, deleted, copied to another year, and exported as CSV. Every change queues
the recomputation of the students' profiles."""

from __future__ import annotations

import csv
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cartable.catalogue import api as catalogue
from cartable.competencies import api as competencies
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, role_required
from cartable.core.text import english

from . import profile_rules as engine
from .forms import RequirementForm, bilingual
from .models import CategoryRequirement, DiplomaRequirement
from .profile import requirement_years
from .requirements import (
    TESTS,
    Draft,
    RequirementErrors,
    do_copy_requirements,
    do_delete_requirement,
    do_save_requirement,
    draft_of,
    requirement,
)

KIND_LABELS = {
    engine.CREDITS: gettext_lazy("Crédits"),
    **dict(DiplomaRequirement.Kind.choices),
}
COMMON = ("kind", "programme", "catalogue_year", "label", "label_en", "order", "assumption")


def _kinds() -> list[tuple[str, str]]:
    return [(kind, str(label)) for kind, label in KIND_LABELS.items()]


def _programmes() -> list[tuple[str, str]]:
    titled = english()
    return [
        (code, f"{code} — {title_en if titled and title_en else title}")
        for code, title, title_en in catalogue.programmes_of_year(catalogue.current_year())
    ]


def _years() -> list[int]:
    current = catalogue.current_year()
    return sorted(set(requirement_years()) | set(range(current - 5, current + 2)))


def _blocks() -> list[tuple[str, str]]:
    titled = english()
    return [
        (
            str(block.uuid),
            f"{framework.code} · {block.code} — "
            f"{block.title_en if titled and block.title_en else block.title}",
        )
        for framework in competencies.frameworks()
        for block in competencies.blocks(framework.uuid)
    ]


def _form(data: Any = None, initial: dict[str, Any] | None = None) -> RequirementForm:
    return RequirementForm(
        data,
        initial=initial,
        kinds=_kinds(),
        programmes=_programmes(),
        years=_years(),
        tests=[(code, name) for code, (name, _low, _high) in TESTS.items()],
        blocks=_blocks(),
    )


def _draft(form: RequirementForm) -> Draft:
    data = form.cleaned_data
    block = data.get("block")
    return Draft(
        programme=data["programme"],
        catalogue_year=data["catalogue_year"],
        kind=data["kind"],
        label=data["label"],
        label_en=data.get("label_en") or "",
        order=data.get("order") or 0,
        assumption=bool(data.get("assumption")),
        categories=data.get("categories") or "",
        min_credits=data.get("min_credits"),
        ues=data.get("ues") or "",
        count=data.get("count"),
        min_weeks=data.get("min_weeks"),
        test=data.get("test") or "",
        min_score=data.get("min_score"),
        block=uuid.UUID(block) if block else None,
        min_rank=data.get("min_rank"),
    )


def _add_errors(form: RequirementForm, error: DomainError) -> None:
    for each in error.errors if isinstance(error, RequirementErrors) else [error]:
        form.add_domain_error(each)


def _describe(kind: str, params: dict[str, Any], blocks: dict[str, str]) -> str:
    if kind == engine.MANDATORY_UES:
        return ", ".join(params.get("ues", ()))
    if kind == engine.INTERNSHIPS:
        return _("%(count)s stage(s) de %(weeks)s semaines au moins") % {
            "count": params.get("count"),
            "weeks": params.get("min_weeks", 0),
        }
    if kind == engine.CERTIFICATION:
        return f"{str(params.get('test', '')).upper()} ≥ {params.get('min_score')}"
    if kind == engine.BLOCK:
        return _("%(block)s, niveau %(rank)s") % {
            "block": blocks.get(str(params.get("block")), params.get("block")),
            "rank": params.get("min_rank"),
        }
    return ""


def _rows(programme: str, year: int | None) -> list[dict[str, Any]]:
    credits = CategoryRequirement.objects.all()
    others = DiplomaRequirement.objects.all()
    if programme:
        credits, others = credits.filter(programme=programme), others.filter(programme=programme)
    if year:
        credits = credits.filter(catalogue_year=year)
        others = others.filter(catalogue_year=year)
    blocks = dict(_blocks())
    rows: list[dict[str, Any]] = [
        {
            "kind": engine.CREDITS,
            "kind_label": KIND_LABELS[engine.CREDITS],
            "row": row,
            "rule": _("%(min)s crédits en %(cats)s")
            % {"min": row.min_credits, "cats": row.categories or _("tout")},
        }
        for row in credits
    ]
    rows += [
        {
            "kind": row.kind,
            "kind_label": KIND_LABELS.get(row.kind, row.kind),
            "row": row,
            "rule": _describe(row.kind, row.params, blocks),
        }
        for row in others
    ]
    rows.sort(key=lambda r: (r["row"].programme, r["row"].catalogue_year, r["row"].order))
    return rows


def _filters(request: HttpRequest) -> tuple[str, int | None]:
    programme = request.GET.get("programme", "").strip().upper()
    raw = request.GET.get("annee", "").strip()
    return programme, int(raw) if raw.isdigit() else None


def _page(
    request: HttpRequest, form: RequirementForm | None = None, *, status: int = 200
) -> HttpResponse:
    programme, year = _filters(request)
    form = form or _form(
        initial={"programme": programme, "catalogue_year": year or catalogue.current_year()}
    )
    query = urlencode({"programme": programme, "annee": year or ""})
    return render(
        request,
        "records/requirements.html",
        {
            "rows": _rows(programme, year),
            "programmes": _programmes(),
            "years": _years(),
            "programme": programme,
            "year": year,
            "form": form,
            "common": [form[name] for name in COMMON],
            "kind_fields": form.kind_fields(),
            "query": query,
        },
        status=status,
    )


@role_required(Role.SCOLARITE)
def requirements(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = _form(request.POST)
        if form.is_valid():
            try:
                do_save_requirement(_draft(form), acting_user=request.user)
            except DomainError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Exigence ajoutée ; les profils vont être recalculés."))
                return HttpResponseRedirect(
                    reverse("records:requirements")
                    + "?"
                    + urlencode(
                        {
                            "programme": str(form.cleaned_data["programme"]),
                            "annee": str(form.cleaned_data["catalogue_year"]),
                        }
                    )
                )
        return _page(request, form, status=400)
    return _page(request)


@role_required(Role.SCOLARITE)
def requirement_edit(request: HttpRequest, kind: str, requirement_id: int) -> HttpResponse:
    try:
        row = requirement(kind, requirement_id)
    except DomainError as error:
        return HttpResponse(bilingual(error), status=404)
    back = (
        reverse("records:requirements")
        + "?"
        + urlencode({"programme": row.programme, "annee": str(row.catalogue_year)})
    )
    status = 200
    if request.method == "POST":
        form = _form(request.POST)
        if form.is_valid() and form.cleaned_data["kind"] == kind:
            try:
                do_save_requirement(
                    _draft(form), acting_user=request.user, requirement_id=requirement_id
                )
            except DomainError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request, _("Exigence enregistrée ; les profils vont être recalculés.")
                )
                return HttpResponseRedirect(back)
        elif form.is_valid():
            form.add_error(
                "kind",
                _("Le type d'une exigence ne change pas : supprimez-la et créez-en une autre."),
            )
        status = 400
    else:
        form = _form(initial=draft_of(row))
    return render(
        request,
        "records/requirement_form.html",
        {
            "form": form,
            "row": row,
            "back": back,
            "common": [form[name] for name in COMMON],
            "own_fields": [form[name] for name in RequirementForm.KIND_FIELDS.get(kind, ())],
        },
        status=status,
    )


@require_POST
@role_required(Role.SCOLARITE)
def requirement_delete(request: HttpRequest, kind: str, requirement_id: int) -> HttpResponse:
    try:
        row = requirement(kind, requirement_id)
        back = urlencode({"programme": row.programme, "annee": str(row.catalogue_year)})
        do_delete_requirement(kind, requirement_id, acting_user=request.user)
    except DomainError as error:
        return HttpResponse(bilingual(error), status=404)
    messages.success(request, _("Exigence supprimée ; les profils vont être recalculés."))
    return HttpResponseRedirect(reverse("records:requirements") + "?" + back)


@require_POST
@role_required(Role.SCOLARITE)
def requirements_copy(request: HttpRequest) -> HttpResponse:
    programme = request.POST.get("programme", "").strip().upper()
    raw_source, raw_target = (
        request.POST.get("source_year", ""),
        request.POST.get("target_year", ""),
    )
    if not (programme and raw_source.isdigit() and raw_target.isdigit()):
        messages.error(
            request,
            _("Choisissez une formation, une année d'origine et une année de destination."),
        )
        return HttpResponseRedirect(reverse("records:requirements"))
    try:
        count = do_copy_requirements(
            programme, int(raw_source), int(raw_target), acting_user=request.user
        )
    except DomainError as error:
        messages.error(request, bilingual(error))
        return HttpResponseRedirect(
            reverse("records:requirements")
            + "?"
            + urlencode({"programme": programme, "annee": raw_source})
        )
    messages.success(
        request,
        _("%(count)s exigences copiées vers %(year)s.") % {"count": count, "year": raw_target},
    )
    return HttpResponseRedirect(
        reverse("records:requirements")
        + "?"
        + urlencode({"programme": programme, "annee": raw_target})
    )


@role_required(Role.SCOLARITE)
def requirements_csv(request: HttpRequest) -> HttpResponse:
    programme, year = _filters(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="exigences.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        ["formation", "annee_catalogue", "type", "libelle", "libelle_en", "regle", "hypothese"]
    )
    for line in _rows(programme, year):
        row = line["row"]
        writer.writerow(
            [
                row.programme,
                row.catalogue_year,
                line["kind"],
                row.label,
                row.label_en,
                line["rule"],
                "oui" if row.assumption else "non",
            ]
        )
    return response
