"""Keep the page cache exact for the writes that do not go through `editorial.services`.

Articles are saved only by `editorial.services`, which bumps the generation itself; deleting one
(the trash's "delete for good", the shell) is the exception watched here. Rubrics, tags, regions
and authors are edited in their own admin pages and shown on every page (the menu, the archive's
filters, bylines), so any committed change to them makes every cached page stale. The bump waits
for the commit: made earlier, another server could render the old rows under the new generation.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsroom.pagecache import bump_generation
from regions.models import Region
from staff.models import StaffProfile

from .models import Article, Rubric, Tag


def bump_after_commit(using) -> None:
    transaction.on_commit(bump_generation, using=using)


@receiver(post_delete, sender=Article, dispatch_uid="pagecache_article_deleted")
def article_deleted(sender, instance, using, **kwargs):
    """Only a listed article was on readers' pages (a trashed one already answers 410)."""
    if instance.is_listed:
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
