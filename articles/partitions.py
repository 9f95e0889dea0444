"""The page cache's partitions of the articles' pages (`newsroom.pagecache`).

A site's pages are kept in its partition (`network.models.cache_partition`), which every
publication on the site bumps: the home page, the archive, search, the site's feed and its
sitemaps show any article. Pages that change with fewer things keep partitions of their own,
and `editorial.services` bumps those of every page an article is on, before and after a change:

- an article's pages, on every site that carries it: they change with the article and its
  placements (the recent-news column beside it is filled in late, `articles.recent`);
- a list's pages on one site (a rubric's, a tag's, a region's, an author's, and the rubric's
  and region's feeds): they change with the articles entering, leaving or changing in that
  list. A region's list holds the news of every region below it, so an article is on the lists
  of its regions and of all their ancestors.

What every page shows (rubric names, regions, tags, bylines) bumps the global generation, which
is part of every page's key; a renamed slug is such a change, so partitions may be named by slug.
"""

import functools
from collections.abc import Collection

from django.db import connection

from network.models import cache_partition


class ListKind:
    RUBRIC = "rubric"
    TAG = "tag"
    REGION = "region"
    AUTHOR = "author"


def article_page_partition(slug: str) -> str:
    return f"article-{slug}"


def list_page_partition(site_partition: str, kind: str, slug: str) -> str:
    """The partition of a list's pages on a site (named by the site's partition)."""
    return f"{site_partition}:{kind}-{slug}"


def list_partitions_of(
    article_ids: Collection[int], *, site_ids: Collection[int] | None = None
) -> set[str]:
    """The partitions of the lists the articles are on, on the sites that carry them (or on
    `site_ids` of those), as the database holds them now: one query.

    For several articles, each one's tags, regions and authors are counted on every site that
    carries any of them: a few lists more are made stale, none is missed.
    """
    if not article_ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            _lists_of_articles_sql(),
            {"articles": list(article_ids), "sites": None if site_ids is None else list(site_ids)},
        )
        return {
            list_page_partition(cache_partition(site_id), kind, slug)
            for site_id, kind, slug in cursor.fetchall()
        }


@functools.cache
def _lists_of_articles_sql() -> str:
    from regions.models import Region
    from staff.models import StaffProfile

    from .models import Article, ArticleAuthor, Placement, Rubric, Tag, TaggedArticle

    placement, rubric = Placement._meta.db_table, Rubric._meta.db_table
    region, region_link = Region._meta.db_table, Article.regions.through._meta.db_table
    tag, tag_link = Tag._meta.db_table, TaggedArticle._meta.db_table
    author, byline = StaffProfile._meta.db_table, ArticleAuthor._meta.db_table
    return f"""
        WITH RECURSIVE placed AS (
            SELECT site_id, rubric_id FROM "{placement}"
            WHERE article_id = ANY(%(articles)s)
                AND (%(sites)s::integer[] IS NULL OR site_id = ANY(%(sites)s::integer[]))
        ), tree(id) AS (
            SELECT region_id FROM "{region_link}" WHERE article_id = ANY(%(articles)s)
            UNION
            SELECT r.parent_id FROM "{region}" r JOIN tree ON r.id = tree.id
            WHERE r.parent_id IS NOT NULL
        ), subjects(kind, slug) AS (
            SELECT '{ListKind.REGION}', r.slug FROM "{region}" r JOIN tree ON r.id = tree.id
            UNION ALL
            SELECT '{ListKind.TAG}', t.slug FROM "{tag}" t JOIN "{tag_link}" l ON l.tag_id = t.id
            WHERE l.content_object_id = ANY(%(articles)s)
            UNION ALL
            SELECT '{ListKind.AUTHOR}', a.slug FROM "{author}" a
            JOIN "{byline}" b ON b.author_id = a.id WHERE b.article_id = ANY(%(articles)s)
        )
        SELECT p.site_id, '{ListKind.RUBRIC}', r.slug FROM placed p
        JOIN "{rubric}" r ON r.id = p.rubric_id
        UNION
        SELECT s.site_id, subjects.kind, subjects.slug
        FROM (SELECT DISTINCT site_id FROM placed) s CROSS JOIN subjects
    """
