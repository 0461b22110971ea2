"""A programme's competency map (public) and its gap report (programme heads, scolarité,
direction).

The page costs the same number of queries whatever the number of offers and competencies:
the programme, its framework, the competencies, the scale, the offers, the contributions."""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass

from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cartable.competencies import api as competencies
from cartable.competencies.data import FrameworkSummary
from cartable.core.permissions import Role, has_any_role, role_required
from cartable.core.spreadsheets import csv_value

from .competency_map import (
    CompetencyMap,
    Contribution,
    MapOffer,
    build_map,
    gap_csv_rows,
    gap_report,
)
from .models import CompetencyContribution, Offer, OfferProgramme, Programme

GAP_READERS = (Role.PROGRAMME_HEAD, Role.SCOLARITE, Role.DIRECTION)


@dataclass(frozen=True)
class _Loaded:
    programme: Programme
    framework: FrameworkSummary | None
    competency_map: CompetencyMap | None


def _programme_or_404(code: str, year: int) -> Programme:
    programme = (
        Programme.objects.select_related("diploma")
        .annotate(framework_uuid=F("framework__uuid"))
        .filter(code=code, year=year)
        .first()
    )
    if programme is None:
        raise Http404(_("Formation inconnue"))
    return programme


def _framework_of(programme: Programme) -> FrameworkSummary | None:
    """The programme's framework; failing that, its diploma's."""
    framework_uuid: uuid.UUID | None = getattr(programme, "framework_uuid", None)
    if framework_uuid is not None:
        return competencies.framework_by_uuid(framework_uuid)
    return competencies.framework_for_diploma(programme.diploma.code)


def _offers(programme: Programme) -> list[MapOffer]:
    rows = (
        OfferProgramme.objects.filter(programme=programme, offer__status=Offer.Status.PUBLISHED)
        .values_list(
            "offer__uuid", "offer__ue__code", "offer__title", "offer__title_en", "category__code"
        )
        .order_by("offer__ue__code")
    )
    return [MapOffer(*row) for row in rows]


def _contributions(programme: Programme, framework_uuid: uuid.UUID) -> list[Contribution]:
    rows = CompetencyContribution.objects.filter(
        offer__programme_links__programme=programme,
        offer__status=Offer.Status.PUBLISHED,
        competency__block__framework__uuid=framework_uuid,
    ).values_list("offer__uuid", "competency__uuid", "level__rank", "weight")
    return [Contribution(*row) for row in rows]


def _load(code: str, year: int) -> _Loaded:
    programme = _programme_or_404(code, year)
    framework = _framework_of(programme)
    if framework is None:
        return _Loaded(programme, None, None)
    competency_map = build_map(
        competencies.competencies(framework.uuid),
        competencies.scale(framework.uuid),
        _offers(programme),
        _contributions(programme, framework.uuid),
    )
    return _Loaded(programme, framework, competency_map)


def competency_map(request: HttpRequest, code: str, year: int) -> HttpResponse:
    loaded = _load(code, year)
    sees_gaps = has_any_role(request.user, set(GAP_READERS))
    gaps = gap_report(loaded.competency_map) if loaded.competency_map and sees_gaps else None
    return render(
        request,
        "catalogue/competency_map/map.html",
        {
            "programme": loaded.programme,
            "framework": loaded.framework,
            "map": loaded.competency_map,
            "gaps": gaps,
            "sees_gaps": sees_gaps,
        },
    )


@role_required(*GAP_READERS)
def competency_gaps_csv(request: HttpRequest, code: str, year: int) -> HttpResponse:
    loaded = _load(code, year)
    if loaded.competency_map is None:
        raise Http404(_("Cette formation n'a pas de référentiel de compétences"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{code}-{year}-ecarts-competences.csv"'
    response.write("\ufeff")  # so that a spreadsheet reads the accents as UTF-8
    rows = gap_csv_rows(gap_report(loaded.competency_map))
    csv.writer(response, delimiter=";").writerows([csv_value(v) for v in row] for row in rows)
    return response
