from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def default_site_after_migrate(sender, using, apps=global_apps, **kwargs):
    """After `migrate`, and after `flush` (which empties the table and sends no `apps`)."""
    from .defaults import ensure_default_site

    ensure_default_site(apps, using=using)


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Сеть сайтов")

    def ready(self):
        from django.contrib import admin
        from django.utils.functional import lazy

        from newsroom.cache_breaker import on_recovery

        from .hosts import announce_after_cache_outage, current_site

        post_migrate.connect(default_site_after_migrate, sender=self)
        on_recovery(announce_after_cache_outage)
        # The admin is headed by the name of the site it is opened on, read at each render.
        site_name = lazy(lambda: current_site().name, str)()
        admin.site.site_header = admin.site.site_title = site_name
