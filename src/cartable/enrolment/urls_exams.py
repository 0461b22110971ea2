from django.urls import path

from . import views_exams as views

app_name = "exams"

_S = "<uuid:session_uuid>/"

urlpatterns = [
    path("", views.sessions, name="sessions"),
    path("mes-examens/", views.mine, name="mine"),
    path("mes-examens.ics", views.mine_ics, name="mine_ics"),
    path(_S, views.session_detail, name="session"),
    path(_S + "epreuves/<uuid:exam_uuid>/", views.exam_edit, name="exam"),
    path(_S + "regles/", views.rule_add, name="rule_add"),
    path(_S + "regles/<int:rule_id>/supprimer/", views.rule_delete, name="rule_delete"),
    path(_S + "planifier/", views.plan, name="plan"),
    path(_S + "arreter/", views.stop, name="stop"),
    path(_S + "publier/", views.publish, name="publish"),
    path(_S + "examens.csv", views.session_csv, name="csv"),
    path(_S + "salles.pdf", views.room_sheets, name="room_sheets"),
]
