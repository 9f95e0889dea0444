"""Every write of an article goes through here: the admin's form, its buttons and list actions,
the importer, restoring a revision and the demo seed.

Each function runs in one transaction and records one revision per article it saves (the
importer's `save_articles_in_bulk` too, in bulk). What follows from the fields
(clean plain text, address, age mark, publication time, excerpt, search words, the old
address's redirect, the version) is computed once, here; side effects (the page cache's
generation, the presence hint) wait for the commit.
"""

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from articles.models import (
    EXCERPT_LENGTH,
    LISTED,
    PLAIN_TEXT_FIELDS,
    PUBLIC_ADDRESS_STATUSES,
    Article,
    ArticleAuthor,
    ArticleSlugRedirect,
    Placement,
    Rubric,
    Tag,
    TaggedArticle,
)
from articles.partitions import article_page_partition, list_partitions_of
from articles.search import lemmatise
from network import hosts
from network.models import Site, cache_partition
from newsroom.pagecache import bump_generation
from newsroom.slugs import unique_slug
from newsroom.text import excerpt, html_to_text, strip_control_characters
from photos.models import Image
from regions.models import Region
from staff.models import StaffProfile

from . import permissions, presence, revisions, workflow
from .models import ArticleTransition
from .permissions import RequestUser

# Articles per round of inserts in `save_articles_in_bulk`: a few thousand rows per query.
BULK_BATCH_SIZE = 500
# A bulk save of at least this many articles has PostgreSQL's statistics refreshed after it.
STATISTICS_REFRESH_ARTICLES = 1000
LISTED_EXPRESSION = ExpressionWrapper(LISTED, output_field=BooleanField())
Action = ArticleTransition.Action


class ActionRefused(workflow.TransitionRefused):
    """The user may not trash, restore or delete this article; the message says why."""


@dataclass(frozen=True)
class StoredArticle:
    """The article's row as it was before this save, read under a lock."""

    slug: str
    status: str
    is_listed: bool
    version: int
    site_id: int


def save_article(
    *,
    article: Article,
    user: RequestUser | None,
    regions: Iterable[Region] | None = None,
    tags: Iterable[str | Tag] | None = None,
    authors: Sequence[StaffProfile] | None = None,
    action: str | None = None,
    comment: str = "",
    revision_comment: str = "",
) -> Article:
    """Create or change an article, optionally taking a workflow step (`action`) with it.

    `regions`, `tags` and `authors` (the byline, in order) replace the article's own when given
    and are left as they are when None. The step is checked against the regions the article is
    saved with; `workflow.TransitionRefused` says why a step is refused. Callers validate the
    fields (a form or `full_clean()`) first.
    """
    staff_user = user if user is not None and user.is_authenticated else None
    regions = list(regions) if regions is not None else None
    with transaction.atomic():
        before = _stored(article)
        lists_before = _lists_of(article) if before is not None and before.is_listed else set()
        if before is None and article.created_by_id is None:
            article.created_by = staff_user
        article.updated_by = staff_user
        step = None
        if action:
            assert user is not None, "A workflow step is taken by a user."
            step = workflow.apply_transition(
                article,
                action,
                user=user,
                comment=comment,
                regions=regions,
            )
        label = revision_comment or (step.get_action_display().capitalize() if step else "")
        with revisions.recording(user=user, comment=label):
            if article.site_id is None:
                article.site = hosts.current_site()
            _fill_derived_fields(article, before)
            article.save()
            sites = _update_placements(article, before)
            _keep_old_address(article, before)
            if regions is not None:
                article.regions.set(regions)
            if tags is not None:
                article.tags.set(list(tags))
            if authors is not None:
                _set_byline(article, authors)
            if any(relation is not None for relation in (regions, tags, authors)):
                revisions.store_with_relations(article)
            if step is not None:
                step.article = article
                step.save()
        if article.is_listed or lists_before:
            _refresh_pages_of(
                sites,
                article_slugs=[article.slug, before.slug if before else ""],
                lists=lists_before | (_lists_of(article) if article.is_listed else set()),
            )
        if staff_user is not None:
            transaction.on_commit(lambda: presence.note_closed(article, staff_user))
    return article


@dataclass
class NewArticle:
    """An article to create with `save_articles_in_bulk`, with what `save_article` would be
    given for it, and the other sites that carry it (`place_article`'s `sites`)."""

    article: Article
    regions: Sequence[Region] = ()
    tags: Sequence[Tag] = ()
    authors: Sequence[StaffProfile] = ()
    also_on: Sequence[Site] = ()


