from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_roles_after_migrate(sender, using, apps=global_apps, **kwargs):
    """After `migrate`, and after `flush` (which sends no `apps`), as in contenttypes/auth."""
    from .roles import sync_role_groups

    sync_role_groups(apps, using=using)


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Редакция")

    def ready(self):
        post_migrate.connect(sync_roles_after_migrate, sender=self)
