"""`manage.py media_cleanup`: unreferenced files in the upload directories, rows without files."""

import os
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from photos.models import Image, Rendition
from tests.factories import PhotoFactory, StaffProfileFactory, image_file

DAY = 24 * 60 * 60


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "media" / "static"
    return tmp_path / "media"


def put(media, name, *, age=2 * DAY, content=b"stray bytes"):
    """A file in the media folder, last modified `age` seconds ago."""
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    age_file(path, age)
    return path


def age_file(path, age):
    then = time.time() - age
    os.utime(path, (then, then))


def age_everything(media, age=2 * DAY):
    for path in media.rglob("*"):
        if path.is_file():
            age_file(path, age)


def cleanup(*args):
    out = StringIO()
    call_command("media_cleanup", *args, stdout=out)
    return out.getvalue()


def rendition(image, **fields):
    fields = {"slot": "original", "format": "jpeg", "width": 320, "height": 160} | fields
    return Rendition.objects.create(
        image=image, file=ContentFile(b"rendition", name="original-320x160.jpg"), **fields
    )


@pytest.mark.django_db
def test_an_old_unreferenced_file_is_reported_and_kept_without_delete(media):
    stray = put(media, "photos/2026/11/failed-upload.jpg")

    output = cleanup()

    assert "photos/2026/11/failed-upload.jpg" in output
    assert "Unreferenced files older than 24 h: 1" in output
    assert "Nothing deleted" in output
    assert stray.exists()


@pytest.mark.django_db
def test_delete_removes_unreferenced_files_and_keeps_every_referenced_one(media):
    photo = PhotoFactory()
    kept = [rendition(photo), rendition(photo, format="avif")]
    # A staff photo moved into the library by its migration keeps its file where it was.
    portrait = PhotoFactory()
    put(media, "staff/portrait.jpg", content=(media / portrait.file.name).read_bytes())
    Image.objects.filter(pk=portrait.pk).update(file="staff/portrait.jpg")
    (media / portrait.file.name).unlink()
    StaffProfileFactory(photo=portrait)
    stray_photo = put(media, "photos/2026/10/deleted-photo.jpg")
    replaced = put(media, f"renditions/{photo.pk}/original-320x160-0ldt0ken.jpg")
    stray_portrait = put(media, "staff/left-over.jpg")
    age_everything(media)

    output = cleanup("--delete")

    assert "Deleted 3 files" in output
    assert not stray_photo.exists() and not replaced.exists() and not stray_portrait.exists()
    assert (media / photo.file.name).exists()
    assert all((media / r.file.name).exists() for r in kept)
    assert len(list((media / "staff").iterdir())) == 1


@pytest.mark.django_db
def test_files_of_a_deleted_photo_are_unreferenced(media):
    photo = PhotoFactory()
    gone = [photo.file.name, rendition(photo).file.name]
    Image.objects.filter(pk=photo.pk).delete()
    age_everything(media)

    cleanup("--delete")

    assert not any((media / name).exists() for name in gone)


@pytest.mark.django_db
def test_a_young_unreferenced_file_is_kept_even_with_delete(media):
    uploading = put(media, "photos/2026/12/uploading.jpg", age=60 * 60)

    output = cleanup("--delete")

    assert uploading.exists()
    assert "Unreferenced files kept as younger than 24 h: 1" in output
    assert "Deleted 0 files" in output


@pytest.mark.django_db
def test_the_grace_period_is_an_option(media):
    recent = put(media, "photos/2026/12/recent.jpg", age=3 * 60 * 60)

    cleanup("--delete", "--grace-hours", "2")

    assert not recent.exists()


@pytest.mark.django_db
def test_files_outside_the_upload_directories_are_never_touched(media):
    untouched = [
        put(media, "robots.txt"),
        put(media, "static/css/site.css"),
        put(media, "exports/2026-11.csv"),
    ]

    output = cleanup("--delete")

    assert all(path.exists() for path in untouched)
    assert "exports" not in output and "static/" not in output


@pytest.mark.django_db
def test_static_files_inside_the_media_folder_are_never_touched(media, settings):
    settings.STATIC_ROOT = media / "staff"  # a misconfiguration: static files in an upload folder
    static = put(media, "staff/admin/css/base.css")

    cleanup("--delete")

    assert static.exists()


@pytest.mark.django_db
def test_old_covers_moved_into_the_library_are_referenced_and_their_folder_is_scanned(media):
    put(media, "covers/2025/05/cover.jpg", content=image_file("cover.jpg").read())
    Image.objects.create(file="covers/2025/05/cover.jpg", title="Обложка", alt="Поле")
    stray_cover = put(media, "covers/2025/04/replaced-cover.jpg")

    output = cleanup("--delete")

    assert "covers/" in output.splitlines()[0]
    assert (media / "covers/2025/05/cover.jpg").exists()
    assert not stray_cover.exists()


@pytest.mark.django_db
def test_rows_whose_file_is_missing_are_reported_and_left_alone(media):
    photo = PhotoFactory()
    lost = rendition(photo)
    (media / lost.file.name).unlink()

    output = cleanup("--delete")

    assert "Rows whose file is missing: 1." in output
    assert f"photos.Rendition.file pk={lost.pk}: {lost.file.name}" in output
    assert Rendition.objects.filter(pk=lost.pk).exists()


@pytest.mark.django_db
def test_an_empty_storage_reports_nothing(media):
    output = cleanup()

    assert "Unreferenced files older than 24 h: 0" in output
    assert "Rows whose file is missing: 0." in output
