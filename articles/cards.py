"""Article cards as fragments: a card is rendered once per version of its article and site, and
pages the page cache misses (a list page, the home page after a publication) reuse it.

A card's key holds what the card shows that can change: the article's version, which every save
through `editorial.services` raises (title, excerpt, cover, age mark, time), the rubric the site
shows it under, and the global generation (a renamed rubric). Its relative time ("3 часа назад")
is written in again whenever a stored card is used, so it is as current as a freshly rendered one.
"""

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import AnyStr

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from network.hosts import current_site
from newsroom import fragments

from .models import Article

CARD_TEMPLATE = "articles/includes/article_card.html"
RELATIVE_TIME_WINDOW = timedelta(hours=24)
# The time element of a card and of the recent-news column (`news_time_element` writes it).
NEWS_TIME_MARK = "<time data-news-time"
NEWS_TIME_ELEMENT = re.compile(r'(<time data-news-time[^>]*? datetime="([^"]+)">)[^<]*(</time>)')
NEWS_TIME_ELEMENT_BYTES = re.compile(NEWS_TIME_ELEMENT.pattern.encode())


@dataclass(frozen=True)
class CardRef:
    """What names a card's current HTML on a site, without the article's row: a row of
    `ArticleQuerySet.for_cards()`."""

    article_id: int
    version: int
    rubric_id: int
    large: bool = False  # the home page's lead story


def cards_html(request, refs: Sequence[CardRef]) -> list[str]:
    """The HTML of each card, in order: stored ones from the cache, the others rendered from
    one query for all of them. An article no longer published on the site (unpublished since
    `refs` was read) gives an empty string."""
    site = current_site()

    def render(missing: Sequence[CardRef]) -> list[str]:
        found = (
            Article.objects.published_on(site)
            .for_list()
            .filter(pk__in=[ref.article_id for ref in missing])
        )
        articles = {article.pk: article for article in found}
        return [
            render_card(articles[ref.article_id], large=ref.large)
            if ref.article_id in articles
            else ""
            for ref in missing
        ]

    return fragments.cached_many(
        request,
        "card",
        refs,
        part=lambda ref: (site.pk, ref.article_id, ref.version, ref.rubric_id, ref.large),
        render=render,
        refresh=with_current_times,
    )


def listed_cards_html(request, rows: Iterable[tuple[int, int, int]]) -> list[str]:
    """Cards of a list page's rows, as `ArticleQuerySet.for_cards()` reads them."""
    return cards_html(request, [CardRef(*row) for row in rows])


def render_card(article: Article, *, large: bool = False) -> str:
    return render_to_string(CARD_TEMPLATE, {"article": article, "large": large})


def news_time(moment: datetime | None) -> str:
    """ "3 часа назад" within the last 24 hours, "19.01.2026" before that."""
    if moment is None:
        return ""
    return _news_time_at(moment, timezone.now(), get_language())


def _news_time_at(moment: datetime, now: datetime, language: str | None) -> str:
    if now - RELATIVE_TIME_WINDOW < moment <= now:
        return relative_time(int((now - moment).total_seconds()), language)
    return short_date(timezone.localtime(moment).date(), language)


def news_time_element(moment: datetime | None, css_class: str = "") -> SafeString:
    """The `<time>` of a card or a column item. Only a relative time is marked to be written
    again when a stored piece or page is used (`with_current_times`): a date stays as it is."""
    if moment is None:
        return mark_safe("")
    now = timezone.now()
    return format_html(
        '<time{}{} datetime="{}">{}</time>',
        mark_safe(" data-news-time") if now - RELATIVE_TIME_WINDOW < moment <= now else "",
        format_html(' class="{}"', css_class) if css_class else "",
        timezone.localtime(moment).isoformat(),
        _news_time_at(moment, now, get_language()),
    )


def relative_time(seconds_ago: int, language: str | None) -> str:
    """naturaltime's "5 минут назад" for so many seconds ago. Its text changes only with the
    seconds in the first minute, the minutes in the first hour and the hours after, so it is
    made once per such step (naturaltime costs tens of microseconds, ten or so a page)."""
    if seconds_ago >= 60 * 60:
        return _relative_text(seconds_ago - seconds_ago % (60 * 60), language)
    if seconds_ago >= 60:
        return _relative_text(seconds_ago - seconds_ago % 60, language)
    return _relative_text(seconds_ago, language)


@functools.lru_cache(maxsize=256)
def _relative_text(seconds_ago: int, language: str | None) -> str:
    return naturaltime(timezone.now() - timedelta(seconds=seconds_ago))


@functools.lru_cache(maxsize=4096)
def short_date(day: date, language: str | None) -> str:
    """ "19.01.2026": formatted once per day shown, not once per card (tens of microseconds)."""
    return date_format(day, "SHORT_DATE_FORMAT")


def with_current_times(html: str) -> str:
    """A stored fragment with its relative times ("3 часа назад") as they read now."""
    return _current_times(html, NEWS_TIME_MARK, NEWS_TIME_ELEMENT, text=str, back=str)


def page_with_current_times(content: bytes) -> bytes:
    """A stored page with its relative times as they read now (`fragments.as_of_now`), read
    as bytes: a page has few of them, and decoding it would cost more than finding them."""
    mark, element = NEWS_TIME_MARK.encode(), NEWS_TIME_ELEMENT_BYTES
    return _current_times(content, mark, element, text=bytes.decode, back=str.encode)


def _current_times(
    content: AnyStr,
    mark: AnyStr,
    element: "re.Pattern[AnyStr]",
    *,
    text: Callable[[AnyStr], str],
    back: Callable[[str], AnyStr],
) -> AnyStr:
    """`content` with each marked time element's text written as of now. The elements are
    found with `find`, many times faster than a regular expression's scan of a whole page."""
    found = content.find(mark)
    if found == -1:
        return content
    now, language = timezone.now(), get_language()
    parts, start = [], 0
    while found != -1:
        match = element.match(content, found)
        if match is not None:
            moment = datetime.fromisoformat(text(match[2]))
            current = back(str(escape(_news_time_at(moment, now, language))))
            parts += [content[start:found], match[1], current, match[3]]
            start = match.end()
        found = content.find(mark, found + len(mark))
    parts.append(content[start:])
    return content[:0].join(parts)
