from django.urls import path

from . import views_assessments as views

app_name = "assessments"

urlpatterns = [
    path("<uuid:offer_uuid>/competences/", views.grid, name="grid"),
    path("<uuid:offer_uuid>/competences/publier/", views.publish, name="publish"),
    path("<uuid:offer_uuid>/competences/import/", views.import_csv, name="import"),
]
