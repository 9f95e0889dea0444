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
