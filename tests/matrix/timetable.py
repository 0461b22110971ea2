"""Weekly templates (/emploi-du-temps/): the scolarité edits, the DSIN administrators read;
changes are POST only (a GET answers 405 to everyone)."""

from __future__ import annotations

from cartable.timetable.models import TemplateRun
from tests.catalogue.factories import OfferFactory, UEFactory
from tests.timetable.factories import (
    ActivityFactory,
    CalendarFactory,
    GroupFactory,
    RoomFactory,
    SlotFactory,
)

from . import LOGIN, NOBODY, Row

READERS = frozenset({"scolarite", "dsin_admin"})
EDITORS = frozenset({"scolarite"})

_UE = "/emploi-du-temps/{tt_year}/A/ue/TT41/"
_RUN = "/emploi-du-temps/conception/{tt_run}/"

MATRIX: dict[str, Row] = {
    "timetable:home": ("/emploi-du-temps/", READERS, LOGIN, "get"),
    "timetable:calendar_new": ("/emploi-du-temps/calendriers/nouveau/", EDITORS, LOGIN, "get"),
    "timetable:calendar": ("/emploi-du-temps/calendriers/{tt_year}/A/", READERS, LOGIN, "get"),
    "timetable:rooms": ("/emploi-du-temps/salles/", READERS, LOGIN, "get"),
    "timetable:room_new": ("/emploi-du-temps/salles/nouvelle/", EDITORS, LOGIN, "get"),
    "timetable:room": ("/emploi-du-temps/salles/{tt_room}/", READERS, LOGIN, "get"),
    "timetable:io": ("/emploi-du-temps/echanges/", READERS, LOGIN, "get"),
    "timetable:io_export": ("/emploi-du-temps/echanges/export/", READERS, LOGIN, "get"),
    "timetable:offers": ("/emploi-du-temps/{tt_year}/A/", READERS, LOGIN, "get"),
    "timetable:offers_csv": ("/emploi-du-temps/{tt_year}/A/offres.csv", READERS, LOGIN, "get"),
    "timetable:template": (_UE, READERS, LOGIN, "get"),
    "timetable:add_activity": (_UE + "activites/ajouter/", NOBODY, 405, "get"),
    "timetable:delete_activity": (
        _UE + "activites/{tt_activity}/supprimer/",
        NOBODY,
        405,
        "get",
    ),
    "timetable:add_group": (_UE + "activites/{tt_activity}/groupes/ajouter/", NOBODY, 405, "get"),
    "timetable:edit_group": (_UE + "groupes/{tt_group}/modifier/", NOBODY, 405, "get"),
    "timetable:delete_group": (_UE + "groupes/{tt_group}/supprimer/", NOBODY, 405, "get"),
    "timetable:add_slot": (_UE + "groupes/{tt_group}/creneaux/ajouter/", NOBODY, 405, "get"),
    "timetable:edit_slot": (_UE + "creneaux/{tt_slot}/modifier/", NOBODY, 405, "get"),
    "timetable:delete_slot": (_UE + "creneaux/{tt_slot}/supprimer/", NOBODY, 405, "get"),
    "timetable:design_runs": ("/emploi-du-temps/conception/", EDITORS, LOGIN, "get"),
    "timetable:design_run": (_RUN, EDITORS, LOGIN, "get"),
    "timetable:design_stop": (_RUN + "arreter/", NOBODY, 405, "get"),
    "timetable:design_publish": (_RUN + "publier/", NOBODY, 405, "get"),
    "timetable:design_compare": ("/emploi-du-temps/conception/comparer/", EDITORS, LOGIN, "get"),
    "timetable:needs": ("/emploi-du-temps/{tt_year}/A/besoins/", READERS, LOGIN, "get"),
    "timetable:needs_csv": ("/emploi-du-temps/{tt_year}/A/besoins.csv", READERS, LOGIN, "get"),
    "timetable:offer_needs": (_UE + "besoins/", READERS, LOGIN, "get"),
    "timetable:need_save": (_UE + "besoins/{tt_activity}/", NOBODY, 405, "get"),
    "timetable:need_delete": (_UE + "besoins/{tt_activity}/retirer/", NOBODY, 405, "get"),
}

_POST_ONLY = (
    "add_activity",
    "delete_activity",
    "add_group",
    "edit_group",
    "delete_group",
    "add_slot",
    "edit_slot",
    "delete_slot",
    "design_stop",
    "design_publish",
    "need_save",
    "need_delete",
)
REFUSAL = {f"timetable:{name}": 405 for name in _POST_ONLY}


def build_world() -> dict[str, str]:
    offer = OfferFactory(ue=UEFactory(code="TT41"))
    CalendarFactory(year=offer.year)
    room = RoomFactory(code="TT-101", campus=offer.campus)
    group = GroupFactory(activity=ActivityFactory(offer=offer, kind="TD"), code="TD1", room=room)
    slot = SlotFactory(group=group)
    return {
        "tt_year": str(offer.year),
        "tt_room": room.code,
        "tt_activity": str(group.activity.uuid),
        "tt_group": str(group.uuid),
        "tt_slot": str(slot.uuid),
        "tt_run": str(TemplateRun.objects.create(year=offer.year, semester="A").uuid),
    }
