from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from articles.cards import listed_cards_html, news_time, with_current_times
from articles.models import Article, Rubric
from network.hosts import current_site
from newsroom import fragments

register = template.Library()

RECENT_NEWS_COUNT = 10

register.filter("news_time", news_time)


@register.simple_tag(takes_context=True)
def recent_news(context, exclude=None) -> SafeString:
    """The "Последние новости" column: the newest articles on this site, from every region.

    Its items are a fragment of the site, one more than shown, so that an article's own page
    can leave it out of the column and still show as many.
    """
    request = context.get("request")

    def render_items() -> list[tuple[int, str]]:
        articles = Article.objects.published_on(current_site()).for_feed()
        return [
            (article.pk, render_to_string(RECENT_NEWS_ITEM_TEMPLATE, {"article": article}))
            for article in articles[: RECENT_NEWS_COUNT + 1]
        ]

    items = fragments.cached_one(request, "recent-news", "", render_items)
    shown = [html for pk, html in items if exclude is None or pk != exclude.pk]
    return render_to_string(
        RECENT_NEWS_TEMPLATE,
        {"items": [mark_safe(with_current_times(html)) for html in shown[:RECENT_NEWS_COUNT]]},
    )


RECENT_NEWS_TEMPLATE = "articles/includes/recent_news.html"
RECENT_NEWS_ITEM_TEMPLATE = "articles/includes/recent_news_item.html"


@register.simple_tag(takes_context=True)
def rubric_menu(context) -> SafeString:
    """The site's rubrics, a fragment of the site: rendered once per change there."""

    def render() -> str:
        rubrics = Rubric.objects.in_menu_of(current_site()).only("name", "slug")
        return render_to_string("includes/rubric_menu.html", {"rubrics": rubrics})

    return mark_safe(fragments.cached_one(context.get("request"), "rubric-menu", "", render))


@register.simple_tag(takes_context=True)
def article_cards(context, rows) -> SafeString:
    """The cards of a list page's rows (`for_cards()`), stored ones reused (`articles.cards`)."""
    return mark_safe("".join(listed_cards_html(context.get("request"), rows)))
