"""``/competences/``: frameworks (public reading), their editor and the CASE exchange."""

from django.urls import path

from . import views

app_name = "competencies"

urlpatterns = [
    path("", views.frameworks, name="frameworks"),
    path("nouveau/", views.framework_new, name="framework_new"),
    path("import/", views.case_import, name="case_import"),
    path("case/<uuid:framework_uuid>/", views.case_document, name="case_document"),
    path(
        "case/<uuid:framework_uuid>/<uuid:identifier>/",
        views.case_object,
        name="case_object",
    ),
    path("<slug:code>/", views.framework_detail, name="framework"),
    path("<slug:code>/modifier/", views.framework_edit, name="framework_edit"),
    path("<slug:code>/case.json", views.case_download, name="case_download"),
    path("<slug:code>/niveaux/nouveau/", views.level_new, name="level_new"),
    path("<slug:code>/niveaux/<uuid:object_uuid>/", views.level_edit, name="level_edit"),
    path("<slug:code>/blocs/nouveau/", views.block_new, name="block_new"),
    path("<slug:code>/blocs/<uuid:object_uuid>/", views.block_edit, name="block_edit"),
    path(
        "<slug:code>/blocs/<uuid:block_uuid>/competences/nouvelle/",
        views.competency_new,
        name="competency_new",
    ),
    path(
        "<slug:code>/competences/<uuid:object_uuid>/",
        views.competency_edit,
        name="competency_edit",
    ),
    path(
        "<slug:code>/competences/<uuid:competency_uuid>/acquis/nouveau/",
        views.outcome_new,
        name="outcome_new",
    ),
    path("<slug:code>/acquis/<uuid:object_uuid>/", views.outcome_edit, name="outcome_edit"),
    path(
        "<slug:code>/<slug:kind>/<uuid:object_uuid>/supprimer/",
        views.delete,
        name="delete",
    ),
]
