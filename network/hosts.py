"""Which site a request's host belongs to, answered from memory.

Every request asks, so the sites (a few dozen rows) are kept in each process and read again only
when they change: saving a site increments a version kept in the shared cache, and each process
compares its copy's version with it, one cache read per request, as the page cache does with its
generation. When the cache does not answer, a copy younger than STALE_SECONDS is used, or the
sites are read from the database.

Each site comes with its logo, favicon and card image and their renditions, so that the header,
icons and og:image cost no query. Renditions are made by the worker after a photo is chosen,
without saving the site: while one of these photos has none yet, the copy is read again once it
is STALE_SECONDS old.

When the database does not answer, the process keeps its copy (and tries the database again
after RETRY_SECONDS), so that pages in the page cache are still served and the outage page
(`newsroom.views.server_error`) still shows the site's name, imprint and age mark. A process
that starts during an outage has no copy: it takes the sites' plain details from a snapshot that
every load leaves in the shared cache.
"""

import contextlib
import logging
import secrets
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.http.request import split_domain_port, validate_host

from newsroom.cache_breaker import CircuitOpen, breaker
from newsroom.outages import DATABASE_UNAVAILABLE

from .models import Site, normalise_host

logger = logging.getLogger(__name__)

VERSION_KEY = "network:sites-version"
SNAPSHOT_KEY = "network:sites-snapshot"
STALE_SECONDS = 30
RETRY_SECONDS = 2
# The version of a copy made from the snapshot: never current, so the sites are read again.
FROM_SNAPSHOT = object()


@dataclass(frozen=True)
class HostMap:
    version: object
    loaded_at: float
    default: Site | None
    by_host: dict[str, Site] = field(default_factory=dict)
    by_id: dict[int, Site] = field(default_factory=dict)
    # Whether a site's logo, favicon or card image still waits for its renditions.
    awaits_renditions: bool = False


_lock = threading.Lock()
_current: HostMap | None = None
_database_failed_at = float("-inf")
# A save whose version bump failed in this process, announced when the cache answers again.
_change_lost = False
# The site of the request being answered, set by `network.middleware.SiteMiddleware`.
request_site: ContextVar[Site | None] = ContextVar("request_site", default=None)
# The sites as the request being answered first read them (`pinned_for_request`): a request
# looks up the sites' version in the cache once, however many times it asks for a site.
_request_sites: ContextVar["HostMap | None"] = ContextVar("request_sites", default=None)


def _shared_version():
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, secrets.randbits(48), timeout=None)
            version = cache.get(VERSION_KEY)
        return version
    except Exception as error:
        if not isinstance(error, CircuitOpen):
            logger.warning("Sites: the cache did not answer (%s)", error)
        return None


def load(version=None) -> HostMap:
    """Read every site from the database and keep them as this process's copy."""
    global _current
    sites = list(Site.objects.for_host_map())
    by_host = {host: site for site in sites for host in (site.domain, *site.aliases)}
    default = next((site for site in sites if site.is_default), None)
    by_id = {site.pk: site for site in sites}
    awaits = any(
        image.width and not image.renditions.all()
        for site in sites
        for image in (site.logo, site.favicon, site.card_image)
        if image is not None
    )
    with _lock:
        _current = HostMap(version, time.monotonic(), default, by_host, by_id, awaits)
    _store_snapshot(sites)
    return _current


SNAPSHOT_FIELDS = [field.attname for field in Site._meta.concrete_fields if not field.is_relation]


def _store_snapshot(sites: list[Site]) -> None:
    """The sites' own fields (no photos, no region): enough to find a site and show its imprint."""
    snapshot = [{name: getattr(site, name) for name in SNAPSHOT_FIELDS} for site in sites]
    try:
        cache.set(SNAPSHOT_KEY, snapshot, timeout=None)
    except Exception as error:
        if not isinstance(error, CircuitOpen):
            logger.warning("Sites: could not keep a snapshot in the cache (%s)", error)


