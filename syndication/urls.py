from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path

from newsroom.pagecache import reads_query_parameters

from . import feeds
from .sitemaps import SITEMAPS, NewsSitemap

# Django's sitemap views read one parameter: the page of a long section (`?p=2`).
sitemap_index = reads_query_parameters("p")(sitemaps_views.index)
sitemap = reads_query_parameters("p")(sitemaps_views.sitemap)

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
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemaps:section"},
        name="index",
    ),
    path(
        "sitemap-news.xml",
        sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="news",
    ),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="section"),
]

urlpatterns = [
    path("", include((feed_patterns, "feeds"))),
    path("", include((sitemap_patterns, "sitemaps"))),
]
