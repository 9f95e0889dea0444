"""RSS 2.0 feeds: the whole site, a rubric, a region, and the Yandex News and Dzen exports."""

import mimetypes
from datetime import datetime, timedelta

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.translation import gettext as _

from articles.body import images_for, render_feed_body
from articles.models import AgeMark, Article, ArticleQuerySet, Rubric
from articles.partitions import ListKind, list_page_partition
from network.hosts import current_site
from regions.models import Region

FEED_LENGTH = 50
DZEN_FEED_LENGTH = 500
DZEN_WINDOW = timedelta(days=3)
DZEN_MIN_IMAGE_WIDTH = 400


def cover_enclosures(article: Article, min_width: int = 0) -> list[feedgenerator.Enclosure]:
    """The cover photo as an enclosure, if it is at least `min_width` pixels wide.

    Sizes come from the library's row; the file itself is never opened here, so a feed of
    hundreds of items costs no storage round trips.
    """
    cover = article.cover
    if cover is None or (min_width and cover.width < min_width):
        return []
    mime_type, _encoding = mimetypes.guess_type(cover.file.name or "")
    return [
        feedgenerator.Enclosure(
            url=cover.file.url, length=str(cover.bytes), mime_type=mime_type or "image/jpeg"
        )
    ]


def items_of_site(articles: ArticleQuerySet) -> QuerySet[Article]:
    """A site feed's items (of `published_on`), under the rubrics the site shows them in."""
    return articles.select_related("placement__rubric").for_syndication()[:FEED_LENGTH]


class ArticleItemsFeed(Feed):
    """How every feed writes its articles; subclasses say which articles, and under what title.

    Django's Feed calls `title`, `link`, `description` and `items` with the feed's object when
    they take one: the site's feeds take none, a rubric's or region's feed takes its subject.
    """

    language = "ru"
    page_cache_query_parameters: frozenset[str] = frozenset()

    def item_title(self, article: Article) -> str:
        """Plain text: Django's default escapes titles twice, which aggregators show as "&amp;"."""
        return article.title

    def item_description(self, article: Article) -> str:
        return article.excerpt

    def item_pubdate(self, article: Article) -> datetime | None:
        return article.published_at

    def item_updateddate(self, article: Article) -> datetime:
        return article.updated_at

    def item_author_name(self, article: Article) -> str:
        names = [byline.author.public_name for byline in article.bylines.all()]
        return ", ".join(names) or _("Редакция")

    def item_categories(self, article: Article) -> list[str]:
        return [article.shown_rubric.name]

    def item_guid(self, article: Article) -> str:
        """
        The primary key, not the address: an item keeps its identity through any edit, so an
        aggregator replaces it instead of showing it twice.
        """
        return f"urn:newsroom:article:{article.pk}"

    def item_guid_is_permalink(self, article: Article) -> bool:
        return False

    def get_feed(self, obj, request):
        """Django makes item links absolute, but not enclosure URLs: do it for those too."""
        feed = super().get_feed(obj, request)
        for item in feed.items:
            for enclosure in item["enclosures"]:
                enclosure.url = request.build_absolute_uri(enclosure.url)
        return feed


class ArticleFeed(ArticleItemsFeed):
    """The newest published articles of the whole site, its own and those placed on it."""

    def title(self) -> str:
        return current_site().name

    def link(self) -> str:
        return reverse("articles:home")

    def description(self) -> str:
        return _("Последние новости издания «%(name)s»") % {"name": current_site().name}

    def items(self) -> QuerySet[Article]:
        return items_of_site(Article.objects.published_on(current_site()))


class RubricFeed(ArticleItemsFeed):
    def page_cache_partition(self, site_partition: str, slug: str) -> str:
        """The rubric's page's partition: the feed changes with the same articles."""
        return list_page_partition(site_partition, ListKind.RUBRIC, slug)

    def get_object(self, request: HttpRequest, slug: str) -> Rubric:
        return get_object_or_404(Rubric, slug=slug)

    def title(self, rubric: Rubric) -> str:
        return f"{rubric.name} — {current_site().name}"

    def link(self, rubric: Rubric) -> str:
        return rubric.get_absolute_url()

    def description(self, rubric: Rubric) -> str:
        return rubric.description or _("Новости рубрики «%(rubric)s»") % {"rubric": rubric.name}

    def items(self, rubric: Rubric) -> QuerySet[Article]:
        return items_of_site(Article.objects.published_on(current_site()).in_rubric_on(rubric))


class RegionFeed(ArticleItemsFeed):
    """A region's feed includes the news of every region below it, like the region's page."""

    def page_cache_partition(self, site_partition: str, slug: str) -> str:
        return list_page_partition(site_partition, ListKind.REGION, slug)

    def get_object(self, request: HttpRequest, slug: str) -> Region:
        return get_object_or_404(Region, slug=slug)

    def title(self, region: Region) -> str:
        return f"{region.name} — {current_site().name}"

    def link(self, region: Region) -> str:
        return region.get_absolute_url()

    def description(self, region: Region) -> str:
        return _("Новости: %(region)s") % {"region": region.name}

    def items(self, region: Region) -> QuerySet[Article]:
        return items_of_site(Article.objects.published_on(current_site()).in_region(region))


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


class AggregatorFeed(ArticleFeed):
    """Aggregators reject a story they already have from another site: only the articles whose
    primary site this is, in the rubric they were written under."""

    def items(self) -> QuerySet[Article]:
        articles = Article.objects.published().primary_on(current_site())
        return articles.for_syndication().order_by("-published_at", "-pk")[:FEED_LENGTH]

    def get_feed(self, obj, request):
        """The full texts with their photos as `<figure><img>` on absolute addresses: every
        photo of the feed's bodies in one query, none when no body has a photo."""
        feed = super().get_feed(obj, request)
        images = images_for(item["full_text"] for item in feed.items)
        for item in feed.items:
            item["full_text"] = render_feed_body(
                item["full_text"], images, absolute=request.build_absolute_uri
            )
        return feed


class YandexNewsFeed(AggregatorFeed):
    feed_type = YandexNewsRss

    def item_enclosures(self, article: Article) -> list[feedgenerator.Enclosure]:
        return cover_enclosures(article)

    def item_extra_kwargs(self, article: Article) -> dict[str, str]:
        return {"full_text": article.body}


class DzenFeed(AggregatorFeed):
    """Dzen takes the last three days only, at most 500 items, with covers 400 px wide or more."""

    feed_type = DzenRss

    def items(self) -> QuerySet[Article]:
        recent = (
            Article.objects.published()
            .primary_on(current_site())
            .filter(published_at__gte=timezone.now() - DZEN_WINDOW)
        )
        return recent.for_syndication().order_by("-published_at", "-pk")[:DZEN_FEED_LENGTH]

    def item_enclosures(self, article: Article) -> list[feedgenerator.Enclosure]:
        return cover_enclosures(article, min_width=DZEN_MIN_IMAGE_WIDTH)

    def item_extra_kwargs(self, article: Article) -> dict[str, str]:
        adult = article.age_mark == AgeMark.EIGHTEEN
        return {"full_text": article.body, "rating": "adult" if adult else "nonadult"}
