from django.urls import path

from . import views_badges as views

app_name = "badges"

urlpatterns = [
    path("emetteur", views.issuer_profile, name="issuer"),
    path("realisations/<uuid:key>", views.achievement, name="achievement"),
    path("statuts/<int:number>", views.status_list, name="status_list"),
    path("verifier/", views.verify, name="verify"),
    path("mes-badges/", views.my_badges, name="mine"),
    path("<uuid:key>", views.badge, name="badge"),
    path("<uuid:key>.json", views.badge_json, name="badge_json"),
    path("<uuid:key>.png", views.badge_png, name="badge_png"),
    path("<uuid:key>.svg", views.badge_svg, name="badge_svg"),
    path("<uuid:key>/verification", views.badge_verification, name="badge_verification"),
]
