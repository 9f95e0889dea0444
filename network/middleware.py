import functools

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse

from . import hosts
from .models import cache_partition

UNKNOWN_HOST_PAGE = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Неизвестный адрес сайта</title></head>
<body><h1>Неизвестный адрес сайта</h1>
<p>По этому адресу нет сайта сети. Проверьте адрес в строке браузера.</p></body></html>
"""


@functools.cache
def _health_check_path() -> str:
    return reverse("healthz")


class SiteMiddleware:
    """Pick the request's site by its host, first of all: any other host is answered 400.

    Django's own ALLOWED_HOSTS check is left open ("*") because sites are added in the admin,
    without a deploy; this middleware is that check now, so it must run before anything reads
    the host. The 400 page names no host and links nowhere. The health check answers at any
    host and without the sites, which it must not need the database to find.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == _health_check_path():
            return self.get_response(request)
        try:
            site = hosts.site_for_host(request.get_host())
        except DisallowedHost:
            site = None
        if site is None:
            return HttpResponseBadRequest(UNKNOWN_HOST_PAGE)
        request.site = site  # type: ignore[assignment]  # the stubs give it contrib.sites' Site
        request.page_cache_partition = cache_partition(site.pk)  # type: ignore[attr-defined]
        token = hosts.request_site.set(site)
        try:
            return self.get_response(request)
        finally:
            hosts.request_site.reset(token)
