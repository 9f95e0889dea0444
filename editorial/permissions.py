"""Who may do what to an article: the one set of rules the admin, its actions and services ask.

Django's model permissions say what a role may do at all; these functions add what depends on the
article itself: who wrote it, its status, and whether its regions are in the editor's desk.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User

from articles.models import Article, Placement
from network import hosts
from network.models import Site
from regions.models import Region

# Whoever asks: `request.user`, signed in or not (scripts pass a user or None to the services).
RequestUser = User | AnonymousUser

AUTHOR_EDITABLE_STATUSES = {Article.Status.DRAFT, Article.Status.RETURNED}
# The attribute that keeps `desk_region_ids` on the user object for the rest of the request.
DESK_REGION_IDS_ATTRIBUTE = "_desk_region_ids"
SITE_IDS_ATTRIBUTE = "_desk_site_ids"


def desk_site_ids(user: RequestUser) -> set[int] | None:
    """Ids of the sites the user works for; None for every site (superusers, the network desk).

    Staff with no sites chosen work for the default site, as on an installation of one site.
    """
    if user.is_superuser or user.has_perm("articles.work_on_any_site"):
        return None
    if not hasattr(user, SITE_IDS_ATTRIBUTE):
        profile = getattr(user, "staff_profile", None)
        ids = set(profile.sites.values_list("pk", flat=True)) if profile else set()
        if not ids:
            default = hosts.current().default
            ids = {default.pk} if default else set()
        setattr(user, SITE_IDS_ATTRIBUTE, ids)
    ids_on_user: set[int] = getattr(user, SITE_IDS_ATTRIBUTE)
    return ids_on_user


def works_on(user: RequestUser, site_id: int | None) -> bool:
    """Whether the site is one of the user's; an article not yet given a site is the request's."""
    if site_id is None:
        site_id = hosts.current_site().pk
    ids = desk_site_ids(user)
    return ids is None or site_id in ids


def desk_region_ids(user: RequestUser) -> set[int] | None:
    """Ids of the user's desk regions and every region below them; None for no limit.

    Read once per request and kept on the user object, which lives as long as the request.
    """
    if not hasattr(user, DESK_REGION_IDS_ATTRIBUTE):
        profile = getattr(user, "staff_profile", None)
        desk = list(profile.desk_regions.all()) if profile else []
        ids = (
            set(Region.objects.with_descendants(*desk).values_list("pk", flat=True))
            if desk
            else None
        )
        setattr(user, DESK_REGION_IDS_ATTRIBUTE, ids)
    ids_on_user: set[int] | None = getattr(user, DESK_REGION_IDS_ATTRIBUTE)
    return ids_on_user


def covers_regions(user: RequestUser, regions: Iterable[Region]) -> bool:
    """Whether the regions lie in the user's desk; an editor with no desk regions has no limit."""
    if user.is_superuser:
        return True
    desk = desk_region_ids(user)
    return desk is None or any(region.pk in desk for region in regions)


def article_regions(article: Article, regions: Iterable[Region] | None = None) -> Iterable[Region]:
    if regions is not None:
        return regions
    return article.regions.all() if article.pk else []


def is_owner(user: RequestUser, article: Article) -> bool:
    if article.created_by_id == user.pk:
        return True
    return article.pk is not None and article.is_owned_by(user)


def can_view(user: RequestUser, article: Article) -> bool:
    return (
        user.is_superuser or user.has_perm("articles.view_all_articles") or is_owner(user, article)
    )


def edits_through_desk(
    user: RequestUser, article: Article, regions: Iterable[Region] | None = None
) -> bool:
    """Whether an editor may edit the article: its site is theirs, its regions in their desk."""
    return (
        user.has_perm("articles.edit_others_articles")
        and works_on(user, article.site_id)
        and covers_regions(user, article_regions(article, regions))
    )


def can_edit(user: RequestUser, article: Article, regions: Iterable[Region] | None = None) -> bool:
    """May change the article's text, photos, rubric, regions and byline."""
    if article.is_trashed or not user.has_perm("articles.change_article"):
        return False
    if user.is_superuser or edits_through_desk(user, article, regions):
        return True
    return is_owner(user, article) and article.status in AUTHOR_EDITABLE_STATUSES


def can_set_age_mark(user: RequestUser) -> bool:
    return user.has_perm("articles.set_age_mark")


def can_change(user: RequestUser, article: Article) -> bool:
    """May open the change form with anything editable: the content, or only the age mark."""
    return can_edit(user, article) or (
        not article.is_trashed and can_set_age_mark(user) and works_on(user, article.site_id)
    )


def can_publish(
    user: RequestUser, article: Article, regions: Iterable[Region] | None = None
) -> bool:
    """May publish, schedule and unpublish: editors of its site, within their desk regions."""
    return (
        user.has_perm("articles.publish_article")
        and works_on(user, article.site_id)
        and covers_regions(user, article_regions(article, regions))
    )


def can_review(
    user: RequestUser, article: Article, regions: Iterable[Region] | None = None
) -> bool:
    """May approve or return an article in review: moderators of its site, editors in their
    desk."""
    return (
        user.has_perm("articles.review_article") and works_on(user, article.site_id)
    ) or can_publish(user, article, regions)


def can_place(user: RequestUser, article: Article, site: Site) -> bool:
    """May carry the article on the site: that site's editors (picking up), the network desk
    (pushing anywhere). Nothing from the trash."""
    return (
        not article.is_trashed
        and user.has_perm("articles.publish_article")
        and works_on(user, site.pk)
    )


def can_remove_placement(user: RequestUser, placement: Placement) -> bool:
    """The site's editors take an article off their site; its own editors off any site."""
    return can_place(user, placement.article, placement.site) or can_publish(
        user, placement.article
    )


def can_trash(user: RequestUser, article: Article) -> bool:
    """Authors bin their own unpublished drafts; what readers have seen needs an editor."""
    if article.is_trashed:
        return False
    if article.status in AUTHOR_EDITABLE_STATUSES and can_edit(user, article):
        return True
    return can_publish(user, article)


def can_restore(user: RequestUser, article: Article) -> bool:
    if not article.is_trashed:
        return False
    if user.is_superuser or can_publish(user, article):
        return True
    return (
        user.has_perm("articles.change_article")
        and is_owner(user, article)
        and article.status in AUTHOR_EDITABLE_STATUSES
    )


def can_empty_trash(user: RequestUser, article: Article) -> bool:
    """Deleting for good is for those with Django's delete permission, within their desk."""
    return (
        article.is_trashed
        and user.has_perm("articles.delete_article")
        and covers_regions(user, article_regions(article))
    )
