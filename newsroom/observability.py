"""What the site tells its operators: one log line per request, the request's context on every
record logged while it is served, and optional error reports to Sentry.

A small middleware and two formatters of the standard `logging` module rather than
django-structlog: Django and the libraries already log through `logging`, and these lines need
only a request id and a few fields, which a filter adds to every record, whoever made it.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("newsroom.request")

REQUEST_ID_HEADER = "X-Request-ID"
# What a front proxy's id may look like (nginx's $request_id is 32 hex digits); anything else
# is replaced, so a client cannot write into the logs through it.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

# The fields a line may carry besides time, level, logger and message, in this order.
FIELDS = (
    "request_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "host",
    "site_id",
    "user_id",
)

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "newsroom_request", default=None
)


def request_id_for(request: HttpRequest) -> str:
    """The front proxy's id for the request when it sent a valid one, so that its access log and
    ours name the request alike; a new one otherwise."""
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    """Logs `METHOD path status duration` once per request, with its id, which the answer
    returns in `X-Request-ID` for a reader or editor to quote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        request.request_id = request_id_for(request)  # type: ignore[attr-defined]
        token = _request.set(request)
        if settings.SENTRY_DSN:
            import sentry_sdk

            sentry_sdk.set_tag("request_id", request.request_id)  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id  # type: ignore[attr-defined]
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            logger.info(
                "%s %s %s %sms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            _request.reset(token)


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, when the request has already looked the user up (every admin
    view does). Never looked up here: a log line must cost no query, and must be written when
    the database or its connection pool is what failed."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestContextFilter(logging.Filter):
    """Adds the request being served (id, host, site, user) to every record logged meanwhile."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _request.get()
        if request is None:
            return True
        context = {
            "request_id": getattr(request, "request_id", None),
            "host": request.META.get("HTTP_HOST"),
            "site_id": getattr(getattr(request, "site", None), "pk", None),
            "user_id": _user_id(request),
        }
        for name, value in context.items():
            if value is not None and not hasattr(record, name):
                setattr(record, name, value)
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in FIELDS if hasattr(record, name)}


class JSONFormatter(logging.Formatter):
    """One JSON object per line, for a log collector."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class KeyValueFormatter(logging.Formatter):
    """`time level logger message key=value …` lines, for reading in a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        pairs = " ".join(f"{name}={value}" for name, value in _fields(record).items())
        line = f"{moment} {record.levelname} {record.name} {record.getMessage()} {pairs}".rstrip()
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def init_sentry(dsn: str, *, environment: str) -> None:
    """Report unhandled errors to Sentry, tagged with the request id, without personal data
    (no cookies, IP addresses or user names): sentry-sdk's default, which its scrubber enforces;
    `send_default_pii` is left unset, being deprecated, and so off."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        traces_sample_rate=0.0,
    )
