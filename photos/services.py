"""Adding, changing and removing photos of the library; renditions follow in the background.

The upload request only checks and stores the sanitised file (`photos.uploads`); the sizes
readers get are made by the worker (`photos.tasks`) once the upload is committed.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from articles.body import images_in_use

from .models import Image
from .renditions import delete_renditions, discard_files
from .tasks import enqueue_renditions
from .uploads import CheckedPhoto


class ImageInUse(ValidationError):
    """The photo is used somewhere; the message lists where."""


def add_image(
    *,
    photo: CheckedPhoto,
    title: str,
    alt: str,
    caption: str = "",
    credit: str = "",
    focal_x: float = 0.5,
    focal_y: float = 0.5,
    user: User | AnonymousUser | None = None,
) -> Image:
    """Store a checked upload as a photo of the library and queue its renditions.

    Nothing is half-saved: the row and the file are written in one transaction, and a failure
    removes the file again.
    """
    image = Image(
        title=title,
        alt=alt,
        caption=caption,
        credit=credit,
        focal_x=focal_x,
        focal_y=focal_y,
        bytes=photo.bytes,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    try:
        with transaction.atomic():
            image.file.save(f"photo.{photo.extension}", photo.content, save=False)
            image.full_clean()
            image.save()
            transaction.on_commit(lambda: enqueue_renditions(image))
    except Exception:
        if image.file.name:
            image.file.storage.delete(image.file.name)
        raise
    return image


def change_image(*, image: Image, focal_moved: bool) -> Image:
    """Save a photo's details; a moved focal point crops every rendition anew."""
    with transaction.atomic():
        image.full_clean()
        image.save()
        if focal_moved:
            delete_renditions(image)
            transaction.on_commit(lambda: enqueue_renditions(image))
    return image


def delete_image(*, image: Image) -> None:
    """Delete a photo with its renditions, unless something still shows it: a cover protects
    it by its foreign key, an article's body by naming it (`articles.body.images_in_use`)."""
    if in_bodies := images_in_use(image):
        raise ImageInUse(
            _("Фото используется в тексте статей, удалить нельзя: %(where)s.")
            % {"where": "; ".join(sorted(in_bodies))},
            code="image_in_use",
        )
    original, renditions = image.file, list(image.renditions.all())

    def discard_all_files() -> None:
        discard_files(renditions)
        if original.name:
            original.storage.delete(original.name)

    try:
        with transaction.atomic():
            image.delete()
            transaction.on_commit(discard_all_files)
    except ProtectedError as error:
        users = sorted({use for obj in error.protected_objects for use in describe_use(obj, image)})
        raise ImageInUse(
            _("Фото используется, удалить нельзя: %(where)s.") % {"where": "; ".join(users)},
            code="image_in_use",
        ) from error


def describe_use(obj: object, image: Image) -> list[str]:
    """How `obj`, which protects the photo from deletion, uses it, for the refusal's list.

    Sites and staff profiles are named with the part of the site the photo is; anything else
    (an article using it as its cover) by its name.
    """
    # --- Sites (logo, favicon, card image) and staff profiles (photo) ---
    label = getattr(getattr(obj, "_meta", None), "label", "")
    if label == "network.Site":
        roles = {
            "logo_id": _("логотип сайта «%(site)s»"),
            "favicon_id": _("значок сайта «%(site)s»"),
            "card_image_id": _("картинка для соцсетей сайта «%(site)s»"),
        }
        return [
            role % {"site": obj} for field, role in roles.items() if getattr(obj, field) == image.pk
        ]
    if label == "staff.StaffProfile":
        return [_("фото сотрудника «%(name)s»") % {"name": obj}]
    # --- end of sites and staff profiles ---
    return [str(obj)]
