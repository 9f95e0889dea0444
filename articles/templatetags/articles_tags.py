import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from articles.cards import listed_cards_html, news_time_element
from articles.models import Rubric
from articles.page import PART_MARK
from articles.recent import LATE_NAME, recent_news_html
from network.hosts import current_site, photos_pending
from newsroom import fragments

register = template.Library()

SITE_CHROME = "site-chrome"
CHROME_TEMPLATE = "includes/site_chrome.html"

register.simple_tag(news_time_element, name="news_time_element")


@register.simple_tag(takes_context=True)
def recent_news(context, exclude=None) -> SafeString:
    """The "Последние новости" column (`articles.recent`), or its placeholder in a page to be
    stored, which the page cache fills in whenever it serves the page."""
    request = context.get("request")
    exclude_id = exclude.pk if exclude is not None else None
    placeholder = fragments.late_placeholder(request, LATE_NAME, str(exclude_id or ""))
    if placeholder is not None:
        return mark_safe(placeholder)
    html, _made_at = recent_news_html(request, exclude_id)
    return mark_safe(html)


@dataclass(frozen=True)
class SiteChrome:
    """What every reader page of a site shows around its own content."""

    head: SafeString  # the stylesheets, icons and counter
    header: SafeString  # the skip link, logo, search form, age mark and rubric menu
    footer: SafeString  # the imprint


def site_chrome_part() -> tuple[bool, str]:
    """What names the site's chrome beside the site's generation: whether the sites' photos
    wait for their renditions, and the static files' manifest, which changes with a deploy that
    changes the stylesheet's hashed name."""
    return photos_pending(), getattr(staticfiles_storage, "manifest_hash", "")


@register.simple_tag(takes_context=True)
def site_chrome(context) -> SiteChrome:
    """The site's chrome, a fragment of the site: rendered once per change there (its rubric
    menu, its imprint), and kept apart while the sites' photos wait for their renditions."""

    def render() -> SiteChrome:
        site = current_site()
        shown = {
            "publication": site,
            "rubrics": Rubric.objects.in_menu_of(site).only("name", "slug"),
        }
        head, header, footer = render_to_string(CHROME_TEMPLATE, shown).split(PART_MARK, 2)
        return SiteChrome(head=mark_safe(head), header=mark_safe(header), footer=mark_safe(footer))

    return fragments.cached_one(context.get("request"), SITE_CHROME, site_chrome_part(), render)


@register.simple_tag(takes_context=True)
def article_cards(context, rows) -> SafeString:
    """The cards of a list page's rows (`for_cards()`), stored ones reused (`articles.cards`)."""
    return mark_safe("".join(listed_cards_html(context.get("request"), rows)))


def chosen_part(data, field_names) -> str:
    """What a request chose in some fields of a form, as part of a fragment's key: the same
    choices give the same HTML, selected options and errors included."""
    data = data if data is not None else QueryDict()
    chosen = sorted(
        (name, value) for name, values in data.lists() if name in field_names for value in values
    )
    return hashlib.sha256(urlencode(chosen).encode()).hexdigest()


@register.simple_tag(takes_context=True)
def archive_filters(context, filterset) -> SafeString:
    """The archive's filter form: the same on every page and site for the same filters, and its
    choices (rubrics, regions, authors) change only with what every page shows, so it is a
    fragment of the global generation. Rendering its hundreds of options was two thirds of an
    archive page's time."""

    def render() -> str:
        return render_to_string("articles/includes/archive_filters.html", {"filter": filterset})

    part = chosen_part(filterset.data, filterset.form.fields)
    stored = fragments.cached_one(
        context.get("request"), "archive-filters", part, render, site_wide=False
    )
    return mark_safe(stored)


SEARCH_FILTERS = ("rubric", "region")


@register.simple_tag(takes_context=True)
def search_filters(context, form) -> SafeString:
    """The search form's rubric and region selects, a fragment of the global generation per
    choice, like the archive's filters: every query is a page of its own, but almost all of
    them share these hundreds of options."""

    def render() -> str:
        fields = [form[name] for name in SEARCH_FILTERS]
        return render_to_string("articles/includes/search_filters.html", {"fields": fields})

    part = chosen_part(form.data, SEARCH_FILTERS)
    stored = fragments.cached_one(
        context.get("request"), "search-filters", part, render, site_wide=False
    )
    return mark_safe(stored)
