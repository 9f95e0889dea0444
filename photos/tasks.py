"""Background work for the media library, run by `manage.py db_worker`."""

from django_tasks import task

from photos.models import Image
from photos.renditions import make_renditions


@task()
def render_photo(image_id: int) -> int:
    """Make the photo's missing renditions; a photo deleted before its turn is skipped.
    Returns how many were made."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return 0
    return len(make_renditions(image))


def enqueue_renditions(image: Image) -> None:
    """Queue the photo for the worker. With the database backend the task is a row written in
    the caller's transaction, so the worker cannot pick it up before the photo is committed."""
    render_photo.enqueue(image.pk)
