"""The article page's parts as a fragment: rendered once per version of the article, site and
address it is read at, so that a page the page cache misses reads one short row of the article
and takes the rest from the cache.

The parts (`ArticlePageParts`) are everything the page shows of the article: its head tags,
breadcrumbs, and the article itself, from the headline to the tags. Their key holds what they
show that can change: the article's version, which every save through `editorial.services`
raises (text, photo, byline, tags, regions, age mark, address, primary site), the rubric the site
shows it under, the site, the scheme and host the page is read at (its absolute links and the
canonical address), whether the sites' photos still wait for their renditions, and the global
generation (a renamed rubric, tag, region or author, a changed site). What depends on the reader
(the 18+ gate) and the recent-news column are not in them.
"""

import functools
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections, router
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from network.hosts import current_site, photos_pending, site_by_id
from newsroom import fragments
from newsroom.slugs import slug_address

from .models import Article, visible_to_readers

PARTS_TEMPLATE = "articles/includes/article_parts.html"
# Between the parts of a template that renders several at once (this page's, the site's
# chrome): one render costs less than one each. Only the last part could hold it (what editors
# type is escaped, and the body's sanitiser drops comments; the body comes last).
PART_MARK = "<!-- part -->"
# Stand-ins for a request's own values in the query of `find_article_page_ref`, compiled once:
# found by value among its parameters and replaced by the request's.
SITE_STAND_IN = -1
SLUG_STAND_IN = "\x00slug"
NOW_STAND_IN = datetime(1, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ArticlePageRef:
    """What the article page needs before its parts: whether the site carries the article,
    where it lives, its age mark, and what names its stored parts. A row of
    `ArticleQuerySet.for_article_page_ref()`."""

    pk: int
    version: int
    site_id: int
    slug: str
    age_mark: str
    shown_rubric_id: int
    is_placed: bool  # on the site being shown

    @classmethod
    def of_row(cls, row: tuple) -> "ArticlePageRef":
        pk, version, site_id, slug, age_mark, rubric_id, placement_id, placement_rubric_id = row
        placed = placement_id is not None
        shown_rubric_id = placement_rubric_id if placed else rubric_id
        return cls(pk, version, site_id, slug, age_mark, shown_rubric_id, placed)

    def get_absolute_url(self) -> str:
        return slug_address("articles:detail", self.slug)

    def is_carried_by(self, site) -> bool:
        """As `Article.is_carried_by`."""
        return self.site_id == site.pk or self.is_placed


def find_article_page_ref(site, slug: str) -> ArticlePageRef | None:
    """The article at `slug` that readers may see (`visible_to_readers`), as
    `for_article_page_ref()` reads it on `site`; None when there is none.

    The query is built and compiled once, and run with the request's site, slug and time:
    building and compiling it cost the app server more than running it and everything else the
    view does on a page miss.
    """
    sql, params = _article_page_ref_query()
    values = {SITE_STAND_IN: site.pk, SLUG_STAND_IN: slug, NOW_STAND_IN: timezone.now()}
    with connections[router.db_for_read(Article)].cursor() as cursor:
        cursor.execute(sql, [values.get(param, param) for param in params])
        row = cursor.fetchone()
    return ArticlePageRef.of_row(row) if row is not None else None


@functools.cache
def _article_page_ref_query() -> tuple[str, tuple]:
    articles = (
        Article.objects.filter(visible_to_readers(at=NOW_STAND_IN))
        .for_article_page_ref(SITE_STAND_IN)
        .filter(slug=SLUG_STAND_IN)
        .order_by()[:1]
    )
    sql, params = articles.query.sql_with_params()
    stand_ins = {SITE_STAND_IN, SLUG_STAND_IN, NOW_STAND_IN}
    if sum(param in stand_ins for param in params) != len(stand_ins):
        raise RuntimeError(f"The article page's query no longer takes each stand-in once: {sql}")
    return sql, params


@dataclass(frozen=True)
class ArticlePageParts:
    title: str
    description: str
    meta: SafeString
    breadcrumbs: SafeString
    main: SafeString  # what goes inside the page's <article> element


def stored_parts(request, ref: ArticlePageRef, canonical_url: str) -> ArticlePageParts:
    """The parts from the cache, or rendered from one query for the article and stored."""
    site = current_site()
    address = (request.scheme, request.get_host())
    part = (ref.pk, ref.version, site.pk, ref.shown_rubric_id, *address, photos_pending())

    def render() -> ArticlePageParts:
        article = Article.objects.for_article_page(site).get(pk=ref.pk)
        return rendered_parts(request, article, canonical_url)

    return fragments.cached_one(request, "article-page", part, render, site_wide=False)


def rendered_parts(request, article: Article, canonical_url: str) -> ArticlePageParts:
    """The parts of an article read by `for_article_page()`, rendered at once with what they
    show (no context processor runs for them)."""
    site, primary_site = current_site(), site_by_id(article.site_id)
    context = {
        "request": request,
        "publication": site,
        "article": article,
        "canonical_url": canonical_url,
        "primary_site": primary_site if primary_site != site else None,
    }
    meta, breadcrumbs, main = render_to_string(PARTS_TEMPLATE, context).split(PART_MARK, 2)
    return ArticlePageParts(
        title=article.title,
        description=article.excerpt,
        meta=mark_safe(meta),
        breadcrumbs=mark_safe(breadcrumbs),
        main=mark_safe(main),
    )
