"""Teaching rooms: a list searchable and filtered by campus, and their forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from cartable.core.errors import DomainError
from cartable.core.permissions import role_required

from .. import actions, queries
from ..forms import RoomFilterForm, RoomForm
from ..models import Room
from .common import EDITORS, PAGE_SIZE, READERS, may_edit


@role_required(*READERS)
def rooms(request: HttpRequest) -> HttpResponse:
    campuses = queries.campuses()
    form = RoomFilterForm(request.GET, campuses=campuses)
    criteria: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    found = queries.rooms(criteria.get("q", ""), criteria.get("campus", ""))
    page: Any = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "timetable/rooms.html",
        {
            "form": form,
            "page": page,
            "querystring": query.urlencode(),
            "can_edit": may_edit(request),
        },
    )


def _render_form(
    request: HttpRequest, form: RoomForm, room: Room | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "timetable/room_form.html",
        {"form": form, "room": room, "can_edit": may_edit(request)},
        status=status,
    )


@role_required(*EDITORS)
def room_new(request: HttpRequest) -> HttpResponse:
    campuses = queries.campuses()
    if request.method != "POST":
        return _render_form(request, RoomForm(campuses=campuses), None)
    form = RoomForm(request.POST, campuses=campuses)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_create_room(
                code=data["code"],
                name=data["name"],
                campus_code=data["campus"],
                capacity=data["capacity"],
                features=data["features"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Salle enregistrée."))
            return HttpResponseRedirect(reverse("timetable:rooms"))
    return _render_form(request, form, None, status=400)


@role_required(*READERS)
def room_edit(request: HttpRequest, code: str) -> HttpResponse:
    room = Room.objects.select_related("campus").filter(code=code).first()
    if room is None:
        raise Http404(_("Salle inconnue"))
    campuses = queries.campuses()
    if request.method != "POST":
        return _render_form(request, RoomForm.for_room(room, campuses), room)
    if not may_edit(request):
        raise PermissionDenied
    form = RoomForm(request.POST, campuses=campuses, editing=True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = actions.do_update_room(
                room.code,
                name=data["name"],
                campus_code=data["campus"],
                capacity=data["capacity"],
                features=data["features"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if changed:
                messages.success(request, _("Salle enregistrée."))
            else:
                messages.info(request, _("Aucune modification."))
            return HttpResponseRedirect(reverse("timetable:rooms"))
    return _render_form(request, form, room, status=400)
