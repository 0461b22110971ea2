"""Part of the catalogue namespace (see urls.py): a programme's competency map."""

from django.urls import URLPattern, path

from . import views_competency_map as views

urlpatterns: list[URLPattern] = [
    path(
        "formations/<slug:code>/<int:year>/competences/",
        views.competency_map,
        name="competency_map",
    ),
    path(
        "formations/<slug:code>/<int:year>/competences/ecarts.csv",
        views.competency_gaps_csv,
        name="competency_gaps_csv",
    ),
]
