from django.urls import path

from . import preview

app_name = "editorial"

urlpatterns = [
    path("preview/<str:token>/", preview.shared_preview, name="preview"),
]
