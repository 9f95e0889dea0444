from datetime import timedelta

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article, Rubric
from network.hosts import current_site

register = template.Library()

RECENT_NEWS_COUNT = 10
RELATIVE_TIME_WINDOW = timedelta(hours=24)


@register.filter
def news_time(moment):
    """ "3 часа назад" within the last 24 hours, "19.01.2026" before that."""
    if moment is None:
        return ""
    now = timezone.now()
    if now - RELATIVE_TIME_WINDOW < moment <= now:
        return naturaltime(moment)
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


@register.inclusion_tag("articles/includes/recent_news.html")
def recent_news(exclude=None):
    """The "Последние новости" column: the newest articles on this site, from every region."""
    articles = Article.objects.published_on(current_site()).for_feed()
    if exclude is not None:
        articles = articles.exclude(pk=exclude.pk)
    return {"recent_articles": articles[:RECENT_NEWS_COUNT]}


@register.inclusion_tag("includes/rubric_menu.html", takes_context=True)
def rubric_menu(context):
    return {
        "rubrics": Rubric.objects.in_menu_of(current_site()).only("name", "slug"),
        "request": context.get("request"),
    }