def save_articles_in_bulk(
    *,
    articles: Iterable[NewArticle],
    user: RequestUser | None,
    revision_comment: str = "",
    batch_size: int = BULK_BATCH_SIZE,
) -> list[Article]:
    """Create many articles as `save_article` (then `place_article` with `also_on`) creates
    each: the same derived fields, placements, links and one revision apiece, in a constant
    number of queries per `batch_size` articles.

    For the importer, which checks every article first (`full_clean()`) and passes only new
    ones, each with its own slug: addresses are not invented here, since two articles of one
    call could be given the same. `articles` is read a batch at a time, so it may be a
    generator. The page cache's global generation is bumped once, after the commit.
    """
    created: list[Article] = []
    sites: set[int] = set()
    with transaction.atomic():
        pending = iter(articles)
        while batch := list(itertools.islice(pending, batch_size)):
            created += _create_batch(batch, user=user, comment=revision_comment, sites=sites)
        if sites:
            # Every page: the lists a whole archive joins are most of them, and finding each
            # (`articles.partitions`) would cost a query per batch and a bump per list.
            transaction.on_commit(bump_generation)
        if len(created) >= STATISTICS_REFRESH_ARTICLES:
            transaction.on_commit(_refresh_statistics)
    return created


def _refresh_statistics() -> None:
    """ANALYZE the tables a large import filled: until autovacuum gets to them, PostgreSQL
    plans reader pages with the statistics of the tables before the import, and a district's
    archive moved in at once served its pages several times slower (bench.peers saw 4×)."""
    models = [Article, Placement, Article.regions.through, ArticleAuthor, TaggedArticle, Version]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _create_batch(
    batch: Sequence[NewArticle], *, user: RequestUser | None, comment: str, sites: set[int]
) -> list[Article]:
    staff_user = user if user is not None and user.is_authenticated else None
    region_links: list[Any] = []
    for item in batch:
        article = item.article
        if article.pk is not None or not article.slug:
            raise ValueError("Only new articles with a slug are saved in bulk.")
        article.created_by = article.updated_by = staff_user
        if article.site_id is None:
            article.site = hosts.current_site()
        _fill_derived_fields(article, None)
        region_links += [
            Article.regions.through(article=article, region=region)
            for region in dict.fromkeys(item.regions)
        ]
    created = Article.objects.bulk_create(item.article for item in batch)
    region_ids: dict[int, list[int]] = {article.pk: [] for article in created}
    for link in region_links:
        region_ids[link.article.pk].append(link.region.pk)
    ArticleSlugRedirect.objects.filter(old_slug__in=[a.slug for a in created]).delete()
    placements = Placement.objects.bulk_create(_new_placements(batch))
    # The terms are generated by PostgreSQL as the articles are inserted: the placements' copy
    # (the site's search index) is taken from there, as `_update_placements` does for one.
    Placement.objects.filter(article__in=created).update(
        search_terms=Subquery(
            Article.objects.filter(pk=OuterRef("article_id")).values("search_terms")
        )
    )
    Article.regions.through.objects.bulk_create(region_links)
    tagged = TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=item.article, tag=tag)
        for item in batch
        for tag in dict.fromkeys(item.tags)
    )
    bylines = ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=item.article, author=author, order=order)
        for item in batch
        for order, author in enumerate(dict.fromkeys(item.authors))
    )
    revisions.record_first_revisions(
        articles=created,
        regions=region_ids,
        bylines=bylines,
        tagged=tagged,
        user=user,
        comment=comment,
    )
    sites.update(placement.site_id for placement in placements if placement.is_listed)
    return created


def tags_named(names: Iterable[str]) -> dict[str, Tag]:
    """The tags with these names in any letter case, by lowercased name; missing ones are made.

    Taggit's own lookup (`TAGGIT_CASE_INSENSITIVE`) in one query instead of one per name.
    """
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(name.lower(), name)
    if not wanted:
        return {}
    anyof = Q()
    for name in wanted.values():
        anyof |= Q(name__iexact=name)
    found = {tag.name.lower(): tag for tag in Tag.objects.filter(anyof).order_by("-pk")}
    for key, name in wanted.items():
        if key not in found:
            found[key] = Tag.objects.create(name=name)
    return {key: found[key] for key in wanted}


