"""The anonymous page cache: whole reader pages kept in the shared cache (Redis in production).

Readers without a session get a stored copy of the page; anyone with a session (staff, a reader
who passed the 18+ gate) gets a fresh render. A session cookie counts only when its session
exists: an invented one (`sessionid=bogus`) gets the stored page like everyone else.

A page is stored under the query parameters its view reads, which each view declares
(`page_cache_query_parameters` on a view class, `reads_query_parameters` on a function view),
and the view is shown only those: `?utm_source=…`, `?fbclid=…` and any other parameter neither
split the cache into copies nor get past it, and never appear in a stored page's links. A view
in a cached namespace that declares nothing is never served from the cache.

Invalidation is by generation rather than by deleting keys: every page key contains counters kept
in the shared cache, and a change readers can see increments one (`bump_generation`, called by
the apps once the change is committed), so every app server misses on the next request without
knowing which pages changed.

Pages are kept in partitions (an app names a request's partition in `request.page_cache_partition`;
the network app uses one per site). A page's key holds the global generation and its
partition's: a change seen on some sites bumps only theirs, one seen everywhere the global one.
A view whose pages change with fewer things than their site keeps them in a partition of its
own (`page_cache_partition`, a function of the site's partition and the URL's arguments: an
article's pages, a rubric's list on a site).

A page is assembled from pieces stored beside it (`newsroom.fragments`), and a piece that is on
every page and changes more often than most of them (the recent-news column) is not stored in
the page at all: the page holds a placeholder that is filled in whenever it is served, and its
ETag and Last-Modified are those of what is sent.

Content scheduled for later becomes visible without any write, so a page is never kept past the
next scheduled publication time, which apps report through `register_schedule` and which is looked
up once per generation and stored beside it. This module knows nothing of the apps' models.

The cache is an optimisation: when it fails, the site renders every page as if it were empty.
A bump that fails is not lost: the cache's circuit breaker (`newsroom.cache_breaker`) then
skips the cache until the bump is redone, and after a real outage every page is made stale, so
that pages stored before an outage are never served after it.
"""

import contextlib
import functools
import hashlib
import logging
import math
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from importlib import import_module
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils.cache import (
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

from newsroom import fragments, replicas
from newsroom.cache_breaker import CircuitOpen, breaker, on_recovery

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
CACHE_CONTROL_DELIMITER = re.compile(r"\s*,\s*")
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}
CACHE_STATUS_HEADER = "X-Page-Cache"
# One request renders a missing page; the others wait up to WAIT_SECONDS for it, then render.
LOCK_SECONDS = 10
WAIT_SECONDS = 5
POLL_SECONDS = 0.05
# How long a generation's next scheduled publication time is remembered.
SCHEDULE_SECONDS = 24 * 60 * 60
NOTHING_SCHEDULED = 0
# A view's declaration of the query parameters its page depends on.
QUERY_PARAMETERS_ATTRIBUTE = "page_cache_query_parameters"
# Headers of a stored page that are worked out again for what is sent (late pieces filled in).
HEADERS_OF_WHAT_IS_SENT = {"etag", "last-modified", "content-length"}
# A view's partition of its own, from the URL's arguments (see `_page_partition`).
PARTITION_ATTRIBUTE = "page_cache_partition"


class CacheUnavailable(Exception):
    """The shared cache did not answer; the request goes on without it."""


def _cache_call(method: str, *args, **kwargs):
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception as error:
        if not isinstance(error, CircuitOpen):  # the breaker said so once, when it opened
            logger.warning("Page cache: %s failed (%s); serving without the cache", method, error)
        raise CacheUnavailable from error


def partition_key(partition: str) -> str:
    return f"{GENERATION_KEY}:{partition}" if partition else GENERATION_KEY


def bump_generation(partitions: Iterable[str] | None = None) -> None:
    """Make stored pages stale on every app server, atomically (an INCR in Redis each): those of
    `partitions`, or every page when None.

    A bump that fails opens the breaker (pages are then rendered without the cache), which stays
    open until the bump is redone: a reader never gets a page older than a change.
    """
    keys = [GENERATION_KEY] if partitions is None else [partition_key(p) for p in partitions]
    for key in keys:
        try:
            _bump(key)
        except Exception as error:
            if not isinstance(error, CircuitOpen):
                logger.exception("Page cache: could not bump the content generation %s", key)
            with _lost_lock:
                _lost_bumps.add(key)
            breaker.trip(error)


