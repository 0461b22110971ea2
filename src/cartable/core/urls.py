from django.urls import path

from . import views, views_jobs, views_journal

app_name = "core"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.logout, name="logout"),
    path("double-authentification/", views.mfa, name="mfa"),
    path("preferences/", views.preferences, name="preferences"),
    path("journal/", views_journal.journal, name="journal"),
    path("journal/export.csv", views_journal.journal_export, name="journal_export"),
    path("taches/<uuid:job_uuid>/", views_jobs.job_detail, name="job"),
]
