"""What readers get while the database is out: a 503 in Russian, never a 500.

PostgreSQL refusing or losing connections, and the pool finding no free connection in time,
raise OperationalError (or InterfaceError for a connection already gone). The site answers them
with 503 and Retry-After, which browsers, crawlers and a front proxy understand as "come back
soon", on a page drawn without the database: the site comes from the copy that each process
keeps (`request.site`, see `network.hosts`), or, when even that is missing, from the settings.
"""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The outage page, not to be kept by any cache: the site is back within seconds."""
    publication = getattr(request, "site", None) or settings.NEWSROOM_PUBLICATION
    try:
        html = render_to_string("503.html", {"publication": publication})
    except Exception:  # a page about an outage must not fail on a missing static manifest
        html = render_to_string("503_plain.html")
    response = HttpResponse(html, status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response
