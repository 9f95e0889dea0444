from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path

from . import feeds
from .sitemaps import SITEMAPS, NewsSitemap

feed_patterns = [
    path("feed/", feeds.ArticleFeed(), name="site"),
    path("feed/yandex/", feeds.YandexNewsFeed(), name="yandex"),
    path("feed/dzen/", feeds.DzenFeed(), name="dzen"),
    path("rubric/<slug:slug>/feed/", feeds.RubricFeed(), name="rubric"),
    path("region/<slug:slug>/feed/", feeds.RegionFeed(), name="region"),
]

sitemap_patterns = [
    path(
        "sitemap.xml",
        sitemaps_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemaps:section"},
        name="index",
    ),
    path(
        "sitemap-news.xml",
        sitemaps_views.sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="news",
    ),
    path("sitemap-<section>.xml", sitemaps_views.sitemap, {"sitemaps": SITEMAPS}, name="section"),
]

urlpatterns = [
    path("", include((feed_patterns, "feeds"))),
    path("", include((sitemap_patterns, "sitemaps"))),
]
