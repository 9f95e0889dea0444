"""Production: every secret comes from the environment, with no default."""

from .base import *  # noqa: F403
from .base import env, refuse_development_secret_key

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
refuse_development_secret_key(DEBUG, SECRET_KEY)

SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# TLS usually ends at the front proxy; turn these on once every host is served over HTTPS.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)

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
