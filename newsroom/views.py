import sys

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.template.loader import render_to_string
from django.views import defaults

from newsroom.pagecache import patch_error_cache_control

from .outages import DATABASE_UNAVAILABLE, database_unavailable


def healthz(request):
    """For load balancers: 200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request):
    """The 500 page in the site's design, with its imprint and age mark, when the page can still
    be drawn; the plain one when drawing it is what fails (the database gone, a broken site).

    Django's own handler renders `500.html` without the request, so without the site. It calls
    this one while the error is being handled: a database that does not answer (down, or no
    pooled connection free in time) gets the outage page, a 503, instead (newsroom/outages.py).
    """
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    try:
        html = render_to_string("500.html", request=request)
    except Exception:  # whatever broke the page may break its design too
        html = render_to_string("500_plain.html")
    return HttpResponseServerError(html)


def bad_request(request, exception):
    """The 400 page (a NUL byte in the address, a form too large) in the site's design, when it
    can be drawn. Django's own handler renders `400.html` without the request."""
    try:
        html = render_to_string("400.html", request=request)
    except Exception:  # a request this broken may break the page's design too
        html = render_to_string("400_plain.html")
    return HttpResponseBadRequest(html)


def page_not_found(request, exception):
    """Django's 404 page, which browsers and proxies keep only briefly."""
    response = defaults.page_not_found(request, exception)
    patch_error_cache_control(request, response)
    return response
