"""Tableau de bord UE, mounted at /tableau-ue/."""

from django.urls import path

from . import views_dashboard as views
from . import views_dashboard_exports as exports

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("offres/", views.offers, name="offers"),
    path("<uuid:offer_uuid>/", views.offer, name="offer"),
    path("<uuid:offer_uuid>/syllabus/", views.syllabus, name="syllabus"),
    path("<uuid:offer_uuid>/preparation/", views.needs, name="needs"),
    path("<uuid:offer_uuid>/logiciels/", views.software, name="software"),
    path("<uuid:offer_uuid>/equipe/ajouter/", views.team_add, name="team_add"),
    path("<uuid:offer_uuid>/equipe/retirer/", views.team_remove, name="team_remove"),
    path("<uuid:offer_uuid>/soumettre/", views.submit, name="submit"),
    path("<uuid:offer_uuid>/publier/", views.publish, name="publish"),
    path("<uuid:offer_uuid>/renvoyer/", views.return_to_draft, name="return_to_draft"),
    path("<uuid:offer_uuid>/nouvelle-version/", views.new_version, name="new_version"),
    path("<uuid:offer_uuid>/fiche.csv", exports.export_sheet_csv, name="export_sheet_csv"),
    path("<uuid:offer_uuid>/fiche.xlsx", exports.export_sheet_xlsx, name="export_sheet_xlsx"),
    path("<uuid:offer_uuid>/equipe.csv", exports.export_team_csv, name="export_team_csv"),
    path("<uuid:offer_uuid>/equipe.xlsx", exports.export_team_xlsx, name="export_team_xlsx"),
]
