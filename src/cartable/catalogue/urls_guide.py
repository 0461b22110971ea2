from django.urls import URLPattern

app_name = "guide"

urlpatterns: list[URLPattern] = []
