"""Keep the page cache exact: a change readers can see makes every cached page stale.

Receivers rather than calls in each service, because pages change through many doors (the admin,
its inlines, the workflow, imports, revisions, the shell) and a missed one would leave readers a
stale page for minutes. The bump waits for the commit: made earlier, another server could render
the old rows under the new generation and keep them.

A draft is nobody's business but its editors': saving one leaves the cache alone, so editors can
type all day in the admin without emptying the cache during breaking news.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from newsroom.pagecache import bump_generation
from regions.models import Region
from staff.models import StaffProfile

from .models import Article, ArticleAuthor, Rubric, Tag, TaggedArticle

M2M_CHANGES = {"post_add", "post_remove", "post_clear"}


def bump_after_commit(using) -> None:
    transaction.on_commit(bump_generation, using=using)


def _is_public(article_id, using) -> bool:
    """Whether the article is published (now or at a scheduled time) in the database."""
    return (
        Article._base_manager.using(using)
        .filter(pk=article_id, status=Article.Status.PUBLISHED)
        .exists()
    )


@receiver(pre_save, sender=Article, dispatch_uid="pagecache_article_status_before")
def remember_status_before_save(sender, instance, using, **kwargs):
    """What the row was before this save: unpublishing or trashing must bump too."""
    instance._was_public_before_save = instance.pk is not None and _is_public(instance.pk, using)


@receiver(post_save, sender=Article, dispatch_uid="pagecache_article_saved")
def article_saved(sender, instance, using, **kwargs):
    if instance.status == Article.Status.PUBLISHED or getattr(
        instance, "_was_public_before_save", True
    ):
        bump_after_commit(using)


@receiver(post_delete, sender=Article, dispatch_uid="pagecache_article_deleted")
def article_deleted(sender, instance, using, **kwargs):
    if instance.status == Article.Status.PUBLISHED:
        bump_after_commit(using)


@receiver(m2m_changed, sender=Article.regions.through, dispatch_uid="pagecache_article_regions")
@receiver(m2m_changed, sender=TaggedArticle, dispatch_uid="pagecache_article_tags")
@receiver(m2m_changed, sender=ArticleAuthor, dispatch_uid="pagecache_article_authors")
def article_relations_changed(sender, instance, action, reverse, using, **kwargs):
    """Regions, tags and bylines set through the relation (`article.tags.set(...)`)."""
    if action not in M2M_CHANGES:
        return
    if reverse or instance.status == Article.Status.PUBLISHED:
        bump_after_commit(using)


@receiver(post_save, sender=ArticleAuthor, dispatch_uid="pagecache_byline_saved")
@receiver(post_delete, sender=ArticleAuthor, dispatch_uid="pagecache_byline_deleted")
def byline_changed(sender, instance, using, **kwargs):
    """Byline rows written one by one, as the admin's inline does."""
    if _is_public(instance.article_id, using):
        bump_after_commit(using)


@receiver(post_save, sender=TaggedArticle, dispatch_uid="pagecache_tagging_saved")
@receiver(post_delete, sender=TaggedArticle, dispatch_uid="pagecache_tagging_deleted")
def tagging_changed(sender, instance, using, **kwargs):
    if _is_public(instance.content_object_id, using):
        bump_after_commit(using)


@receiver(post_save, sender=Tag, dispatch_uid="pagecache_tag_saved")
def tag_saved(sender, instance, created, using, **kwargs):
    """A new tag is on no published page yet; typing one into a draft changes nothing."""
    if not created:
        bump_after_commit(using)


@receiver(post_delete, sender=Tag, dispatch_uid="pagecache_tag_deleted")
@receiver(post_save, sender=Rubric, dispatch_uid="pagecache_rubric_saved")
@receiver(post_delete, sender=Rubric, dispatch_uid="pagecache_rubric_deleted")
@receiver(post_save, sender=Region, dispatch_uid="pagecache_region_saved")
@receiver(post_delete, sender=Region, dispatch_uid="pagecache_region_deleted")
@receiver(post_save, sender=StaffProfile, dispatch_uid="pagecache_staff_saved")
@receiver(post_delete, sender=StaffProfile, dispatch_uid="pagecache_staff_deleted")
def shown_everywhere_changed(sender, using, **kwargs):
    """Rubrics fill the menu, regions and authors the archive's filters: any page shows them."""
    bump_after_commit(using)
