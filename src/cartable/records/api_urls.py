"""REST endpoints of the Dossier étudiant, mounted under /api/v1/."""

from django.urls import path

from . import api_views

urlpatterns = [
    path("records/me/", api_views.MyRecord.as_view(), name="api-records-me"),
    path(
        "records/me/timetable/",
        api_views.MyTimetable.as_view(),
        name="api-records-me-timetable",
    ),
]