# The generations whose bump failed in this process, redone when the cache answers again.
_lost_bumps: set[str] = set()
_lost_lock = threading.Lock()


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, _fresh_generation(), timeout=None)


def _redo_lost_bumps(after_outage: bool) -> None:
    """The breaker's recovery: the bumps that failed, or every page after a real outage."""
    with _lost_lock:
        lost = set(_lost_bumps)
    for key in {GENERATION_KEY} if after_outage else lost:
        _bump(key)
    with _lost_lock:
        _lost_bumps.difference_update(lost)


on_recovery(_redo_lost_bumps)


def _fresh_generation() -> int:
    """A random start, so a counter lost from the cache never returns to a value already used."""
    return secrets.randbits(48)


def _current_generations(site_partition: str, page_partition: str) -> tuple[str, str]:
    """The generations a page is stored under (the global one and its partition's) and those
    of its site's fragments (the global one and the site's), read together; a missing one is
    started."""
    site_keys = list(dict.fromkeys([GENERATION_KEY, partition_key(site_partition)]))
    page_keys = list(dict.fromkeys([GENERATION_KEY, partition_key(page_partition)]))
    keys = list(dict.fromkeys([*site_keys, *page_keys]))
    found = _cache_call("get_many", keys)
    for key in keys:
        if key not in found:
            _cache_call("add", key, _fresh_generation(), timeout=None)
            found[key] = _cache_call("get", key)
            if found[key] is None:
                raise CacheUnavailable
    page, site = (".".join(str(found[key]) for key in part) for part in (page_keys, site_keys))
    return page, site


def _page_partition(site_partition: str, match: ResolverMatch) -> str:
    """The request's partition (its site's), or one the view keeps its pages in: a view whose
    page changes with fewer things than the site names it (`page_cache_partition`), from the
    site's partition and the URL's arguments."""
    view = getattr(match.func, "view_class", match.func)
    own = getattr(view, PARTITION_ATTRIBUTE, None)
    if own is not None:
        return own(site_partition, **match.kwargs)
    return site_partition


# Each returns when the first content that readers will see after a moment appears, or None.
_schedules: list[Callable[[datetime], datetime | None]] = []


def register_schedule(first_scheduled_after: Callable[[datetime], datetime | None]) -> None:
    """Called by an app in `ready()`: its scheduled content then limits how long pages live."""
    if first_scheduled_after not in _schedules:
        _schedules.append(first_scheduled_after)


def _first_scheduled_after(now: float) -> datetime | None:
    moment = datetime.fromtimestamp(now, UTC)
    return min(filter(None, (schedule(moment) for schedule in _schedules)), default=None)


def _next_scheduled_publication(generation, now: float) -> float | None:
    """When the next scheduled article appears, as a timestamp; None when nothing is scheduled.

    A time that has passed is looked up again: that article is out and the next one counts.
    """
    key = f"pagecache:{generation}:next-publication"
    moment = _cache_call("get", key)
    if moment is None or NOTHING_SCHEDULED < moment <= now:
        published_at = _first_scheduled_after(now)
        moment = published_at.timestamp() if published_at else NOTHING_SCHEDULED
        _cache_call("set", key, moment, timeout=SCHEDULE_SECONDS)
    return moment or None


def reads_query_parameters(*names: str):
    """Declare the query parameters a function view's page depends on (see the module)."""

    def declare(view):
        @functools.wraps(view)
        def declared(*args, **kwargs):
            return view(*args, **kwargs)

        setattr(declared, QUERY_PARAMETERS_ATTRIBUTE, frozenset(names))
        return declared

    return declare


def query_parameters_of(view) -> frozenset[str] | None:
    """What the view declared, from the function, its class (CBVs) or itself (feeds); None
    when it declared nothing."""
    for holder in (view, getattr(view, "view_class", None)):
        declared = getattr(holder, QUERY_PARAMETERS_ATTRIBUTE, None)
        if declared is not None:
            return frozenset(declared)
    return None


def _is_admin(request) -> bool:
    return request.path_info.startswith(f"/{settings.ADMIN_URL}")


