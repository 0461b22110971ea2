"""The published offers of a semester and the state of their weekly template, searchable and
filterable, with a CSV export of the same list."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cartable.catalogue import api as catalogue
from cartable.core.calendar import academic_year_label
from cartable.core.permissions import role_required

from .. import queries
from ..forms import OfferFilterForm
from .common import PAGE_SIZE, READERS, may_edit, semester_label, semester_or_404


def _rows(request: HttpRequest, year: int, semester: str) -> tuple[OfferFilterForm, list[Any]]:
    programmes = queries.programmes_of(catalogue.timetable_offers(year, semester))
    form = OfferFilterForm(request.GET, programmes=programmes, campuses=queries.campuses())
    criteria: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    rows = queries.offer_rows(
        year,
        semester,
        text=criteria.get("q", ""),
        programme=criteria.get("programme", ""),
        campus=criteria.get("campus", ""),
        status=criteria.get("status", ""),
    )
    return form, rows


@role_required(*READERS)
def offers(request: HttpRequest, year: int, semester: str) -> HttpResponse:
    semester_or_404(semester)
    form, rows = _rows(request, year, semester)
    page: Any = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "timetable/offers.html",
        {
            "form": form,
            "page": page,
            "rows": page.object_list,
            "total": len(rows),
            "missing": sum(1 for r in rows if not r.has_template),
            "querystring": query.urlencode(),
            "year": year,
            "year_label": academic_year_label(year),
            "semester": semester,
            "semester_label": semester_label(semester),
            "calendar": queries.calendar(year, semester),
            "can_edit": may_edit(request),
        },
    )


@role_required(*READERS)
def offers_csv(request: HttpRequest, year: int, semester: str) -> HttpResponse:
    semester_or_404(semester)
    _form, rows = _rows(request, year, semester)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "ue_code",
            "title",
            "campus",
            "programmes",
            "activities",
            "groups",
            "slots",
            "group_places",
            "offer_capacity",
            "status",
        ]
    )
    for row in rows:
        offer = row.offer
        writer.writerow(
            [
                offer.ue_code,
                offer.title,
                offer.campus_code,
                ",".join(offer.programmes),
                row.activities,
                row.groups,
                row.slots,
                "" if row.capacity is None else row.capacity,
                "" if offer.capacity is None else offer.capacity,
                row.status,
            ]
        )
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv")
    filename = f"semaine-type-offres-{year}-{semester}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
