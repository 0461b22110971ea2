"""The catalogue's yearly cycle, for the scolarité: copy a year into the next, publish it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.core.calendar import academic_year_label
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, role_required

from . import actions
from .forms import CopyYearForm, PublishYearForm, bilingual
from .models import Offer


@dataclass(frozen=True)
class YearCounts:
    year: int
    label: str
    counts: list[int]
    total: int


def _year_counts() -> list[YearCounts]:
    by_year: dict[int, dict[str, int]] = {}
    for row in Offer.objects.values("year", "status").annotate(n=Count("id")).order_by():
        by_year.setdefault(row["year"], {})[row["status"]] = row["n"]
    statuses = Offer.Status.values
    return [
        YearCounts(
            year=year,
            label=academic_year_label(year),
            counts=[counts.get(s, 0) for s in statuses],
            total=sum(counts.values()),
        )
        for year, counts in sorted(by_year.items(), reverse=True)
    ]


def _page(
    request: HttpRequest,
    *,
    copy_form: CopyYearForm | None = None,
    publish_form: PublishYearForm | None = None,
) -> HttpResponse:
    years = _year_counts()
    year_numbers = [y.year for y in years]
    latest = year_numbers[0] if year_numbers else None
    return render(
        request,
        "catalogue/cycle/cycle.html",
        {
            "years": years,
            "statuses": Offer.Status.labels,
            "copy_form": copy_form
            or CopyYearForm(
                years=year_numbers,
                initial={"source_year": latest, "target_year": latest + 1 if latest else None},
            ),
            "publish_form": publish_form or PublishYearForm(years=year_numbers),
        },
    )


def _years() -> list[int]:
    return sorted(Offer.objects.order_by().values_list("year", flat=True).distinct(), reverse=True)


@role_required(Role.SCOLARITE)
def cycle(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _done(request: HttpRequest, text: str) -> HttpResponse:
    messages.success(request, text)
    return HttpResponseRedirect(reverse("catalogue:cycle"))


@require_POST
@role_required(Role.SCOLARITE)
def copy_year(request: HttpRequest) -> HttpResponse:
    form = CopyYearForm(request.POST, years=_years())
    if form.is_valid():
        source, target = form.cleaned_data["source_year"], form.cleaned_data["target_year"]
        try:
            result = actions.do_copy_year(source, target, acting_user=request.user)
        except DomainError as error:
            form.add_error(None, bilingual(error))
        else:
            counts: dict[str, Any] = {
                "source": academic_year_label(source),
                "target": academic_year_label(target),
                **result.as_dict(),
            }
            return _done(
                request,
                _(
                    "Année %(source)s copiée vers %(target)s : %(offers_copied)s offre(s) "
                    "copiée(s) en brouillon, %(offers_skipped)s déjà présente(s) ; "
                    "%(programmes_created)s formation(s) créée(s), %(programmes_existing)s "
                    "déjà présente(s) ; %(programme_links)s rattachement(s), "
                    "%(team_members)s membre(s) d'équipe, %(software_needs)s besoin(s) "
                    "logiciel(s) copiés."
                )
                % counts,
            )
    return _page(request, copy_form=form)


@require_POST
@role_required(Role.SCOLARITE)
def publish_year(request: HttpRequest) -> HttpResponse:
    form = PublishYearForm(request.POST, years=_years())
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            result = actions.do_publish_year(year, acting_user=request.user)
        except DomainError as error:
            form.add_error(None, bilingual(error))
        else:
            return _done(
                request,
                _(
                    "Année %(year)s : %(published)s offre(s) relue(s) publiée(s), "
                    "%(archived)s version(s) précédente(s) archivée(s)."
                )
                % {
                    "year": academic_year_label(year),
                    "published": result.published,
                    "archived": result.archived,
                },
            )
    return _page(request, publish_form=form)
