from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = _("Редакционный процесс")

    def ready(self):
        # Register articles with django-reversion.
        from . import revisions  # noqa: F401
