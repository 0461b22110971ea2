"""Part of the catalogue namespace (see urls.py): import and export of the whole catalogue."""

from django.urls import path

from . import views_io

urlpatterns = [
    path("echanges/", views_io.exchange, name="io"),
    path("echanges/export/", views_io.export, name="io_export"),
]
