"""A NUL byte anywhere in a request is answered 400, before any view sees it.

PostgreSQL cannot hold or compare text with a NUL in it: psycopg raises `DataError` for such a
parameter, so a NUL that reaches a query is a server error wherever a filter, a search, an
autocomplete, a session lookup or a form passes text to the database — too many places to
guard one by one. No browser sends one (it is typed as nothing and pasted as nothing), so
refusing the whole request loses no one's work. Other malformed values (a letter where a number
belongs) are the forms' and filters' business: a form error, or the list without that filter.
"""

from collections.abc import Iterable

from django.core.exceptions import SuspiciousOperation

NUL = "\x00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class NulByteInRequest(SuspiciousOperation):
    """Django answers it with the 400 page and logs it under `django.security`."""


def _any_nul(texts: Iterable[str]) -> bool:
    return any(NUL in text for text in texts)


def _query_and_form_texts(request) -> Iterable[str]:
    for key, values in request.GET.lists():
        yield key
        yield from values
    if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
        for key, values in request.POST.lists():
            yield key
            yield from values
        for upload in request.FILES.values():
            yield upload.name or ""


def _address_and_header_texts(request) -> Iterable[str]:
    yield request.path_info
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str):
            yield value
    # Decoded: a quoted cookie value may spell a NUL as "\\000".
    yield from request.COOKIES.values()


class NulByteMiddleware:
    """Placed right after the site is known, so that the 400 page is in the site's design."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _any_nul(_address_and_header_texts(request)) or _any_nul(_query_and_form_texts(request)):
            raise NulByteInRequest("A NUL byte in the request's address, headers or form.")
        return self.get_response(request)
