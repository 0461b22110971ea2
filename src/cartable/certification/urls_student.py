from django.urls import path

from . import views_assessments as views

app_name = "certification"

urlpatterns = [
    path("mes-competences/", views.my_competencies, name="mine"),
]
