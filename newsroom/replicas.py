"""Read replicas: anonymous reader requests read from a replica, everything else from primary.

Enabled by setting DATABASE_REPLICA_URL (see settings). Editors, the admin and every write stay
on the primary, so nobody reads their own save back from a replica that has not caught up; a
reader may see a publication a moment late, which the page cache does anyway.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading_from_replica = ContextVar("reading_from_replica", default=False)


def is_reader_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(f"/{settings.ADMIN_URL}")
    )


@contextmanager
def reading_from_primary():
    """Read from the primary inside the block, even within a reader's request."""
    token = _reading_from_replica.set(False)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReaderReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reading_from_replica.set(is_reader_request(request))
        try:
            return self.get_response(request)
        finally:
            _reading_from_replica.reset(token)


class ReaderReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reading_from_replica.get() else None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        """Both databases hold the same rows, so objects read from either may be related."""
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
