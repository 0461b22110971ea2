from django.urls import path

from . import views, views_grades

app_name = "enrolment"

urlpatterns = [
    path("<uuid:offer_uuid>/inscrits/", views.roster, name="roster"),
    path("<uuid:offer_uuid>/inscrits.csv", views.roster_csv, name="roster_csv"),
    path("<uuid:offer_uuid>/inscrits.xlsx", views.roster_xlsx, name="roster_xlsx"),
    path("<uuid:offer_uuid>/inscrits/<uuid:student_uuid>/photo/", views.photo, name="photo"),
    path("<uuid:offer_uuid>/notes/", views_grades.grade_grid, name="grades"),
    path("<uuid:offer_uuid>/notes.csv", views_grades.grades_csv, name="grades_csv"),
    path("<uuid:offer_uuid>/notes.xlsx", views_grades.grades_xlsx, name="grades_xlsx"),
    path("<uuid:offer_uuid>/notes/import/", views_grades.grade_import, name="grades_import"),
    path("<uuid:offer_uuid>/notes/publier/", views_grades.grade_publish, name="grades_publish"),
]
