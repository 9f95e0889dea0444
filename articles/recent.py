"""The "Последние новости" column: the newest articles on the site, from every region.

It changes with every publication on the site and is on all of its pages, so a stored page
holds a placeholder for it and the page cache fills it in whenever the page is served
(`newsroom.fragments.register_late`): a publication then makes the column stale, not every
article page of the site. The column's items are a fragment of the site, one more than shown,
so that an article's own page can leave itself out and still show as many.
"""

import time

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from network.hosts import current_site
from newsroom import fragments

from .cards import with_current_times
from .models import Article

RECENT_NEWS_COUNT = 10
COLUMN_TEMPLATE = "articles/includes/recent_news.html"
ITEM_TEMPLATE = "articles/includes/recent_news_item.html"
LATE_NAME = "recent-news"
# Where the items go in the column, rendered once around it.
ITEMS_MARK = "<!-- items -->"


def recent_news_html(request, exclude_id: int | None = None) -> tuple[str, float]:
    """The column's HTML without the article `exclude_id`, and when its items were read."""

    def read_items(count: int) -> list[tuple[int, str]]:
        articles = Article.objects.published_on(current_site()).for_feed()
        return [
            (article.pk, render_to_string(ITEM_TEMPLATE, {"article": article}))
            for article in articles[:count]
        ]

    if fragments.generations_of(request) is None:  # nothing is stored: render it once
        items = [html for pk, html in read_items(RECENT_NEWS_COUNT + 1) if pk != exclude_id]
        shown = [mark_safe(html) for html in items[:RECENT_NEWS_COUNT]]
        return render_to_string(COLUMN_TEMPLATE, {"items": shown}), time.time()

    def read_column() -> dict:
        around = render_to_string(COLUMN_TEMPLATE, {"items": [mark_safe(ITEMS_MARK)]})
        head, tail = around.split(ITEMS_MARK)
        return {
            "items": read_items(RECENT_NEWS_COUNT + 1),
            "head": head,
            "tail": tail,
            "empty": render_to_string(COLUMN_TEMPLATE, {"items": []}),
            "made_at": time.time(),
        }

    column = fragments.cached_one(request, LATE_NAME, "", read_column)
    shown = [html for pk, html in column["items"] if pk != exclude_id][:RECENT_NEWS_COUNT]
    if not shown:
        return column["empty"], column["made_at"]
    filled = with_current_times("".join(shown))
    return column["head"] + filled + column["tail"], column["made_at"]


def late_recent_news(request, argument: str) -> tuple[str, float]:
    """The column for a stored page's placeholder, whose argument is the excluded id or ""."""
    return recent_news_html(request, int(argument) if argument else None)
