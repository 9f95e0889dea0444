"""The photo library in the admin: uploading, describing, the focal point, deleting."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from PIL import ExifTags
from PIL import Image as Pillow

from photos import services
from photos.models import Image, Rendition
from photos.renditions import make_renditions
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:photos_image_add")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def phone_photo(name="IMG_0001.jpg") -> SimpleUploadedFile:
    """A JPEG as phones send them: with the place it was taken in its EXIF."""
    exif = Pillow.Exif()
    exif[ExifTags.Base.Make] = "Apple"
    gps = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (55.0, 1.0, 30.0)}
    exif[ExifTags.IFD.GPSInfo] = gps
    content = io.BytesIO()
    Pillow.new("RGB", (1600, 1200), "olive").save(content, "JPEG", exif=exif)
    return SimpleUploadedFile(name, content.getvalue(), content_type="image/jpeg")


def form(**fields):
    return {"title": "Мост через Иню", "alt": "Новый мост через реку Иню", **fields}


def test_an_uploaded_photo_is_stored_without_its_gps_and_queued_for_renditions(
    superuser_client, superuser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(ADD_URL, form(upload=phone_photo()))

    assert response.status_code == 302
    photo = Image.objects.get()
    assert (photo.width, photo.height, photo.uploaded_by) == (1600, 1200, superuser)
    assert photo.bytes == photo.file.size
    assert "IMG_0001" not in photo.file.name
    with Pillow.open(photo.file) as stored:
        assert ExifTags.IFD.GPSInfo not in stored.getexif()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [photo.pk]


def test_a_file_that_is_no_photo_is_refused_in_russian_and_nothing_is_stored(
    superuser_client, media
):
    page = b"<html><script>alert(1)</script></html>"
    upload = SimpleUploadedFile("photo.jpg", page, content_type="image/jpeg")

    response = superuser_client.post(ADD_URL, form(upload=upload))

    assert response.status_code == 200
    assert "Это не фотография" in response.text
    assert not Image.objects.exists()
    assert stored_files(media) == []


def test_a_photo_needs_a_description_for_blind_readers(superuser_client, media):
    response = superuser_client.post(ADD_URL, form(alt="", upload=phone_photo()))

    assert response.status_code == 200
    assert "alt" in response.context["adminform"].form.errors
    assert not Image.objects.exists()
    assert stored_files(media) == []


def test_moving_the_focal_point_makes_the_renditions_again(
    superuser_client, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    make_renditions(photo)
    old_files = set(photo.renditions.values_list("file", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:photos_image_change", args=[photo.pk]),
            {"title": photo.title, "alt": photo.alt, "focal_x": "0.9", "focal_y": "0.2"},
        )

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.9, 0.2)
    assert not Rendition.objects.filter(file__in=old_files).exists()
    assert DBTaskResult.objects.count() == 1


def test_editing_the_words_keeps_the_renditions(superuser_client):
    photo = PhotoFactory()
    made = make_renditions(photo)

    superuser_client.post(
        reverse("admin:photos_image_change", args=[photo.pk]),
        {"title": "Другое название", "alt": photo.alt, "focal_x": "0.5", "focal_y": "0.5"},
    )

    assert photo.renditions.count() == len(made) > 0
    assert not DBTaskResult.objects.exists()


def test_a_photo_an_article_shows_cannot_be_deleted_and_the_refusal_names_it(superuser_client):
    photo = PhotoFactory()
    article = ArticleFactory(cover=photo, title="Мост открыли")

    page = superuser_client.get(reverse("admin:photos_image_delete", args=[photo.pk]))
    with pytest.raises(services.ImageInUse, match="Мост открыли"):
        services.delete_image(image=photo)

    assert "Мост открыли" in page.text
    assert Image.objects.filter(pk=photo.pk).exists()
    assert article.cover == photo


def test_deleting_a_photo_removes_its_file_and_renditions(
    media, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    make_renditions(photo)
    assert stored_files(media)

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_image(image=photo)

    assert stored_files(media) == []
    assert not Rendition.objects.exists()


def test_the_library_lists_thumbnails_and_finds_photos_by_their_words(superuser_client):
    PhotoFactory(title="Мост через Иню", credit="Фото: пресс-служба")
    PhotoFactory(title="Уборка урожая")

    page = superuser_client.get(reverse("admin:photos_image_changelist"), {"q": "мост"})

    assert page.text.count('class="photo-thumbnail"') == 1
    assert "Мост через Иню" in page.text
    assert "Уборка урожая" not in page.text


def test_an_author_uploads_and_picks_a_photo_for_the_cover(client_as, author):
    client = client_as(author)
    PhotoFactory(title="Мост через Иню")
    search = reverse("admin:autocomplete")

    found = client.get(
        search,
        {"app_label": "articles", "model_name": "article", "field_name": "cover", "term": "мост"},
    )

    assert client.get(ADD_URL).status_code == 200
    assert [item["text"] for item in found.json()["results"]] == ["Мост через Иню"]


def test_the_focal_picker_shows_the_photo_with_its_point(superuser_client):
    photo = PhotoFactory(focal_x=0.25, focal_y=0.75)

    page = superuser_client.get(reverse("admin:photos_image_change", args=[photo.pk]))

    assert 'data-focal-x="0.25" data-focal-y="0.75"' in page.text
    assert "admin_extras/focal_point.js" in page.text
