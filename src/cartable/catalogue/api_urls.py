"""REST endpoints of the catalogue, mounted under /api/v1/."""

from django.urls import path

from . import api_views

urlpatterns = [
    path("guide/ues/", api_views.GuideOffers.as_view(), name="api-guide-ues"),
]
