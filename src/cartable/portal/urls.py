from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/export.json", views.my_data_export, name="my_data_export"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("notifications/", views.my_notifications, name="notifications"),
    path("notifications/lues/", views.mark_notifications_read, name="notifications_read"),
]
