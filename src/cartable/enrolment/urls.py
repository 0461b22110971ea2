from django.urls import path

from . import views

app_name = "enrolment"

urlpatterns = [
    path("<uuid:offer_uuid>/inscrits/", views.roster, name="roster"),
    path("<uuid:offer_uuid>/inscrits.csv", views.roster_csv, name="roster_csv"),
    path("<uuid:offer_uuid>/inscrits.xlsx", views.roster_xlsx, name="roster_xlsx"),
    path("<uuid:offer_uuid>/inscrits/<uuid:student_uuid>/photo/", views.photo, name="photo"),
]
