from django.urls import path

from . import views, views_imports

app_name = "referential"

urlpatterns = [
    path("personnes/", views.persons, name="persons"),
    path("personnes/export.csv", views.persons_export, name="persons_export"),
    path("personnes/<str:person_uuid>/", views.person_detail, name="person_detail"),
    path("structures/", views.structures, name="structures"),
    path("groupes/", views.groups, name="groups"),
    path("imports/", views_imports.imports, name="imports"),
]
