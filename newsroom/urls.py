from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path
from django.views.generic import TemplateView

from syndication import feeds
from syndication.sitemaps import SITEMAPS, NewsSitemap

from . import views

admin.site.site_header = settings.NEWSROOM_PUBLICATION["name"]
admin.site.site_title = settings.NEWSROOM_PUBLICATION["name"]

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
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots",
    ),
    path("", include((feed_patterns, "feeds"))),
    path("", include((sitemap_patterns, "sitemaps"))),
    path("", include("articles.urls")),
    path("", include("editorial.urls")),
    path("", include("regions.urls")),
    path("", include("staff.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