def _cached_view_match(request) -> ResolverMatch | None:
    """The request's view when its pages may be stored at all, and it says what they read."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    if next(iter(match.namespaces), None) not in settings.PAGE_CACHE_NAMESPACES:
        return None
    if query_parameters_of(match.func) is None:
        return None
    return match


def _has_session(request) -> bool:
    """Whether the request's session cookie names a live session (one read of the session
    store). When the store cannot say, the request is taken for one with a session: its page
    may be personal, and must be neither served from nor stored in the cache."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    try:
        return bool(import_module(settings.SESSION_ENGINE).SessionStore(key).load())
    except Exception as error:
        logger.warning("Page cache: the session store failed (%s); rendering uncached", error)
        return True


def _may_serve_from_cache(request) -> bool:
    return (
        request.method in ("GET", "HEAD") and not _is_admin(request) and not _has_session(request)
    )


def _keep_only_parameters(request, parameters: frozenset[str]) -> None:
    """Show the view only the parameters it reads, in one order: its page and its key are
    then the same for `?page=2&utm_source=x` and `?page=2`."""
    kept = sorted(
        (
            (key, value)
            for key, values in request.GET.lists()
            if key in parameters
            for value in values
        ),
        key=lambda pair: pair[0],
    )
    query = urlencode(kept)
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query)


def _may_store(request, response) -> bool:
    """Only a plain 200 of a reader page, setting no cookie, that its view allows caching."""
    match = request.resolver_match
    directives = {
        directive.split("=", 1)[0].strip().lower()
        for directive in CACHE_CONTROL_DELIMITER.split(response.get("Cache-Control", ""))
    }
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not directives & UNCACHEABLE_DIRECTIVES
        and not has_vary_header(response, "*")
        and match is not None
        and next(iter(match.namespaces), None) in settings.PAGE_CACHE_NAMESPACES
    )


def _page_key(generation, request) -> str:
    """The scheme, host, path and query string: absolute links in a page depend on all four."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"pagecache:{generation}:page:{address}"


def _response_from(request, page: dict, now: float, status: str | None) -> HttpResponse:
    """The stored page with its late pieces filled in; its ETag and Last-Modified are those of
    what is sent, so a browser holding an older column is never told it is current."""
    with replicas.reading_from_primary():
        content, pieces_made_at = fragments.fill_late(request, fragments.as_of_now(page["content"]))
    response = HttpResponse(content)
    for name, value in page["headers"]:
        response.headers[name] = value
    response.headers["Content-Length"] = str(len(content))
    set_response_etag(response)
    # The render time, not the view's own date: a feed's newest item can be unpublished,
    # and its date would then go back, answering 304 to readers who hold the removed item.
    response.headers["Last-Modified"] = http_date(max(page["rendered_at"], pieces_made_at))
    _patch_public(response, seconds_left=page["expires"] - now)
    if status is not None:
        response.headers[CACHE_STATUS_HEADER] = status
    return response


def _patch_public(response, seconds_left: float) -> None:
    """Shared caches and browsers may keep it briefly, never past the stored copy's own end."""
    max_age = max(0, min(settings.PAGE_CACHE_MAX_AGE, math.floor(seconds_left)))
    patch_cache_control(response, public=True, max_age=max_age)
    patch_vary_headers(response, ["Cookie"])


def patch_error_cache_control(request, response) -> None:
    """An error answer (404, 410) may be kept only briefly: a reader who saw an article gone
    must see it again soon after it is restored or published. Without a max-age, browsers
    guess a lifetime of their own from Last-Modified; with one, a front proxy may keep a burst
    of requests for a missing page off the app servers. Private to someone with a session."""
    patch_cache_control(
        response,
        max_age=settings.ERROR_PAGE_MAX_AGE,
        **({"private": True} if settings.SESSION_COOKIE_NAME in request.COOKIES else {}),
    )
    patch_vary_headers(response, ["Cookie"])


