"""Latin slugs for Russian names, shared by articles, rubrics, regions and staff."""

import functools
import re

from django.urls import get_script_prefix, get_urlconf, reverse
from slugify import slugify

# python-slugify's defaults give "ia", "iu", "i", "e", "kh"; readers expect these instead.
RUSSIAN_REPLACEMENTS = [
    ["я", "ya"],
    ["Я", "Ya"],
    ["ю", "yu"],
    ["Ю", "Yu"],
    ["й", "y"],
    ["Й", "Y"],
    ["ё", "yo"],
    ["Ё", "Yo"],
    ["х", "kh"],
    ["Х", "Kh"],
]


def transliterate_slug(text: str, max_length: int = 80) -> str:
    """Slugify and cut at the last whole word that fits.

    python-slugify's own max_length with word_boundary can drop a word from the middle, so the
    cut is done here on the finished slug.
    """
    slug = slugify(text, replacements=RUSSIAN_REPLACEMENTS)
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    if cut.endswith("-"):
        return cut.rstrip("-")
    head, _, _ = cut.rpartition("-")
    return head or slug[:max_length]


def unique_slug(model, text: str, *, exclude_pk=None, max_length: int = 80, reserved=None) -> str:
    """The transliterated slug, with "-2", "-3"… appended when another row already has it.

    `reserved(base)` may return further slugs starting with `base` that are in use elsewhere,
    such as old addresses that still redirect.
    """
    base = transliterate_slug(text, max_length=max_length) or "item"
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    if reserved is not None:
        taken.update(reserved(base))
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


# A slug no model can have (slugs are lower-case Latin), standing in for one in a reversed URL.
SLUG_PLACEHOLDER = "SLUG"
VALID_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def slug_address(viewname: str, slug: str) -> str:
    """`reverse(viewname, kwargs={"slug": slug})`, with the URL patterns matched once per view
    rather than once per link: a home page links about a hundred articles and rubrics, and
    reversing each costs tens of microseconds.

    A slug that reverse() would refuse, or quote, goes through reverse() itself.
    """
    address = _address_with_placeholder(viewname, get_urlconf(), get_script_prefix())
    if address is None or not VALID_SLUG.fullmatch(slug) or SLUG_PLACEHOLDER in slug:
        return reverse(viewname, kwargs={"slug": slug})
    return address.replace(SLUG_PLACEHOLDER, slug)


@functools.lru_cache(maxsize=64)
def _address_with_placeholder(viewname: str, urlconf: str | None, script_prefix: str) -> str | None:
    """The view's address for the placeholder slug; None when the placeholder shows up
    elsewhere in it too (a script prefix of that name)."""
    address = reverse(viewname, urlconf=urlconf, kwargs={"slug": SLUG_PLACEHOLDER})
    return address if address.count(SLUG_PLACEHOLDER) == 1 else None