def _from_snapshot() -> HostMap | None:
    try:
        snapshot = cache.get(SNAPSHOT_KEY)
    except Exception:
        return None
    if not snapshot:
        return None
    known = set(SNAPSHOT_FIELDS)
    sites = [Site(**{k: v for k, v in row.items() if k in known}) for row in snapshot]
    by_host = {host: site for site in sites for host in (site.domain, *site.aliases)}
    default = next((site for site in sites if site.is_default), None)
    by_id = {site.pk: site for site in sites}
    return HostMap(FROM_SNAPSHOT, float("-inf"), default, by_host, by_id)


def forget() -> None:
    """Drop this process's copy: the next request reads the sites again."""
    global _current
    with _lock:
        _current = None


def sites_changed() -> None:
    """Every process reads the sites again on its next request (called once a save commits)."""
    global _change_lost
    forget()
    try:
        _bump_version()
    except Exception as error:
        if not isinstance(error, CircuitOpen):
            logger.exception("Sites: could not tell other processes that the sites changed")
        _change_lost = True
        breaker.trip(error)


def _bump_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, secrets.randbits(48), timeout=None)


def announce_after_cache_outage(after_outage: bool) -> None:
    """The cache breaker's recovery: tell the other processes of a change they missed."""
    global _change_lost
    if _change_lost or after_outage:
        _bump_version()
        _change_lost = False


@contextlib.contextmanager
def pinned_for_request() -> Iterator[HostMap]:
    """Within the block, `current()` answers the sites read on entering it."""
    token = _request_sites.set(current())
    try:
        yield _request_sites.get()  # type: ignore[misc]  # set just above
    finally:
        _request_sites.reset(token)


def current() -> HostMap:
    global _current, _database_failed_at
    pinned = _request_sites.get()
    if pinned is not None:
        return pinned
    version = _shared_version()
    copy = _current
    if copy is not None and _still_current(copy, version):
        return copy
    if copy is not None and time.monotonic() - _database_failed_at < RETRY_SECONDS:
        return copy
    try:
        return load(version)
    except DATABASE_UNAVAILABLE as error:
        _database_failed_at = time.monotonic()
        logger.warning("Sites: the database did not answer (%s); using the copy kept", error)
        if copy is None:
            copy = _from_snapshot()
            if copy is None:
                raise
            with _lock:
                _current = copy
        return copy


def _still_current(copy: HostMap, version) -> bool:
    age = time.monotonic() - copy.loaded_at
    if copy.awaits_renditions and age >= STALE_SECONDS:
        return False
    if version is not None:
        return copy.version == version
    return age < STALE_SECONDS


def photos_pending() -> bool:
    """Whether a site's logo, favicon or card image still waits for its renditions: what is
    stored from them is then kept apart, and made again once the sites are read with them."""
    return current().awaits_renditions


def site_for_host(host: str) -> Site | None:
    """The site answering at `host` (a Host header, port allowed), or None: not ours.

    A site's domains come first; the default site also answers at the hosts of
    NEWSROOM_DEFAULT_HOSTS (patterns as in ALLOWED_HOSTS) that belong to no site.
    """
    domain, _port = split_domain_port(host)
    if not domain:
        return None
    sites = current()
    site = sites.by_host.get(normalise_host(domain))
    if site is not None:
        return site
    if validate_host(domain, settings.NEWSROOM_DEFAULT_HOSTS):
        return sites.default
    return None


def current_site() -> Site:
    """The site of the request being answered; outside a request (commands), the default one."""
    site = request_site.get() or current().default
    if site is None:
        raise Site.DoesNotExist("The network has no default site: run migrate.")
    return site


def site_by_id(site_id: int) -> Site:
    """A site of the network by its id, from this process's copy."""
    sites = current()
    if site_id not in sites.by_id:
        sites = load(sites.version)
    return sites.by_id[site_id]


def url_on_site(site_id: int, path: str, request: HttpRequest) -> str:
    """`path` on the site's main domain, with the request's scheme and port.

    The port is kept so that a development network (toguchin.localhost:8000) links within
    itself; in production both are the standard ones. On the request's own site, the host it
    was asked at.
    """
    site = site_by_id(site_id)
    if site == current_site():
        return request.build_absolute_uri(path)
    _domain, port = split_domain_port(request.get_host())
    return site.build_url(path, scheme=request.scheme or "https", port=port)
