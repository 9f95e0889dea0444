"""Production: every secret comes from the environment, with no default; HTTPS only.

`manage.py check --deploy --fail-level WARNING` passes with these settings (a test runs it);
docs/security.md explains each choice and how to roll HSTS out.
"""

from .base import *  # noqa: F403
from .base import SENTRY_DSN, env, refuse_development_secret_key

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
refuse_development_secret_key(DEBUG, SECRET_KEY)

SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
# TLS ends at the front proxy, which says so in X-Forwarded-Proto (deploy/nginx/newsroom.conf
# sets it from its own scheme, so a client cannot).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# Every page over HTTPS. The health check is exempt: load balancers and the container's health
# check ask the app server directly, over plain HTTP and without X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS is sent on HTTPS answers only, for the host that was asked. A year by default; roll out
# with a few minutes first (docs/security.md), since a browser keeps it for that long.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
# The sites' own subdomains (www., district sites under the oblast's domain) are all ours and on
# HTTPS; turn it off when the organisation's domain has subdomains served elsewhere over HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a promise about a whole domain made to the browsers' built-in list, which takes
# months to undo; each site of the network decides it for its own domain (docs/security.md).
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # security.W021 asks for preload; off is the deliberate default above.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# A query must end before gunicorn's 30-second worker timeout kills its worker; otherwise the
# query keeps running in PostgreSQL after the request is gone. JIT off: compiling a reader
# page's query took longer (~170 ms at 1M articles) than running it.
for _database in DATABASES.values():  # noqa: F405
    _database.setdefault("OPTIONS", {}).setdefault(
        "options",
        f"-c statement_timeout={env.int('STATEMENT_TIMEOUT_MS', default=25_000)} -c jit=off",
    )

# Connections come from a pool in each process (psycopg_pool), at most DATABASE_POOL_MAX_SIZE per
# database: set it to the threads of a gunicorn worker (1 for sync workers). Then app servers ×
# workers × DATABASE_POOL_MAX_SIZE must stay under PostgreSQL's max_connections, less
# superuser_reserved_connections and what the task worker, backups and psql need (docs/failures.md).
# A request that gets no connection within DATABASE_POOL_TIMEOUT seconds is answered 503 with
# Retry-After (newsroom/views.py). A connection unused for DATABASE_POOL_MAX_IDLE seconds is
# closed, so a worker that sits idle gives its connection back to the others; a failed attempt to
# connect is retried for DATABASE_POOL_RECONNECT_SECONDS and then again at the next request, so
# the site is back within seconds of the database.
if env.bool("DATABASE_POOL", default=True):
    for _database in DATABASES.values():  # noqa: F405
        _database["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django must not
        _database["OPTIONS"]["pool"] = {
            "min_size": 0,
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=1),
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=3.0),
            "max_idle": env.float("DATABASE_POOL_MAX_IDLE", default=60.0),
            "reconnect_timeout": env.float("DATABASE_POOL_RECONNECT_SECONDS", default=5.0),
        }
        # A server that does not answer at all (a dropped host) must not hold a connect forever.
        _database["OPTIONS"].setdefault(
            "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
        )

if SENTRY_DSN:
    from newsroom.observability import init_sentry

    init_sentry(SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default="production"))
