from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("author/<slug:slug>/", views.AuthorArticleListView.as_view(), name="detail"),
]
