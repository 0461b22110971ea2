"""REST endpoints of the enrolment campaign, mounted under /api/v1/."""

from django.urls import path

from . import api_views

CAMPAIGN = "enrolment/campaigns/<slug:code>/"

urlpatterns = [
    path("enrolment/campaigns/", api_views.MyCampaigns.as_view(), name="api-enrolment-campaigns"),
    path(CAMPAIGN + "semester/", api_views.MySemester.as_view(), name="api-enrolment-semester"),
    path(CAMPAIGN + "choices/", api_views.Choices.as_view(), name="api-enrolment-choices"),
    path(CAMPAIGN + "choices/<str:ue>/", api_views.Choice.as_view(), name="api-enrolment-choice"),
    path(CAMPAIGN + "waitlist/", api_views.Waitlist.as_view(), name="api-enrolment-waitlist"),
    path(
        CAMPAIGN + "waitlist/<str:ue>/",
        api_views.WaitlistPlace.as_view(),
        name="api-enrolment-waitlist-place",
    ),
    path(
        CAMPAIGN + "waitlist/<str:ue>/claim/",
        api_views.Claim.as_view(),
        name="api-enrolment-claim",
    ),
    path(
        "enrolment/offers/<uuid:offer_uuid>/students/",
        api_views.OfferStudents.as_view(),
        name="api-enrolment-offer-students",
    ),
]
