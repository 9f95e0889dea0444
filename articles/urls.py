from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("news/", views.ArchiveView.as_view(), name="archive"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("rubric/<slug:slug>/", views.RubricArticleListView.as_view(), name="rubric"),
    path("tag/<slug:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path("region/<slug:slug>/", views.RegionArticleListView.as_view(), name="region"),
    path("author/<slug:slug>/", views.AuthorArticleListView.as_view(), name="author"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("age-confirm/", views.confirm_age, name="confirm_age"),
]
