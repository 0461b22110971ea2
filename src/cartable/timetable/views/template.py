"""One offer's weekly template in a semester: activities, groups (places, room, teacher of the
teaching team, attached group) and slots (day, hours, week pattern, room), with the clashes
inside the UE. Every change is a POST to a named action; a refused change shows the page
again with what was typed and the reason next to the field."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import TimetableOffer
from cartable.core import audit
from cartable.core.calendar import academic_year_label
from cartable.core.errors import DomainError
from cartable.core.permissions import role_required

from .. import actions, queries, values
from ..data import WeekPattern
from ..forms import ActivityForm, GroupForm, SlotForm, bilingual
from ..models import Activity, Group, Slot
from ..queries import GroupView, TemplateView
from ..weeks import compact, numbers_of, pattern_of
from .common import EDITORS, READERS, may_edit, semester_label, semester_or_404


def offer_or_404(year: int, semester: str, ue_code: str) -> TimetableOffer:
    """The published offer of the UE for the year, given in the semester; 404 otherwise."""
    semester_or_404(semester)
    offer = catalogue.timetable_offer(ue_code, year)
    if offer is None or semester not in offer.semesters:
        raise Http404(_("Offre inconnue"))
    return offer


def _page_url(offer: TimetableOffer, semester: str, anchor: str = "") -> str:
    url = reverse("timetable:template", args=[offer.year, semester, offer.ue_code])
    return f"{url}#{anchor}" if anchor else url


# --- the page ------------------------------------------------------------------------------


@dataclass
class SlotRow:
    slot: Slot
    weeks: str
    form: SlotForm


@dataclass
class GroupBlock:
    view: GroupView
    form: GroupForm
    slot_form: SlotForm
    slots: list[SlotRow] = field(default_factory=list)


@dataclass
class ActivityBlock:
    activity: Activity
    group_form: GroupForm
    groups: list[GroupBlock] = field(default_factory=list)


@dataclass(frozen=True)
class WeekLine:
    day_number: int
    day: str
    start: Any
    end: Any
    group: str
    weeks: str
    room: str


def _slot_initial(slot: Slot, teaching: str | None) -> dict[str, Any]:
    pattern = pattern_of(slot.weeks, teaching) if teaching else WeekPattern.EXPLICIT
    explicit = compact(numbers_of(slot.weeks))
    return {
        "day": slot.day,
        "start": values.clock_text(slot.start),
        "end": values.clock_text(slot.end),
        "pattern": pattern.value,
        "explicit": explicit if pattern is WeekPattern.EXPLICIT else "",
        "room": slot.room.code if slot.room else "",
    }


def _blocks(view: TemplateView, overrides: dict[str, Any]) -> list[ActivityBlock]:
    teaching = view.calendar.teaching_weeks if view.calendar else None
    rooms, team = view.rooms, view.team
    blocks = []
    for activity_view in view.activities:
        activity = activity_view.activity
        parents = view.groups_outside(activity)
        common: dict[str, Any] = {"rooms": rooms, "team": team, "parents": parents}
        key = f"newgroup:{activity.uuid}"
        block = ActivityBlock(
            activity,
            overrides.get(key) or GroupForm(prefix_id=f"newgroup-{activity.uuid}", **common),
        )
        for group_view in activity_view.groups:
            group = group_view.group
            edit = overrides.get(f"group:{group.uuid}") or GroupForm.for_group(
                group, prefix_id=f"group-{group.uuid}", **common
            )
            add = overrides.get(f"newslot:{group.uuid}") or SlotForm(
                prefix_id=f"newslot-{group.uuid}", rooms=rooms
            )
            group_block = GroupBlock(group_view, edit, add)
            for slot in group_view.slots:
                form = overrides.get(f"slot:{slot.uuid}") or SlotForm(
                    initial=_slot_initial(slot, teaching),
                    prefix_id=f"slot-{slot.uuid}",
                    rooms=rooms,
                )
                group_block.slots.append(SlotRow(slot, view.weeks_label(slot), form))
            block.groups.append(group_block)
        blocks.append(block)
    return blocks


def _week(view: TemplateView) -> list[WeekLine]:
    lines = []
    for activity_view in view.activities:
        for group_view in activity_view.groups:
            group = group_view.group
            for slot in group_view.slots:
                room = slot.room or group.room
                lines.append(
                    WeekLine(
                        day_number=slot.day,
                        day=values.day_label(slot.day),
                        start=slot.start,
                        end=slot.end,
                        group=f"{activity_view.activity.kind} {group.code}",
                        weeks=view.weeks_label(slot),
                        room=room.code if room else "",
                    )
                )
    return sorted(lines, key=lambda w: (w.day_number, w.start, w.group))


def _render(
    request: HttpRequest,
    offer: TimetableOffer,
    semester: str,
    overrides: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    view = queries.template(offer, semester)
    audit.record_reads(
        "timetable.template.read",
        actor=request.user,
        subjects=[m.person_uuid for m in view.team],
        detail={"offer": str(offer.uuid), "semester": semester},
    )
    overrides = overrides or {}
    context = {
        "view": view,
        "offer": offer,
        "semester": semester,
        "semester_label": semester_label(semester),
        "year_label": academic_year_label(offer.year),
        "blocks": _blocks(view, overrides),
        "week": _week(view),
        "activity_form": overrides.get("activity") or ActivityForm(kinds=view.other_kinds),
        "can_edit": may_edit(request),
    }
    return render(request, "timetable/template.html", context, status=status)


@role_required(*READERS)
def template(request: HttpRequest, year: int, semester: str, ue_code: str) -> HttpResponse:
    offer = offer_or_404(year, semester, ue_code)
    return _render(request, offer, semester)


# --- changes -------------------------------------------------------------------------------


def _activity_or_404(offer: TimetableOffer, semester: str, activity_uuid: uuid.UUID) -> Activity:
    found = Activity.objects.filter(
        uuid=activity_uuid, offer__uuid=offer.uuid, semester=semester
    ).first()
    if found is None:
        raise Http404(_("Activité inconnue"))
    return found


def _group_or_404(offer: TimetableOffer, semester: str, group_uuid: uuid.UUID) -> Group:
    found = (
        Group.objects.select_related("activity")
        .filter(uuid=group_uuid, activity__offer__uuid=offer.uuid, activity__semester=semester)
        .first()
    )
    if found is None:
        raise Http404(_("Groupe inconnu"))
    return found


def _slot_or_404(offer: TimetableOffer, semester: str, slot_uuid: uuid.UUID) -> Slot:
    found = Slot.objects.filter(
        uuid=slot_uuid,
        group__activity__offer__uuid=offer.uuid,
        group__activity__semester=semester,
    ).first()
    if found is None:
        raise Http404(_("Créneau inconnu"))
    return found


def _attempt(
    request: HttpRequest,
    offer: TimetableOffer,
    semester: str,
    *,
    form: Any,
    key: str,
    write: Callable[[], object],
    done: str,
    anchor: str,
) -> HttpResponse:
    """Run ``write`` when ``form`` is valid; on success go back to the page, otherwise show it
    again with the form as typed and its errors."""
    if form.is_valid():
        try:
            write()
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(_page_url(offer, semester, anchor))
    return _render(request, offer, semester, {key: form}, status=400)


def _simple(
    request: HttpRequest,
    offer: TimetableOffer,
    semester: str,
    write: Callable[[], object],
    done: str,
    anchor: str = "",
) -> HttpResponse:
    try:
        write()
    except DomainError as error:
        messages.error(request, bilingual(error))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(_page_url(offer, semester, anchor))


@require_POST
@role_required(*EDITORS)
def add_activity(request: HttpRequest, year: int, semester: str, ue_code: str) -> HttpResponse:
    offer = offer_or_404(year, semester, ue_code)
    form = ActivityForm(request.POST, kinds=queries.missing_kinds(offer, semester))
    return _attempt(
        request,
        offer,
        semester,
        form=form,
        key="activity",
        write=lambda: actions.do_add_activity(
            offer.year, semester, offer.ue_code, form.cleaned_data["kind"], acting_user=request.user
        ),
        done=_("Activité ajoutée."),
        anchor="activites",
    )


@require_POST
@role_required(*EDITORS)
def delete_activity(
    request: HttpRequest, year: int, semester: str, ue_code: str, activity_uuid: uuid.UUID
) -> HttpResponse:
    offer = offer_or_404(year, semester, ue_code)
    activity = _activity_or_404(offer, semester, activity_uuid)
    return _simple(
        request,
        offer,
        semester,
        lambda: actions.do_delete_activity(activity.uuid, acting_user=request.user),
        _("Activité retirée, avec ses groupes et leurs créneaux."),
        "activites",
    )


def _group_form(
    request: HttpRequest, offer: TimetableOffer, semester: str, activity: Activity, prefix: str
) -> GroupForm:
    return GroupForm(
        request.POST,
        prefix_id=prefix,
        rooms=queries.rooms_for(offer, semester),
        team=catalogue.teaching_teams([offer.uuid]).get(offer.uuid, []),
        parents=queries.groups_outside(offer, semester, activity),
    )


@require_POST
@role_required(*EDITORS)
def add_group(
    request: HttpRequest, year: int, semester: str, ue_code: str, activity_uuid: uuid.UUID
) -> HttpResponse:
    offer = offer_or_404(year, semester, ue_code)
    activity = _activity_or_404(offer, semester, activity_uuid)
    form = _group_form(request, offer, semester, activity, f"newgroup-{activity.uuid}")
    return _attempt(
        request,
        offer,
        semester,
        form=form,
        key=f"newgroup:{activity.uuid}",
        write=lambda: actions.do_save_group(
            activity.uuid, form.group_values(), acting_user=request.user
        ),
        done=_("Groupe ajouté."),
        anchor=f"activite-{activity.uuid}",
    )


@require_POST
@role_required(*EDITORS)
def edit_group(
    request: HttpRequest, year: int, semester: str, ue_code: str, group_uuid: uuid.UUID
) -> HttpResponse:
    offer = offer_or_404(year, semester, ue_code)
    group = _group_or_404(offer, semester, group_uuid)
    form = _group_form(request, offer, semester, group.activity, f"group-{group.uuid}")
    return _attempt(
        request,
        offer,
        semester,
        form=form,
        key=f"group:{group.uuid}",
        write=lambda: actions.do_save_group(
            group.activity.uuid,
            form.group_values(),
            group_uuid=group.uuid,
            acting_user=request.user,
        ),
        done=_("Groupe enregistré."),
        anchor=f"groupe-{group.uuid}",
    )


@require_POST
@role_required(*EDITORS)
def delete_group(
    request: HttpRequest, year: int, semester: str, ue_code: str, group_uuid: uuid.UUID
) -> HttpResponse:
    offer = offer_or_404(year, semester, ue_code)
    group = _group_or_404(offer, semester, group_uuid)
    return _simple(
        request,
        offer,
        semester,
        lambda: actions.do_delete_group(group.uuid, acting_user=request.user),
        _("Groupe retiré, avec ses créneaux."),
        f"activite-{group.activity.uuid}",
    )


@require_POST
@role_required(*EDITORS)
def add_slot(
    request: HttpRequest, year: int, semester: str, ue_code: str, group_uuid: uuid.UUID
) -> HttpResponse:
    offer = offer_or_404(year, semester, ue_code)
    group = _group_or_404(offer, semester, group_uuid)
    form = SlotForm(
        request.POST, prefix_id=f"newslot-{group.uuid}", rooms=queries.rooms_for(offer, semester)
    )
    return _attempt(
        request,
        offer,
        semester,
        form=form,
        key=f"newslot:{group.uuid}",
        write=lambda: actions.do_add_slot(group.uuid, form.slot_values(), acting_user=request.user),
        done=_("Créneau ajouté."),
        anchor=f"groupe-{group.uuid}",
    )


@require_POST
@role_required(*EDITORS)
def edit_slot(
    request: HttpRequest, year: int, semester: str, ue_code: str, slot_uuid: uuid.UUID
) -> HttpResponse:
    offer = offer_or_404(year, semester, ue_code)
    slot = _slot_or_404(offer, semester, slot_uuid)
    form = SlotForm(
        request.POST, prefix_id=f"slot-{slot.uuid}", rooms=queries.rooms_for(offer, semester)
    )
    return _attempt(
        request,
        offer,
        semester,
        form=form,
        key=f"slot:{slot.uuid}",
        write=lambda: actions.do_update_slot(
            slot.uuid, form.slot_values(), acting_user=request.user
        ),
        done=_("Créneau enregistré."),
        anchor=f"creneau-{slot.uuid}",
    )


@require_POST
@role_required(*EDITORS)
def delete_slot(
    request: HttpRequest, year: int, semester: str, ue_code: str, slot_uuid: uuid.UUID
) -> HttpResponse:
    offer = offer_or_404(year, semester, ue_code)
    slot = _slot_or_404(offer, semester, slot_uuid)
    return _simple(
        request,
        offer,
        semester,
        lambda: actions.do_delete_slot(slot.uuid, acting_user=request.user),
        _("Créneau retiré."),
        "semaine",
    )
