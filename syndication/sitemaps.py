"""Sitemaps: every page worth indexing for /sitemap.xml, and the Google News sitemap."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery, Value
from django.utils import timezone

from articles.models import Article, Placement, Rubric, Tag, TaggedArticle, visible_to_readers
from articles.pagination import SkipByIdPaginator
from network.hosts import current_site
from regions.models import Region

NEWS_WINDOW = timedelta(hours=48)
NEWS_SITEMAP_LENGTH = 1000


def newest_publication(articles):
    """When the newest of these articles came out: a subquery that reads one index entry."""
    return Subquery(articles.order_by("-published_at").values("published_at")[:1])


class ArticleSitemap(Sitemap):
    @property
    def paginator(self):
        """The last of a million articles' sitemap pages would read 950 000 skipped rows."""
        return SkipByIdPaginator(self.items(), self.limit)

    def items(self):
        """Only the site's own articles: another site's copy points its canonical link there."""
        return (
            Article.objects.published()
            .primary_on(current_site())
            .only("slug", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        articles = Article.objects.published().primary_on(current_site())
        return articles.aggregate(latest=Max("updated_at"))["latest"]


class RubricSitemap(Sitemap):
    """A rubric page changes when an article comes out in it (or the rubric is renamed)."""

    def items(self):
        on_site = Placement.objects.filter(
            visible_to_readers(at=timezone.now(), via="article__"),
            site=current_site(),
            is_listed=True,
            rubric=OuterRef("pk"),
        )
        return Rubric.objects.annotate(newest_publication=newest_publication(on_site)).only(
            "slug", "updated_at"
        )

    def lastmod(self, rubric):
        return max(filter(None, [rubric.updated_at, rubric.newest_publication]))


class RegionSitemap(Sitemap):
    """No lastmod: a region page shows its sub-regions' news too, which no column dates."""

    def items(self):
        return Region.objects.only("slug")


class TagSitemap(Sitemap):
    """Only tags on published articles: a tag typed into a draft would otherwise announce an
    embargoed story.

    No lastmod, like regions: dating every tag by its newest article costs a scan per tag, while
    whether a tag has one published article at all is one index probe.

    The probe is a scalar subquery with LIMIT 1, not EXISTS: PostgreSQL turns an EXISTS into a
    join of every tag link with every published article (2.2 million links, nearly a second at
    a million articles), but runs a scalar subquery per tag, stopping at its first published
    article (7 ms for 4 351 tags). The rule of `published()` is applied through the link
    (`visible_to_readers(via=...)`): written from the article's side, the probe walks the newest
    articles looking for the tag, which for a tag no article carries means all of them.
    """

    def items(self):
        first_published_use = TaggedArticle.objects.filter(
            visible_to_readers(at=timezone.now(), via="content_object__"),
            tag=OuterRef("pk"),
        ).values(used=Value(True))[:1]
        return (
            Tag.objects.alias(published_use=Subquery(first_published_use))
            .filter(published_use=True)
            .only("slug")
            .order_by("pk")
        )


class NewsSitemap(Sitemap):
    """Google News: articles of the last 48 hours, at most 1000 (Google's limits)."""

    limit = NEWS_SITEMAP_LENGTH

    def items(self):
        return (
            Article.objects.published()
            .primary_on(current_site())
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .only("slug", "title", "published_at")
            .order_by("-published_at", "-pk")[:NEWS_SITEMAP_LENGTH]
        )


SITEMAPS = {
    "articles": ArticleSitemap,
    "rubrics": RubricSitemap,
    "regions": RegionSitemap,
    "tags": TagSitemap,
}
