"""`manage.py make_renditions`: renditions for photos that lack some, or all of them anew.

Photos get their renditions when they are uploaded; this is for those that did not: the covers
that `articles` 0012 moved into the library, photos uploaded while the worker was down or that
failed, and every photo after the slots, widths or encoder options in `photos.renditions`
change.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet

from photos.models import Image, Rendition
from photos.renditions import delete_renditions, make_renditions, plan
from photos.tasks import enqueue_renditions


def lacking(image: Image) -> bool:
    """Whether the photo misses a rendition its current size and focal point call for."""
    have = {(r.slot, r.format, r.width) for r in image.renditions.all()}
    return any(spec.key not in have for spec in plan(image))


def photos(ids: list[int] | None) -> QuerySet[Image]:
    """The photos asked for. Those with no size recorded are not loaded: an ImageField opens
    the file of such a row the moment it is loaded, to measure it."""
    images = Image.objects.order_by("pk")
    return images.filter(pk__in=ids) if ids else images


class Command(BaseCommand):
    help = (
        "Queue rendition tasks for db_worker (or with --now make them in this process): for "
        "photos missing some of the renditions their size calls for (the default), or with "
        "--all for every photo, its old renditions deleted first (after changing the encoder "
        "options; pages show the checked upload until the new ones exist)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--missing",
            action="store_true",
            help="only photos missing a rendition (the default)",
        )
        which.add_argument(
            "--all",
            action="store_true",
            dest="every",
            help="every photo: delete its renditions and remake them",
        )
        parser.add_argument(
            "--now", action="store_true", help="make them here instead of queueing tasks"
        )
        parser.add_argument(
            "--image", type=int, nargs="+", metavar="ID", help="only these photos, by id"
        )

    def handle(self, *args, every: bool, now: bool, image: list[int] | None, **options):
        chosen = made = 0
        failed: list[str] = []
        unmeasured = photos(image).filter(Q(width=0) | Q(height=0)).values_list("pk", "file")
        for pk, name in unmeasured:
            self.stderr.write(f"Photo {pk}: no size recorded for {name!r}.")
        measured = (
            photos(image)
            .filter(width__gt=0, height__gt=0)
            .prefetch_related(
                Prefetch(
                    "renditions",
                    queryset=Rendition.objects.only("image_id", "slot", "format", "width"),
                )
            )
        )
        for photo in measured.iterator(chunk_size=500):
            if not every and not lacking(photo):
                continue
            chosen += 1
            if not now:
                self.queue(photo, afresh=every)
                continue
            try:
                if every:
                    delete_renditions(photo)
                    photo = Image.objects.get(pk=photo.pk)
                made += len(make_renditions(photo))
            except Exception as error:  # a missing or unreadable file: report, go on
                failed.append(f"Photo {photo.pk} ({photo.file.name}): {error!r}")
                self.stderr.write(failed[-1])
            else:
                if options["verbosity"] > 1:
                    self.stdout.write(f"Photo {photo.pk}: done.")

        if now:
            self.stdout.write(f"Made {made} renditions for {chosen - len(failed)} photos.")
        else:
            self.stdout.write(f"Queued renditions for {chosen} photos; db_worker makes them.")
        if unmeasured:
            self.stdout.write(
                f"Skipped {len(unmeasured)} photos with no size recorded (their file could not be "
                "read when they were stored)."
            )
        if failed:
            raise CommandError(f"{len(failed)} photos failed; see above.")

    def queue(self, photo: Image, *, afresh: bool) -> None:
        with transaction.atomic():
            if afresh:
                delete_renditions(photo)
            transaction.on_commit(lambda: enqueue_renditions(photo))
