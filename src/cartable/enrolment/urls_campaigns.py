from django.urls import path

from . import views_campaigns as views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaigns, name="list"),
    path("<slug:code>/", views.campaign, name="campaign"),
]
