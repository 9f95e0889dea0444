"""RSS 2.0 feeds: the whole site, a rubric, a region, and the Yandex News and Dzen exports."""

import mimetypes
from datetime import timedelta

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.translation import gettext as _

from articles.models import AgeMark, Article, Rubric
from regions.models import Region

FEED_LENGTH = 50
DZEN_FEED_LENGTH = 500
DZEN_WINDOW = timedelta(days=3)
DZEN_MIN_IMAGE_WIDTH = 400


def cover_enclosures(article, min_width=0):
    """The cover image as an enclosure, if it is known to be at least `min_width` pixels wide.

    Sizes come from the fields the article fills when its cover changes; the file itself is
    never opened here, so a feed of hundreds of items costs no storage round trips.
    """
    if not article.cover_image:
        return []
    if min_width and (article.cover_width or 0) < min_width:
        return []
    mime_type, _encoding = mimetypes.guess_type(article.cover_image.name)
    return [
        feedgenerator.Enclosure(
            url=article.cover_image.url,
            length=str(article.cover_bytes or 0),
            mime_type=mime_type or "image/jpeg",
        )
    ]


class ArticleFeed(Feed):
    """The newest published articles of the whole site."""

    language = "ru"

    def title(self):
        return settings.NEWSROOM_PUBLICATION["name"]

    def link(self):
        return reverse("articles:home")

    def description(self):
        return _("Последние новости издания «%(name)s»") % {
            "name": settings.NEWSROOM_PUBLICATION["name"]
        }

    def items(self):
        return Article.objects.published().for_syndication()[:FEED_LENGTH]

    def item_title(self, article):
        """Plain text: Django's default escapes titles twice, which aggregators show as "&amp;"."""
        return article.title

    def item_description(self, article):
        return article.excerpt

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        names = [byline.author.public_name for byline in article.bylines.all()]
        return ", ".join(names) or _("Редакция")

    def item_categories(self, article):
        return [article.rubric.name]

    def item_guid(self, article):
        """
        The primary key, not the address: an item keeps its identity through any edit, so an
        aggregator replaces it instead of showing it twice.
        """
        return f"urn:newsroom:article:{article.pk}"

    def item_guid_is_permalink(self, article):
        return False

    def get_feed(self, obj, request):
        """Django makes item links absolute, but not enclosure URLs: do it for those too."""
        feed = super().get_feed(obj, request)
        for item in feed.items:
            for enclosure in item["enclosures"]:
                enclosure.url = request.build_absolute_uri(enclosure.url)
        return feed


class RubricFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Rubric, slug=slug)

    def title(self, rubric):
        return f"{rubric.name} — {settings.NEWSROOM_PUBLICATION['name']}"

    def link(self, rubric):
        return rubric.get_absolute_url()

    def description(self, rubric):
        return rubric.description or _("Новости рубрики «%(rubric)s»") % {"rubric": rubric.name}

    def items(self, rubric):
        return Article.objects.published().filter(rubric=rubric).for_syndication()[:FEED_LENGTH]


class RegionFeed(ArticleFeed):
    """A region's feed includes the news of every region below it, like the region's page."""

    def get_object(self, request, slug):
        return get_object_or_404(Region, slug=slug)

    def title(self, region):
        return f"{region.name} — {settings.NEWSROOM_PUBLICATION['name']}"

    def link(self, region):
        return region.get_absolute_url()

    def description(self, region):
        return _("Новости: %(region)s") % {"region": region.name}

    def items(self, region):
        return Article.objects.published().in_region(region).for_syndication()[:FEED_LENGTH]


class AggregatorRss(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 as Yandex and Dzen read it: the byline's names in <author>, not an e-mail."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "author_name": None})
        handler.addQuickElement("author", item["author_name"])


class YandexNewsRss(AggregatorRss):
    """Yandex News: the article's full text in <yandex:full-text>."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:yandex": "http://news.yandex.ru"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("yandex:genre", "message")
        handler.addQuickElement("yandex:full-text", item["full_text"])


class DzenRss(AggregatorRss):
    """Dzen: the full text in <content:encoded> and an adult/nonadult <media:rating>."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:media": "http://search.yahoo.com/mrss/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("media:rating", item["rating"], {"scheme": "urn:simple"})
        handler.addQuickElement("content:encoded", item["full_text"])


class YandexNewsFeed(ArticleFeed):
    feed_type = YandexNewsRss

    def item_enclosures(self, article):
        return cover_enclosures(article)

    def item_extra_kwargs(self, article):
        return {"full_text": article.body}


class DzenFeed(ArticleFeed):
    """Dzen takes the last three days only, at most 500 items, with covers 400 px wide or more."""

    feed_type = DzenRss

    def items(self):
        recent = Article.objects.published().filter(published_at__gte=timezone.now() - DZEN_WINDOW)
        return recent.for_syndication()[:DZEN_FEED_LENGTH]

    def item_enclosures(self, article):
        return cover_enclosures(article, min_width=DZEN_MIN_IMAGE_WIDTH)

    def item_extra_kwargs(self, article):
        adult = article.age_mark == AgeMark.EIGHTEEN
        return {"full_text": article.body, "rating": "adult" if adult else "nonadult"}
