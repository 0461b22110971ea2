"""/emploi-du-temps/: semester calendars, rooms, the offers of a semester and each offer's
weekly template, import and export."""

from django.urls import path

from .views import (
    calendars,
    design,
    exchange,
    needs,
    needs_people,
    offers,
    rooms,
    teaching,
    template,
)

app_name = "timetable"

_UE = "<int:year>/<str:semester>/ue/<str:ue_code>/"

urlpatterns = [
    path("", calendars.home, name="home"),
    path("calendriers/nouveau/", calendars.calendar_new, name="calendar_new"),
    path("calendriers/<int:year>/<str:semester>/", calendars.calendar_edit, name="calendar"),
    path("mon-service/", teaching.my_timetable, name="my_timetable"),
    path("mon-service/agenda.ics", teaching.my_timetable_ics, name="my_timetable_ics"),
    path("salles/", rooms.rooms, name="rooms"),
    path("salles/nouvelle/", rooms.room_new, name="room_new"),
    path("salles/<slug:code>/", rooms.room_edit, name="room"),
    path("indisponibilites/", needs_people.unavailabilities, name="unavailabilities"),
    path(
        "indisponibilites/export.csv",
        needs_people.unavailabilities_csv,
        name="unavailabilities_csv",
    ),
    path(
        "indisponibilites/<uuid:row_uuid>/supprimer/",
        needs_people.unavailability_delete,
        name="unavailability_delete",
    ),
    path("campus/trajets/", needs_people.travel, name="travel"),
    path("conception/", design.design_runs, name="design_runs"),
    path("conception/comparer/", design.design_compare, name="design_compare"),
    path("conception/<uuid:run_uuid>/", design.design_run, name="design_run"),
    path("conception/<uuid:run_uuid>/arreter/", design.design_stop, name="design_stop"),
    path("conception/<uuid:run_uuid>/publier/", design.design_publish, name="design_publish"),
    path("echanges/", exchange.exchange, name="io"),
    path("echanges/export/", exchange.export, name="io_export"),
    path("<int:year>/<str:semester>/", offers.offers, name="offers"),
    path("<int:year>/<str:semester>/offres.csv", offers.offers_csv, name="offers_csv"),
    path("<int:year>/<str:semester>/besoins/", needs.needs, name="needs"),
    path("<int:year>/<str:semester>/besoins.csv", needs.needs_csv, name="needs_csv"),
    path(_UE, template.template, name="template"),
    path(_UE + "besoins/", needs.offer_needs, name="offer_needs"),
    path(_UE + "besoins/<uuid:activity_uuid>/", needs.need_save, name="need_save"),
    path(_UE + "besoins/<uuid:activity_uuid>/retirer/", needs.need_delete, name="need_delete"),
    path(_UE + "activites/ajouter/", template.add_activity, name="add_activity"),
    path(
        _UE + "activites/<uuid:activity_uuid>/supprimer/",
        template.delete_activity,
        name="delete_activity",
    ),
    path(
        _UE + "activites/<uuid:activity_uuid>/groupes/ajouter/",
        template.add_group,
        name="add_group",
    ),
    path(_UE + "groupes/<uuid:group_uuid>/modifier/", template.edit_group, name="edit_group"),
    path(_UE + "groupes/<uuid:group_uuid>/supprimer/", template.delete_group, name="delete_group"),
    path(_UE + "groupes/<uuid:group_uuid>/creneaux/ajouter/", template.add_slot, name="add_slot"),
    path(_UE + "creneaux/<uuid:slot_uuid>/modifier/", template.edit_slot, name="edit_slot"),
    path(_UE + "creneaux/<uuid:slot_uuid>/supprimer/", template.delete_slot, name="delete_slot"),
]