def _new_placements(articles: Sequence[NewArticle]) -> Iterator[Placement]:
    """The primary site's placement, as `_update_placements` makes it for a new article, and
    one per other site, as `place_article` adds them."""
    for item in articles:
        article = item.article
        copies = {"published_at": article.published_at, "is_listed": article.is_listed}
        yield Placement(
            article=article,
            site_id=article.site_id,
            rubric_id=article.rubric_id,
            is_featured=article.is_featured,
            placed_by=article.updated_by,
            **copies,
        )
        others = dict.fromkeys(site.pk for site in item.also_on if site.pk != article.site_id)
        for site_id in others:
            yield Placement(article=article, site_id=site_id, rubric_id=article.rubric_id, **copies)


def take_step(*, article: Article, action: str, user: RequestUser, comment: str = "") -> Article:
    """One workflow step (submit, publish, return, unpublish) for a stored article."""
    with transaction.atomic():
        current = _locked(article)
        return save_article(article=current, user=user, action=action, comment=comment)


def move_to_trash(*, article: Article, user: RequestUser) -> Article:
    """Readers get 410 Gone for the article until someone restores it."""
    with transaction.atomic():
        current = _locked(article)
        if not permissions.can_trash(user, current):
            raise ActionRefused(_("У вас нет права удалить эту статью."))
        # Only a signed-in user passes `can_trash`: an anonymous one is never stored.
        current.deleted_at = timezone.now()
        current.deleted_by = user if user.is_authenticated else None
        return _save_with_record(current, user=user, action=Action.TRASH)


def restore_from_trash(*, article: Article, user: RequestUser) -> Article:
    with transaction.atomic():
        current = _locked(article)
        if not permissions.can_restore(user, current):
            raise ActionRefused(_("У вас нет права восстановить эту статью."))
        current.deleted_at, current.deleted_by = None, None
        return _save_with_record(current, user=user, action=Action.RESTORE)


def empty_trash(*, articles: Iterable[Article], user: RequestUser) -> int:
    """Delete trashed articles for good; refuse all if any is not the user's to delete.

    Readers already get 410 for them, and no cached page lists them: nothing to invalidate.
    """
    articles = list(articles)
    with transaction.atomic():
        for article in articles:
            if not permissions.can_empty_trash(user, article):
                raise ActionRefused(
                    _("Статью «%(title)s» удалить навсегда нельзя.") % {"title": article.title}
                )
        Article.objects.filter(pk__in=[article.pk for article in articles]).delete()
    return len(articles)


def restore_revision(
    *,
    article: Article,
    version: Version,
    user: RequestUser,
    fields: Iterable[str] = revisions.RESTORABLE,
) -> Article:
    """Copy an old revision's content back onto the article and save it as a new revision.

    Only `fields` (names from `revisions.RESTORABLE`) are copied; a rubric, region, author or
    cover image that no longer exists is left as it is now. Status, publication time, address
    and age mark are never copied, so a restore cannot publish. The version rises, so an
    editor still holding the previous one is refused. Raises ValidationError if the old content
    no longer validates, RevertError if it cannot be read.
    """
    if int(version.object_id) != article.pk:
        raise ValueError("The version belongs to another article.")
    fields = set(fields) & set(revisions.RESTORABLE)
    old = revisions.snapshot(version)
    with transaction.atomic():
        current = _locked(article)
        for name in revisions.TEXT_FIELDS:
            if name in fields and name in old.fields:
                setattr(current, name, old.fields[name] or "")
        cover_id: int | None = old.fields.get("cover_id")
        if "cover" in fields and (cover_id is None or Image.objects.filter(pk=cover_id).exists()):
            current.cover_id = cover_id
        rubric_id: int | None = old.fields.get("rubric_id")
        if (
            "rubric" in fields
            and rubric_id is not None
            and Rubric.objects.filter(pk=rubric_id).exists()
        ):
            current.rubric_id = rubric_id
        current.full_clean()
        return save_article(
            article=current,
            user=user,
            regions=Region.objects.filter(pk__in=old.region_ids) if "regions" in fields else None,
            tags=_tags_to_restore(old.tags) if "tags" in fields else None,
            authors=_authors_to_restore(old.bylines) if "bylines" in fields else None,
            revision_comment=revisions.restore_comment(version),
        )


