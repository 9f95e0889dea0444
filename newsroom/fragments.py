"""Pieces of pages kept in the shared cache, so that a page the page cache misses is assembled
mostly from pieces already rendered (issue #15).

A fragment is stored under the content generations that the page cache read for the request
(`newsroom.pagecache`), and only for a request the page cache serves: a change that makes a
page stale makes its fragments stale at the same moment, and a reader with a session, for whom
nothing is stored, gets every piece rendered afresh. A fragment that depends on one site's
content (the recent-news column) is keyed by that site's generation; one that changes only with
a single object (an article's card) is keyed by the object's own version and the global
generation, so it outlives the publications of other articles. Fragments live no longer than
the page they were made for: PAGE_CACHE_SECONDS, and never past the next scheduled publication.

The cache is an optimisation here too: when it fails, fragments are rendered as if none were
stored. This module knows nothing of the apps' models.
"""

import logging
import math
import re
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache

from newsroom.cache_breaker import CircuitOpen

logger = logging.getLogger(__name__)

Item = TypeVar("Item")

REQUEST_ATTRIBUTE = "page_cache_generations"


@dataclass(frozen=True)
class Generations:
    """The content generations a request's page was looked up under."""

    everywhere: str  # changes with anything shown on every site (rubrics, regions, authors…)
    site: str  # changes with that, and with any change on the request's site
    ends: Callable[[], float]  # when what is made now ends (a timestamp), looked up once

    @property
    def expires(self) -> float:
        return self.ends()


def generations_of(request) -> Generations | None:
    """The request's generations; None when its page is not served from the cache."""
    return getattr(request, REQUEST_ATTRIBUTE, None)


def remember_generations(
    request, *, everywhere: str, site: str, ends: Callable[[], float], late: bool
) -> None:
    """Called by the page cache before it renders or serves a page: what is stored now ends
    at `ends()` (no later than the next scheduled publication, which no generation announces).
    `late`: the page will be stored, and its late pieces are to be left as placeholders."""
    setattr(request, REQUEST_ATTRIBUTE, Generations(everywhere=everywhere, site=site, ends=ends))
    setattr(request, LATE_ATTRIBUTE, late)


# Pieces filled into a stored page each time it is served, so that a page need not be stored
# again when only they change: the recent-news column, which changes with every publication on
# a site, is on all of its pages. A stored page holds a placeholder instead (`late_placeholder`),
# and the page cache fills it in (`fill_late`) from the piece's own fragment.
LATE_ATTRIBUTE = "page_cache_leaves_late_pieces"
LATE_PLACEHOLDER = re.compile(rb"<!--late:([a-z-]+):([0-9]*)-->")
_late_renderers: dict[str, Callable[[Any, str], tuple[str, float]]] = {}


def register_late(name: str, render: Callable[[Any, str], tuple[str, float]]) -> None:
    """Called by an app in `ready()`: `render(request, argument)` gives the piece's HTML and
    when it was made (a timestamp, for the page's Last-Modified)."""
    _late_renderers[name] = render


def late_placeholder(request, name: str, argument: str = "") -> str | None:
    """What a template writes instead of the piece in a page to be stored, or None when it is
    to write the piece itself. `argument` is digits or empty (an id, say)."""
    if not getattr(request, LATE_ATTRIBUTE, False):
        return None
    return f"<!--late:{name}:{argument}-->"


def fill_late(request, content: bytes) -> tuple[bytes, float]:
    """A stored page with its late pieces filled in, and when the newest of them was made."""
    newest = 0.0

    def fill(match: re.Match[bytes]) -> bytes:
        nonlocal newest
        html, made_at = _late_renderers[match[1].decode()](request, match[2].decode())
        newest = max(newest, made_at)
        return html.encode()

    return LATE_PLACEHOLDER.sub(fill, content), newest


# What passing time changes in a page ("5 минут назад"), written again whenever a stored page is
# served: a list page may be kept for PAGE_CACHE_SECONDS, and its cards' relative times with it.
_time_refreshers: list[Callable[[bytes], bytes]] = []


def register_time_refresh(refresh: Callable[[bytes], bytes]) -> None:
    """Called by an app in `ready()`: `refresh(content)` rewrites a page's relative times as
    of now (and returns what it was given when it has none)."""
    if refresh not in _time_refreshers:
        _time_refreshers.append(refresh)


def as_of_now(content: bytes) -> bytes:
    """A stored page with what passing time changes in it written as it reads now."""
    for refresh in _time_refreshers:
        content = refresh(content)
    return content


def _key(name: str, generation: str, part: Hashable) -> str:
    return f"fragment:{name}:{generation}:{part}"


# Pieces on every page of a site, each a fragment of the site (`site_wide`) named by its part:
# the first lookup of a request for a piece of its own page (an article's parts, a list's cards)
# reads them in the same round trip, and their own lookups then find them read.
_every_page: dict[str, Callable[[], Hashable]] = {}
READ_ATTRIBUTE = "page_cache_fragments_read"
MISSING = object()


