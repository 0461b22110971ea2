"""Part of the catalogue namespace (see urls.py): the yearly cycle, for the scolarité."""

from django.urls import path

from . import views_cycle

urlpatterns = [
    path("cycle/", views_cycle.cycle, name="cycle"),
    path("cycle/copier/", views_cycle.copy_year, name="cycle_copy"),
    path("cycle/publier/", views_cycle.publish_year, name="cycle_publish"),
]
