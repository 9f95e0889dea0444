from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("region/<slug:slug>/", views.RegionArticleListView.as_view(), name="detail"),
]
