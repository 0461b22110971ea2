from django.urls import path

from . import views_group_sheets as sheets
from . import views_sectioning as views

app_name = "sectioning"

urlpatterns = [
    path("", views.runs, name="runs"),
    path("groupes/", sheets.groups, name="groups"),
    path("groupes/liste.csv", sheets.group_list_csv, name="group_list_csv"),
    path("groupes/feuilles.pdf", sheets.group_sheets, name="group_sheets"),
    path("groupes/<uuid:group_uuid>/", sheets.group_detail, name="group"),
    path("groupes/<uuid:group_uuid>/feuille.pdf", sheets.group_sheet, name="group_sheet"),
    path("<uuid:run_uuid>/", views.run_detail, name="run"),
    path("<uuid:run_uuid>/arreter/", views.run_stop, name="stop"),
    path("<uuid:run_uuid>/publier/", views.run_publish, name="publish"),
    path("<uuid:run_uuid>/non-repartis.csv", views.run_left_out_csv, name="left_out_csv"),
    path("<uuid:run_uuid>/groupes.csv", views.run_groups_csv, name="groups_csv"),
]
