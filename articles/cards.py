"""Article cards as fragments: a card is rendered once per version of its article and site, and
pages the page cache misses (a list page, the home page after a publication) reuse it.

A card's key holds what the card shows that can change: the article's version, which every save
through `editorial.services` raises (title, excerpt, cover, age mark, time), the rubric the site
shows it under, and the global generation (a renamed rubric). Its relative time ("3 часа назад")
is written in again whenever a stored card is used, so it is as current as a freshly rendered one.
"""

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import get_language

from network.hosts import current_site
from newsroom import fragments

from .models import Article

CARD_TEMPLATE = "articles/includes/article_card.html"
RELATIVE_TIME_WINDOW = timedelta(hours=24)
# The time element of a card and of the recent-news column (`news_time` writes its text).
NEWS_TIME_ELEMENT = re.compile(r'(<time\b[^>]*? datetime="([^"]+)" data-news-time>)[^<]*(</time>)')


# The columns of `published_on`'s articles that make a CardRef, in its order.
CARD_REF_FIELDS = ("pk", "version", "placement__rubric_id")


@dataclass(frozen=True)
class CardRef:
    """What names a card's current HTML on a site, without the article's row."""

    article_id: int
    version: int
    rubric_id: int
    large: bool = False  # the home page's lead story

    @classmethod
    def of(cls, article: Article, *, large: bool = False) -> "CardRef":
        return cls(article.pk, article.version, article.shown_rubric.pk, large)


def cards_html(
    request, refs: Sequence[CardRef], *, loaded: Mapping[int, Article] | None = None
) -> list[str]:
    """The HTML of each card, in order: stored ones from the cache, the others rendered from
    `loaded` articles or, failing that, from one query for all of them. An article no longer
    published on the site (unpublished since `refs` was made) gives an empty string."""
    site = current_site()

    def render(missing: Sequence[CardRef]) -> list[str]:
        articles = dict(loaded or {})
        wanted = [ref.article_id for ref in missing if ref.article_id not in articles]
        if wanted:
            found = Article.objects.published_on(site).for_list().filter(pk__in=wanted)
            articles.update((article.pk, article) for article in found)
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


def article_cards_html(request, articles: Iterable[Article]) -> list[str]:
    """Cards of articles already loaded by `for_list()` (a list page's)."""
    loaded = {article.pk: article for article in articles}
    refs = [CardRef.of(article) for article in loaded.values()]
    return cards_html(request, refs, loaded=loaded)


def render_card(article: Article, *, large: bool = False) -> str:
    return render_to_string(CARD_TEMPLATE, {"article": article, "large": large})


def news_time(moment: datetime | None) -> str:
    """ "3 часа назад" within the last 24 hours, "19.01.2026" before that."""
    if moment is None:
        return ""
    now = timezone.now()
    if now - RELATIVE_TIME_WINDOW < moment <= now:
        return naturaltime(moment)
    return short_date(timezone.localtime(moment).date(), get_language())


@functools.lru_cache(maxsize=4096)
def short_date(day: date, language: str | None) -> str:
    """ "19.01.2026": formatted once per day shown, not once per card (tens of microseconds)."""
    return date_format(day, "SHORT_DATE_FORMAT")


def with_current_times(html: str) -> str:
    """A stored fragment with its relative times ("3 часа назад") as they read now."""
    return NEWS_TIME_ELEMENT.sub(
        lambda match: f"{match[1]}{escape(news_time(datetime.fromisoformat(match[2])))}{match[3]}",
        html,
    )
