from django.urls import include, path

from . import urls_campaign_admin
from . import views_advising as advising
from . import views_campaigns as views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaigns, name="list"),
    path("conseil/", advising.advising_home, name="advising_home"),
    path("gestion/", include(urls_campaign_admin.urlpatterns)),
    path("<slug:code>/", views.campaign, name="campaign"),
    path("<slug:code>/ajouter/", views.add, name="add"),
    path("<slug:code>/retirer/", views.drop, name="drop"),
    path("<slug:code>/attente/rejoindre/", views.join_waitlist, name="join_waitlist"),
    path("<slug:code>/attente/quitter/", views.leave_waitlist, name="leave_waitlist"),
    path("<slug:code>/attente/accepter/", views.claim_place, name="claim_place"),
    path("<slug:code>/conseil/", advising.advising, name="advising"),
    path("<slug:code>/conseil.csv", advising.advising_csv, name="advising_csv"),
    path("<slug:code>/conseil/delegations/", advising.delegate, name="delegate"),
    path(
        "<slug:code>/conseil/delegations/<uuid:delegation_uuid>/retrait/",
        advising.revoke_delegation,
        name="revoke_delegation",
    ),
    path(
        "<slug:code>/conseil/<uuid:student_uuid>/",
        advising.advising_student,
        name="advising_student",
    ),
    path("<slug:code>/conseil/<uuid:student_uuid>/avis/", advising.advise, name="advise"),
    path(
        "<slug:code>/conseil/<uuid:student_uuid>/derogation/",
        advising.override,
        name="override",
    ),
]
