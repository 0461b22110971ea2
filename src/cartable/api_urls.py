"""REST API, version 1: each module registers its endpoints here."""

from django.urls import include, path

urlpatterns = [
    path("", include("cartable.referential.api_urls")),
    path("", include("cartable.access.api_urls")),
    path("", include("cartable.catalogue.api_urls")),
    path("", include("cartable.enrolment.api_urls")),
    path("", include("cartable.records.api_urls")),
]
