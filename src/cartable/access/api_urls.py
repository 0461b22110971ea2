from django.urls import path

from . import api_views

urlpatterns = [
    path("services/", api_views.ServiceList.as_view(), name="api-services"),
    path("services/<slug:code>/holders/", api_views.Holders.as_view(), name="api-holders"),
    path("me/services/", api_views.MyServices.as_view(), name="api-my-services"),
    path(
        "persons/<uuid:person_uuid>/services/",
        api_views.PersonServices.as_view(),
        name="api-person-services",
    ),
    path(
        "persons/<uuid:person_uuid>/services/<slug:code>/explain/",
        api_views.Explain.as_view(),
        name="api-explain",
    ),
]
