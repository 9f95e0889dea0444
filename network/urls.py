from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("theme.css", views.theme, name="theme"),
]
