from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Публикации")

    def ready(self):
        # Connect the page cache's receivers.
        from . import signals  # noqa: F401
