"""The roster of an offer for its teaching team: list, photo roster, exports (§5.2.3)."""

from __future__ import annotations

import uuid

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import OfferSummary
from cartable.core import audit
from cartable.core.models import AuditEntry
from cartable.core.permissions import login_required
from cartable.core.spreadsheets import csv_response, xlsx_response

from . import api
from .data import EnrolledStudent
from .models import Enrolment

COLUMNS = ("nom", "prenom", "numero_etudiant", "courriel", "formation", "niveau")


def _offer_or_404(request: HttpRequest, offer_uuid: uuid.UUID) -> OfferSummary:
    offer = catalogue.offer_for_staff(request.user, offer_uuid)
    if offer is None:
        raise Http404(_("Offre inconnue"))
    return offer


def _rows(students: list[EnrolledStudent]) -> list[list[str]]:
    return [
        [
            s.last_name,
            s.first_name,
            s.student_number,
            s.institutional_email,
            s.programme,
            s.study_level,
        ]
        for s in students
    ]


@login_required
def roster(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    offer = _offer_or_404(request, offer_uuid)
    students = api.enrolled_students(offer_uuid)
    photos = request.GET.get("vue") == "photos"
    audit.record_reads(
        "enrolment.roster.photos" if photos else "enrolment.roster.view",
        actor=request.user,
        subjects=[s.uuid for s in students],
        detail={"offer": str(offer_uuid)},
    )
    return render(
        request,
        "enrolment/roster.html",
        {"offer": offer, "students": students, "photos": photos},
    )


def _export(
    request: HttpRequest, offer_uuid: uuid.UUID, fmt: str
) -> tuple[OfferSummary, list[list[str]]]:
    offer = _offer_or_404(request, offer_uuid)
    students = api.enrolled_students(offer_uuid)
    audit.record_reads(
        "enrolment.roster.export",
        actor=request.user,
        subjects=[s.uuid for s in students],
        kind=AuditEntry.Kind.EXPORT,
        detail={"offer": str(offer_uuid), "format": fmt},
    )
    return offer, _rows(students)


@login_required
def roster_csv(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    offer, rows = _export(request, offer_uuid, "csv")
    return csv_response(f"{offer.ue_code}-{offer.year}-inscrits.csv", COLUMNS, rows)


@login_required
def roster_xlsx(request: HttpRequest, offer_uuid: uuid.UUID) -> HttpResponse:
    offer, rows = _export(request, offer_uuid, "xlsx")
    return xlsx_response(
        f"{offer.ue_code}-{offer.year}-inscrits.xlsx",
        f"{offer.ue_code} {offer.year}",
        COLUMNS,
        rows,
    )


@login_required
def photo(request: HttpRequest, offer_uuid: uuid.UUID, student_uuid: uuid.UUID) -> FileResponse:
    """A student's photo, for the team of an offer they are enrolled in, only with consent."""
    _offer_or_404(request, offer_uuid)
    enrolment = (
        Enrolment.objects.filter(
            offer__uuid=offer_uuid,
            student__uuid=student_uuid,
            status=Enrolment.Status.ACCEPTED,
            student__photo_consent=True,
        )
        .select_related("student")
        .first()
    )
    if enrolment is None or not enrolment.student.photo:
        raise Http404
    audit.record_reads(
        "enrolment.photo.view",
        actor=request.user,
        subjects=[student_uuid],
        detail={"offer": str(offer_uuid)},
    )
    response = FileResponse(default_storage.open(str(enrolment.student.photo.name), "rb"))
    response["Cache-Control"] = "private, max-age=300"
    return response
