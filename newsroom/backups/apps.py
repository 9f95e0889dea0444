from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`manage.py backup` and `manage.py restore`; the app has no models."""

    name = "newsroom.backups"
    verbose_name = "Резервные копии"
