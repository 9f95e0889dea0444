"""Development: DEBUG on, and a private embedded PostgreSQL when DATABASE_URL is not set."""

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, SECRET_KEY, env, refuse_development_secret_key

DEBUG = env.bool("DEBUG", default=True)
refuse_development_secret_key(DEBUG, SECRET_KEY)
# Off, so an edited template shows at once; PAGE_CACHE_SECONDS=300 to try the page cache.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
# key=value lines in the terminal; LOG_FORMAT=json to see what production writes.
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="text")

if "DATABASE_URL" not in env.ENVIRON:
    from newsroom.devdb import embedded_database_url

    DATABASES["default"] = env.db_url_config(embedded_database_url())
    DATABASES["default"]["CONN_MAX_AGE"] = 0

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
