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


# What Yandex.Metrika's counter (static/js/metrika.js) loads and where it reports, from its
# guide for sites with a CSP ("Установка счетчика на сайт с CSP"): the tag from mc.yandex.ru,
# the Webvisor's code from yastatic.net, hits as images and requests to the reader's regional
# mc.yandex.* host, and the Webvisor's frames and sockets.
METRIKA_ZONES = "ru az by co.il com com.am com.ge com.tr ee fr kg kz lt lv md tj tm uz"
METRIKA_HOSTS = [f"mc.yandex.{zone}" for zone in METRIKA_ZONES.split(" ")]
METRIKA_HOSTS += ["mc.webvisor.com", "mc.webvisor.org"]
METRIKA_SOURCES = {
    "script-src": ["https://mc.yandex.ru", "https://yastatic.net"],
    "img-src": [f"https://{host}" for host in METRIKA_HOSTS],
    "connect-src": [f"{scheme}://{host}" for scheme in ("https", "wss") for host in METRIKA_HOSTS],
    "frame-src": ["blob:", "https://mc.yandex.ru", "https://mc.yandex.com"],
}


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
        with hosts.pinned_for_request():
            return self._answer_on_site(request)

    def _answer_on_site(self, request: HttpRequest) -> HttpResponse:
        try:
            site = hosts.site_for_host(request.get_host())
        except DisallowedHost:
            site = None
        if site is None:
            return HttpResponseBadRequest(UNKNOWN_HOST_PAGE)
        request.site = site  # type: ignore[assignment]  # the stubs give it contrib.sites' Site
        request.page_cache_partition = cache_partition(site.pk)  # type: ignore[attr-defined]
        if site.metrika_counter:
            request.csp_sources = METRIKA_SOURCES  # type: ignore[attr-defined]
        token = hosts.request_site.set(site)
        try:
            return self.get_response(request)
        finally:
            hosts.request_site.reset(token)
