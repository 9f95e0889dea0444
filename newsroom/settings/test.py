"""Tests: the real PostgreSQL, fast hashing, plain static storage, media in a temp folder."""

import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/newsroom")
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Off unless a test turns it on (tests/test_page_cache.py): within a test's transaction the
# commit that invalidates cached pages never comes, and the first render of a generation makes
# one query more than the page's own budget.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="newsroom-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="newsroom-test-static-")
NEWSROOM_DEFAULT_HOSTS = ["testserver", "127.0.0.1", "localhost"]