def _save_with_record(article: Article, *, user: RequestUser, action: str) -> Article:
    """Trash and restore keep the status; the step is recorded beside the others."""
    with transaction.atomic():
        save_article(article=article, user=user, revision_comment=Action(action).label.capitalize())
        ArticleTransition.objects.create(
            article=article,
            action=action,
            from_status=article.status,
            to_status=article.status,
            user=user if user.is_authenticated else None,
        )
    return article


def place_article(
    *,
    article: Article,
    sites: Iterable[Site],
    user: RequestUser | None,
    rubric: Rubric | None = None,
    is_featured: bool = False,
) -> list[Placement]:
    """Carry the article on more sites (the oblast desk pushing, a district picking it up).

    A site that already carries it keeps its placement as it is. `rubric` is the rubric the
    article is shown under there (None: its own); `is_featured` puts it at the top of those
    sites' home pages. Raises ActionRefused when the user may not place it on one of the sites.
    """
    staff_user = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        current = _locked(article)
        wanted = [site for site in sites if site.pk != current.site_id]
        if user is not None:
            for site in wanted:
                if not permissions.can_place(user, current, site):
                    raise ActionRefused(
                        _("У вас нет права размещать статьи на сайте «%(site)s».")
                        % {"site": site.name}
                    )
        carried = set(current.placements.values_list("site_id", flat=True))
        added = Placement.objects.bulk_create(
            Placement(
                article=current,
                site=site,
                chosen_rubric=rubric,
                rubric=rubric or current.rubric,
                is_featured=is_featured,
                published_at=current.published_at,
                is_listed=current.is_listed,
                search_terms=current.search_terms,
                placed_by=staff_user,
            )
            for site in wanted
            if site.pk not in carried
        )
        if current.is_listed and added:
            carrying_now = {placement.site_id for placement in added}
            _refresh_pages_of(
                carrying_now,
                article_slugs=[current.slug],
                lists=list_partitions_of([current.pk], site_ids=carrying_now),
            )
    return added


def place_on_network(
    *, article: Article, user: RequestUser | None, rubric: Rubric | None = None
) -> list[Placement]:
    """Carry the article on every site of the network (the network desk's push)."""
    return place_article(article=article, sites=Site.objects.all(), user=user, rubric=rubric)


def change_placement(
    *, placement: Placement, user: RequestUser | None, rubric: Rubric | None, is_featured: bool
) -> Placement:
    """The rubric and "главная" flag of the article on one of the sites that carry it."""
    with transaction.atomic():
        placement = (
            Placement.objects.select_for_update()
            .select_related("article", "site")
            .get(pk=placement.pk)
        )
        if user is not None and not permissions.can_place(user, placement.article, placement.site):
            raise ActionRefused(_("У вас нет права менять размещения на этом сайте."))
        lists_before = _lists_of(placement.article, site_id=placement.site_id)
        placement.chosen_rubric = rubric
        placement.rubric_id = rubric.pk if rubric else placement.article.rubric_id
        if placement.site_id != placement.article.site_id:
            placement.is_featured = is_featured
        placement.save(update_fields=["chosen_rubric", "rubric", "is_featured"])
        if placement.is_listed:
            _refresh_pages_of(
                {placement.site_id},
                article_slugs=[placement.article.slug],
                lists=lists_before | _lists_of(placement.article, site_id=placement.site_id),
            )
    return placement


def remove_placement(*, placement: Placement, user: RequestUser | None) -> None:
    """Take the article off one site; its primary site's placement cannot be removed."""
    with transaction.atomic():
        placement = (
            Placement.objects.select_for_update()
            .select_related("article", "site")
            .get(pk=placement.pk)
        )
        if placement.site_id == placement.article.site_id:
            raise ActionRefused(
                _("С основного сайта статью не убрать размещением: снимите её с публикации.")
            )
        if user is not None and not permissions.can_remove_placement(user, placement):
            raise ActionRefused(
                _("У вас нет права убирать статьи с сайта «%(site)s».")
                % {"site": placement.site.name}
            )
        lists = _lists_of(placement.article, site_id=placement.site_id)
        placement.delete()
        if placement.is_listed:
            _refresh_pages_of(
                {placement.site_id}, article_slugs=[placement.article.slug], lists=lists
            )


