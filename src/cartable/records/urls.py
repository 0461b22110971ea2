from django.urls import path

from . import views, views_juries, views_profile, views_requirements, views_staff

app_name = "records"

_STUDENT = "etudiants/<uuid:student_uuid>/"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("releve.pdf", views.my_transcript, name="my_transcript"),
    path("parcours/", views_profile.my_profile, name="my_profile"),
    path("profils/", views_profile.profiles, name="profiles"),
    path("profils/recalcul/", views_profile.profiles_recompute, name="profiles_recompute"),
    path("exigences/", views_requirements.requirements, name="requirements"),
    path("exigences/export.csv", views_requirements.requirements_csv, name="requirements_csv"),
    path("exigences/copier/", views_requirements.requirements_copy, name="requirements_copy"),
    path(
        "exigences/<slug:kind>/<int:requirement_id>/",
        views_requirements.requirement_edit,
        name="requirement_edit",
    ),
    path(
        "exigences/<slug:kind>/<int:requirement_id>/supprimer/",
        views_requirements.requirement_delete,
        name="requirement_delete",
    ),
    path(_STUDENT + "parcours/", views_profile.student_profile, name="student_profile"),
    path("calendrier/creer/", views.feed_create, name="feed_create"),
    path("calendrier/revoquer/", views.feed_revoke, name="feed_revoke"),
    path("calendrier/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("etudiants/", views_staff.students, name="students"),
    path(_STUDENT, views_staff.student, name="student"),
    path(_STUDENT + "releve.pdf", views_staff.student_transcript, name="student_transcript"),
    path(
        _STUDENT + "equivalences/nouvelle/",
        views_staff.equivalence_new,
        name="equivalence_new",
    ),
    path(
        _STUDENT + "equivalences/<uuid:item_uuid>/",
        views_staff.equivalence_edit,
        name="equivalence_edit",
    ),
    path(_STUDENT + "stages/nouveau/", views_staff.internship_new, name="internship_new"),
    path(
        _STUDENT + "stages/<uuid:item_uuid>/",
        views_staff.internship_edit,
        name="internship_edit",
    ),
    path(
        _STUDENT + "international/nouvelle/",
        views_staff.experience_new,
        name="experience_new",
    ),
    path(
        _STUDENT + "international/<uuid:item_uuid>/",
        views_staff.experience_edit,
        name="experience_edit",
    ),
    path("jurys/", views_juries.jury_list, name="juries"),
    path("jurys/<uuid:jury_uuid>/", views_juries.jury, name="jury"),
    path(
        "jurys/<uuid:jury_uuid>/decisions/<uuid:student_uuid>/",
        views_juries.decide,
        name="decide",
    ),
    path("jurys/<uuid:jury_uuid>/publier/", views_juries.publish, name="publish"),
]