def register_every_page(name: str, part: Callable[[], Hashable]) -> None:
    """Called by an app in `ready()`: `part()` names the piece's fragment for the request."""
    _every_page[name] = part


def _read(request, name: str, keys: list[str], generations: Generations) -> dict:
    """The stored values of `keys` (a lookup of `name`), with those of the pieces on every page
    when it is the request's first lookup of another piece, each read once per request."""
    read = getattr(request, READ_ATTRIBUTE, None)
    wanted = [key for key in keys if read is None or key not in read]
    if read is None:
        read = {}
        setattr(request, READ_ATTRIBUTE, read)
        if name not in _every_page:
            wanted += [_key(piece, generations.site, part()) for piece, part in _every_page.items()]
    if wanted:
        found = _cache_get_many(wanted)
        read.update({key: found.get(key, MISSING) for key in wanted})
    return {key: read[key] for key in keys if read[key] is not MISSING}


def _stored(request, values: dict, generations: Generations) -> None:
    _cache_set_many(values, generations)
    read = getattr(request, READ_ATTRIBUTE, None)
    if read is not None:
        read.update(values)


def cached_many(
    request,
    name: str,
    items: Sequence[Item],
    *,
    part: Callable[[Item], Hashable],
    render: Callable[[Sequence[Item]], list[str]],
    refresh: Callable[[str], str] | None = None,
    site_wide: bool = False,
) -> list[str]:
    """The fragments of `items`, in order: stored ones from the cache in one round trip, the
    others rendered together by `render` (one string per item given) and stored.

    `part(item)` names what an item's fragment depends on beyond the generation (an id and a
    version, say). A fragment is keyed by the global generation, or by the site's when
    `site_wide` (it then changes with every change on the site). `refresh` brings a stored
    fragment up to date with what passing time changes in it; an empty fragment is not stored.
    """
    generations = generations_of(request)
    if generations is None or not items:
        return render(items)
    generation = generations.site if site_wide else generations.everywhere
    keys = [_key(name, generation, part(item)) for item in items]
    found = _read(request, name, keys, generations)
    if refresh is not None:
        found = {key: refresh(html) for key, html in found.items()}
    missing = [index for index, key in enumerate(keys) if key not in found]
    if missing:
        rendered = render([items[index] for index in missing])
        fresh = {keys[index]: html for index, html in zip(missing, rendered, strict=True)}
        _stored(request, {key: html for key, html in fresh.items() if html}, generations)
        found.update(fresh)
    return [found[key] for key in keys]


def cached_one(
    request, name: str, part: Hashable, render: Callable[[], Item], *, site_wide: bool = True
) -> Item:
    """One fragment (or any picklable value derived from the content), rendered once per
    generation."""
    generations = generations_of(request)
    if generations is None:
        return render()
    key = _key(name, generations.site if site_wide else generations.everywhere, part)
    found = _read(request, name, [key], generations)
    if key in found:
        return found[key]
    value = render()
    _stored(request, {key: value}, generations)
    return value


def late_piece_keys(site_generation: str) -> list[str]:
    """The fragments that a stored page's late pieces read, for the page cache to read in the
    same round trip as the page (`remember_read`)."""
    return [
        _key(name, site_generation, part())
        for name, part in _every_page.items()
        if name in _late_renderers
    ]


def remember_read(request, keys: Iterable[str], found: dict) -> None:
    """What the page cache read of `keys` (`late_piece_keys`) for a stored page it serves, kept
    as this request's reads, so filling the page in reads nothing more."""
    unexpired = _unexpired(found)
    setattr(request, READ_ATTRIBUTE, {key: unexpired.get(key, MISSING) for key in keys})


def _cache_get_many(keys: Iterable[str]) -> dict:
    try:
        found = cache.get_many(keys)
    except Exception as error:
        _log_failure("get_many", error)
        return {}
    return _unexpired(found)


def _unexpired(found: dict) -> dict:
    """The stored values whose page has not ended: the cache's own expiry is in whole seconds,
    and blind to a clock moved in tests."""
    now = time.time()
    return {key: value for key, (expires, value) in found.items() if expires > now}


def _cache_set_many(values: dict, generations: Generations) -> None:
    try:
        expires = generations.expires
        seconds_left = math.ceil(expires - time.time())
        if seconds_left <= 0:
            return
        stored = {key: (expires, value) for key, value in values.items()}
        cache.set_many(stored, timeout=seconds_left)
    except Exception as error:
        _log_failure("set_many", error)


def _log_failure(method: str, error: Exception) -> None:
    if not isinstance(error, CircuitOpen):  # the breaker said so once, when it opened
        logger.warning("Fragments: %s failed (%s); rendering without them", method, error)
