from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Публикации")

    def ready(self):
        from newsroom import fragments, pagecache

        from . import signals  # noqa: F401  (the page cache's receivers)
        from .cards import page_with_current_times
        from .models import Article
        from .recent import LATE_NAME, late_recent_news
        from .templatetags.articles_tags import SITE_CHROME, site_chrome_part

        pagecache.register_schedule(Article.objects.first_scheduled_after)
        fragments.register_late(LATE_NAME, late_recent_news)
        fragments.register_time_refresh(page_with_current_times)
        fragments.register_every_page(SITE_CHROME, site_chrome_part)
        fragments.register_every_page(LATE_NAME, lambda: "")
