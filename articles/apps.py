from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Публикации")

    def ready(self):
        # Register articles with django-reversion.
        from . import revisions  # noqa: F401
