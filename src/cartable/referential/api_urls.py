from django.urls import path

from . import api_views

urlpatterns = [
    path("persons/", api_views.PersonList.as_view(), name="api-persons"),
    path("persons/<uuid:uuid>/", api_views.PersonDetail.as_view(), name="api-person"),
    path("me/", api_views.Me.as_view(), name="api-me"),
]