def _update_placements(article: Article, before: StoredArticle | None) -> set[int]:
    """Keep the placements' copies of the article's time, state, rubric and search terms;
    returns the sites that carry it. A new article, or one moved to another primary site, is
    placed there.

    The terms are generated by the database when the article is written, so they are copied
    from its row in the same statement.
    """
    if before is None or before.site_id != article.site_id:
        Placement.objects.get_or_create(
            article=article,
            site_id=article.site_id,
            defaults={"rubric_id": article.rubric_id, "placed_by": article.updated_by},
        )
    Placement.objects.filter(article=article).update(
        published_at=article.published_at,
        is_listed=article.is_listed,
        rubric_id=Coalesce(F("chosen_rubric_id"), Value(article.rubric_id)),
        is_featured=Case(
            When(site_id=article.site_id, then=Value(article.is_featured)),
            default=F("is_featured"),
        ),
        search_terms=Subquery(Article.objects.filter(pk=article.pk).values("search_terms")),
    )
    return set(article.placements.values_list("site_id", flat=True))


def _refresh_pages_of(
    site_ids: Iterable[int], *, article_slugs: Iterable[str] = (), lists: Iterable[str] = ()
) -> None:
    """The cached pages of these sites, those of the articles at these addresses and those of
    these lists (`articles.partitions`) go stale once the change commits."""
    partitions = [
        *(cache_partition(site_id) for site_id in site_ids),
        *(article_page_partition(slug) for slug in set(article_slugs) if slug),
        *lists,
    ]
    if partitions:
        transaction.on_commit(lambda: bump_generation(partitions))


def _lists_of(article: Article, *, site_id: int | None = None) -> set[str]:
    """The partitions of the lists the article is on now, on its sites or on one of them."""
    return list_partitions_of([article.pk], site_ids=None if site_id is None else [site_id])


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update(of=("self",)).get(pk=article.pk)


def _stored(article: Article) -> StoredArticle | None:
    if article.pk is None:
        return None
    row = (
        Article.objects.select_for_update(of=("self",))
        .filter(pk=article.pk)
        .values("slug", "status", "version", "site_id", is_listed=LISTED_EXPRESSION)
        .first()
    )
    return StoredArticle(**row) if row else None


def derived_text(*, title: str, lead: str, body: str) -> dict[str, str]:
    """The excerpt and the search words stored beside an article's text (body sanitised)."""
    return {
        "excerpt": excerpt(lead or body, EXCERPT_LENGTH),
        "search_title": lemmatise(title),
        "search_lead": lemmatise(lead),
        "search_body": lemmatise(html_to_text(body)),
    }


def _fill_derived_fields(article: Article, before: StoredArticle | None) -> None:
    for name in PLAIN_TEXT_FIELDS:
        setattr(article, name, strip_control_characters(getattr(article, name)))
    if not article.slug:
        article.slug = unique_slug(
            Article,
            article.title,
            exclude_pk=article.pk,
            reserved=ArticleSlugRedirect.slugs_starting_with,
        )
    if not article.age_mark and article.rubric_id:
        article.age_mark = article.rubric.default_age_mark
    article.fill_publication_time()
    body = Article._meta.get_field("body").sanitize_on(article)
    for name, value in derived_text(title=article.title, lead=article.lead, body=body).items():
        setattr(article, name, value)
    article.version = before.version + 1 if before is not None else 1


def _keep_old_address(article: Article, before: StoredArticle | None) -> None:
    """A changed public address keeps answering with a 301; the live one never redirects."""
    old_slug = (
        before.slug if before is not None and before.status in PUBLIC_ADDRESS_STATUSES else None
    )
    if old_slug == article.slug:
        return
    ArticleSlugRedirect.objects.filter(old_slug=article.slug).delete()
    if old_slug:
        ArticleSlugRedirect.objects.update_or_create(
            old_slug=old_slug, defaults={"article": article}
        )


def _set_byline(article: Article, authors: Sequence[StaffProfile]) -> None:
    wanted = [author.pk for author in authors]
    if list(article.bylines.values_list("author_id", flat=True)) == wanted:
        return
    article.bylines.all().delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=article, author_id=author_id, order=order)
        for order, author_id in enumerate(wanted)
    )


def _tags_to_restore(tags: list[tuple[int, str]]) -> list[str | Tag]:
    """The same tags; one deleted since is made again from its stored name."""
    existing = Tag.objects.in_bulk([pk for pk, _name in tags])
    return [existing.get(pk) or name for pk, name in tags if pk in existing or name]


def _authors_to_restore(bylines: list[tuple[int, int]]) -> list[StaffProfile]:
    authors = StaffProfile.objects.in_bulk([pk for pk, _order in bylines])
    return [authors[author_id] for author_id, _order in bylines if author_id in authors]