class PageCacheMiddleware:
    """Serve and store anonymous reader pages; see the module docstring.

    Placed after `ConditionalGetMiddleware`, which answers 304 from the ETag and Last-Modified
    that this middleware stores with each page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS:
            return self.get_response(request)
        match = _cached_view_match(request)
        if match is None or not _may_serve_from_cache(request):
            return self._uncached(request)
        _keep_only_parameters(request, query_parameters_of(match.func) or frozenset())
        now = time.time()
        stores_pages = settings.PAGE_CACHE_STORES_PAGES
        try:
            site_partition = getattr(request, "page_cache_partition", "")
            generation, site_generation = _current_generations(
                site_partition, _page_partition(site_partition, match)
            )
            key = _page_key(generation, request)
            # The page and the pieces a stored page is filled in with, in one round trip.
            pieces = fragments.late_piece_keys(site_generation)
            found = _cache_call("get_many", [key, *pieces]) if stores_pages else {}
        except CacheUnavailable:
            return self.get_response(request)
        page = found.pop(key, None)
        self._allow_fragments(request, generation, site_generation, now=now, late=False)
        if not stores_pages:
            with replicas.reading_from_primary():
                return self.get_response(request)
        if page is not None and page["expires"] > now:
            fragments.remember_read(request, pieces, found)
            return _response_from(request, page, now, status="hit")
        if request.method != "GET":
            return self.get_response(request)
        return self._render_once(request, generation, site_generation, key)

    def _uncached(self, request):
        """A page shown to someone with a session may be theirs alone: say so to other caches."""
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and not _is_admin(request):
            patch_vary_headers(response, ["Cookie"])
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
        return response

    def _render_once(self, request, generation, site_generation, key):
        """Render a missing page in one request while the others wait for its result."""
        lock_key = f"{key}:lock"
        try:
            locked = _cache_call("add", lock_key, 1, timeout=LOCK_SECONDS)
        except CacheUnavailable:
            return self.get_response(request)
        if not locked:
            page = self._wait_for(key, lock_key)
            if page is not None:
                return _response_from(request, page, time.time(), status="hit")
        try:
            # A page to be stored is read from the primary, never from a read replica: the
            # generation is bumped once the primary commits, and a replica that has not caught
            # up would have old rows stored under the new generation. Renders that are not
            # stored (cache down, a waiter giving up) still use the replica.
            with replicas.reading_from_primary():
                return self._render_and_store(request, generation, site_generation, key)
        finally:
            if locked:
                with contextlib.suppress(CacheUnavailable):
                    _cache_call("delete", lock_key)

    def _wait_for(self, key, lock_key):
        """The page once the rendering request stores it; None if it gives up or stores none."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            try:
                found = _cache_call("get_many", [key, lock_key])
            except CacheUnavailable:
                return None
            if key in found and found[key]["expires"] > time.time():
                return found[key]
            if lock_key not in found:
                return None
        return None

    def _allow_fragments(
        self, request, generation, site_generation, *, now: float, late: bool
    ) -> Callable[[], float]:
        """Let the request use and store fragments, until the end that the returned function
        gives (looked up once, when a fragment is first stored).

        Fragments are stored only by a render that reads from the primary. The schedule is read
        before rendering: an article whose time comes during the render is then still ahead of
        the page's end, and the page ends when it appears.
        """

        @functools.cache
        def ends() -> float:
            scheduled = _next_scheduled_publication(generation, now)
            expires = now + settings.PAGE_CACHE_SECONDS
            return min(expires, scheduled) if scheduled is not None else expires

        fragments.remember_generations(
            request,
            everywhere=generation.split(".", 1)[0],
            site=site_generation,
            ends=ends,
            late=late,
        )
        return ends

    def _render_and_store(self, request, generation, site_generation, key):
        now = time.time()
        ends = self._allow_fragments(request, generation, site_generation, now=now, late=True)
        try:
            expires = ends()
        except CacheUnavailable:
            return self.get_response(request)
        response = self.get_response(request)
        if not _may_store(request, response):
            if not response.streaming:
                with replicas.reading_from_primary():
                    response.content, _made_at = fragments.fill_late(request, response.content)
                if response.has_header("Content-Length"):
                    response.headers["Content-Length"] = str(len(response.content))
            return response
        page = {
            "content": response.content,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in HEADERS_OF_WHAT_IS_SENT
            ],
            "expires": expires,
            "rendered_at": now,
        }
        try:
            _cache_call("set", key, page, timeout=max(1, math.ceil(expires - now)))
        except CacheUnavailable:
            return _response_from(request, page, now, status=None)
        return _response_from(request, page, now, status="miss")
