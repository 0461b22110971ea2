"""The scolarité's campaign screens, under /inscriptions/gestion/ (namespace ``campaigns``)."""

from django.urls import path

from . import views_campaign_admin as views

urlpatterns = [
    path("", views.campaign_list, name="admin_campaigns"),
    path("nouvelle/", views.campaign_new, name="admin_campaign_new"),
    path("<slug:code>/", views.campaign_detail, name="admin_campaign"),
    path("<slug:code>/regles/copier/", views.rules_copy, name="admin_rules_copy"),
    path("<slug:code>/regles/<slug:programme>/", views.rule_edit, name="admin_rule"),
    path(
        "<slug:code>/regles/<slug:programme>/supprimer/",
        views.rule_delete,
        name="admin_rule_delete",
    ),
    path("<slug:code>/places/", views.seats, name="admin_seats"),
    path("<slug:code>/places.csv", views.seats_csv, name="admin_seats_csv"),
    path("<slug:code>/places/preparer/", views.seats_prepare, name="admin_seats_prepare"),
    path("<slug:code>/places/<str:ue>/", views.seat_edit, name="admin_seat"),
]
