from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("", views.services, name="services"),
    path("delegations/", views.delegations, name="delegations"),
    path("<slug:code>/", views.service_detail, name="service"),
    path("<slug:code>/pourquoi/", views.explain_search, name="explain_search"),
    path("<slug:code>/pourquoi/<uuid:person_uuid>/", views.explain, name="explain"),
    path("<slug:code>/titulaires.csv", views.export_csv, name="export_csv"),
    path("<slug:code>/titulaires.json", views.export_json, name="export_json"),
    path("<slug:code>/autorisations/nouvelle/", views.grant, name="grant"),
    path(
        "<slug:code>/autorisations/<uuid:authorisation_uuid>/revoquer/",
        views.revoke,
        name="revoke",
    ),
    path("<slug:code>/regles/nouvelle/", views.new_rule, name="new_rule"),
]
