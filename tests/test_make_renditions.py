"""`manage.py make_renditions`: queueing (or making) the renditions photos lack."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from photos.models import Image
from photos.renditions import make_renditions, plan
from tests.factories import PhotoFactory, image_file


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """The command, with what its commits queue run; returns what it printed."""

    def run(*args):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("make_renditions", *args, stdout=out, stderr=out)
        return out.getvalue()

    return run


def queued():
    return sorted(task.args_kwargs["args"][0] for task in DBTaskResult.objects.all())


def migrated_cover(media):
    """A photo as `articles` 0012 made it from an old cover: a row on an existing file, with
    no task queued for it."""
    (media / "covers/2025/05").mkdir(parents=True)
    (media / "covers/2025/05/cover.jpg").write_bytes(image_file("cover.jpg", width=800).read())
    return Image.objects.create(
        file="covers/2025/05/cover.jpg", title="Обложка", alt="Поле", width=800, height=400
    )


@pytest.mark.django_db
def test_a_cover_moved_into_the_library_gets_its_renditions_queued(media, run):
    cover = migrated_cover(media)

    output = run()

    assert queued() == [cover.pk]
    assert "Queued renditions for 1 photos" in output
    assert not cover.renditions.exists()


@pytest.mark.django_db
def test_a_photo_with_all_its_renditions_is_not_queued(run):
    make_renditions(PhotoFactory())

    run("--missing")

    assert queued() == []


@pytest.mark.django_db
def test_a_photo_missing_one_rendition_is_queued(run):
    photo = PhotoFactory()
    make_renditions(photo)
    photo.renditions.filter(slot="1x1", format="avif", width=320).delete()

    run()

    assert queued() == [photo.pk]


@pytest.mark.django_db
def test_now_makes_the_missing_renditions_in_this_process_without_queueing(media, run):
    cover = migrated_cover(media)

    output = run("--now")

    assert queued() == []
    assert sorted(r.key for r in plan(cover)) == sorted(
        (r.slot, r.format, r.width) for r in cover.renditions.all()
    )
    assert f"Made {cover.renditions.count()} renditions for 1 photos." in output


@pytest.mark.django_db
def test_all_deletes_every_photos_renditions_and_queues_them_anew(media, run):
    photo = PhotoFactory()
    old = [r.file.name for r in make_renditions(photo)]

    run("--all")

    assert queued() == [photo.pk]
    assert not photo.renditions.exists()
    assert not any((media / name).exists() for name in old)


@pytest.mark.django_db
def test_all_now_remakes_the_renditions_here(run):
    photo = PhotoFactory()
    old = {r.pk for r in make_renditions(photo)}

    run("--all", "--now")

    assert queued() == []
    new = set(photo.renditions.values_list("pk", flat=True))
    assert len(new) == len(old) and not new & old


@pytest.mark.django_db
def test_image_limits_the_command_to_the_photos_named(run):
    first, second, _ = PhotoFactory.create_batch(3)

    run("--image", str(first.pk), str(second.pk))

    assert queued() == sorted([first.pk, second.pk])


@pytest.mark.django_db
def test_a_photo_whose_file_is_missing_fails_alone_and_the_command_says_so(media, run):
    lost = PhotoFactory()
    (media / lost.file.name).unlink()
    fine = PhotoFactory()

    with pytest.raises(CommandError, match="1 photos failed"):
        run("--now")

    assert not lost.renditions.exists()
    assert fine.renditions.exists()


@pytest.mark.django_db
def test_a_photo_with_no_size_recorded_is_skipped_and_reported(media, run):
    unreadable, lost = PhotoFactory.create_batch(2)
    (media / unreadable.file.name).write_bytes(b"not a photo")
    (media / lost.file.name).unlink()
    Image.objects.update(width=0, height=0)

    output = run()

    assert queued() == []
    assert f"Photo {unreadable.pk}: no size recorded" in output
    assert f"Photo {lost.pk}: no size recorded" in output
    assert "Skipped 2 photos with no size recorded" in output
