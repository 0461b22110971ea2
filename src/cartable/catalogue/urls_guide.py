"""The public course guide (guide-ue), without login, mounted at /guide/."""

from django.urls import path

from . import views_guide

app_name = "guide"

urlpatterns = [
    path("", views_guide.guide_search, name="search"),
    path("ue/<str:code>/", views_guide.ue_page, name="ue"),
    path("ue/<str:code>/<int:year>/", views_guide.ue_page, name="ue_year"),
    path("formations/", views_guide.programme_list, name="programmes"),
    path("formations/<slug:code>/<int:year>/", views_guide.programme_page, name="programme"),
]
