"""Where uploads and renditions are stored is a matter of settings: the environment alone."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from PIL import Image as PILImage

from photos.services import add_image
from photos.uploads import check_upload
from tests.factories import image_file

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.core.files.storage import storages
print(json.dumps({
    "class": type(storages["default"]).__name__,
    "url": storages["default"].url("renditions/7/original-640x427-abcd1234.avif"),
}))
"""


def storage_under(**environment):
    """The default storage a production process builds from this environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "MEDIA_", "DJANGO_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": "a-production-like-secret-for-this-test-only",
    } | environment
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_media_is_on_the_local_disk_by_default():
    assert storage_under()["class"] == "FileSystemStorage"


def test_media_storage_s3_stores_in_the_bucket_named_by_the_environment():
    storage = storage_under(
        MEDIA_STORAGE="S3",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="https://storage.yandexcloud.net",
        AWS_S3_REGION_NAME="ru-central1",
    )

    assert storage["class"] == "S3Storage"
    assert storage["url"] == (
        "https://storage.yandexcloud.net/newsroom-media/renditions/7/original-640x427-abcd1234.avif"
    )


def test_a_cdn_domain_makes_the_media_urls():
    storage = storage_under(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_CUSTOM_DOMAIN="media.example.ru",
    )

    assert storage["url"] == "https://media.example.ru/renditions/7/original-640x427-abcd1234.avif"


@pytest.mark.parametrize("value", ["gcs", "disk"])
def test_an_unknown_media_storage_refuses_to_start(value):
    env = dict(os.environ, MEDIA_STORAGE=value, DJANGO_SETTINGS_MODULE="newsroom.settings.test")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "MEDIA_STORAGE" in result.stderr


@pytest.fixture
def s3_media(settings):
    """The default storage on a real S3 API: moto's server, local, with an empty bucket."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    options = {
        "bucket_name": "newsroom-media",
        "endpoint_url": f"http://{host}:{port}",
        "region_name": "us-east-1",
        "access_key": "test",
        "secret_key": "test",
        "querystring_auth": False,
        "file_overwrite": False,
    }
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    }
    storages["default"].bucket.create()
    yield storages["default"]
    server.stop()


def keys(storage):
    return sorted(item.key for item in storage.bucket.objects.all())


@pytest.mark.django_db
def test_a_photo_is_stored_rendered_and_cleaned_up_on_s3(
    s3_media, django_capture_on_commit_callbacks
):
    upload = image_file("photo.jpg", width=1600)
    with django_capture_on_commit_callbacks():
        image = add_image(photo=check_upload(upload), title="Поле", alt="Поле под Тогучином")
    s3_media.save("photos/2026/11/failed-upload.jpg", ContentFile(b"left over"))

    call_command("make_renditions", "--now", stdout=StringIO())
    renditions = [r.file.name for r in image.renditions.all()]
    out = StringIO()
    call_command("media_cleanup", "--delete", "--grace-hours", "0", stdout=out)

    assert image.file.name in keys(s3_media)
    assert renditions and set(renditions) <= set(keys(s3_media))
    assert "photos/2026/11/failed-upload.jpg" not in keys(s3_media)
    assert "Deleted 1 files" in out.getvalue()
    with image.renditions.get(slot="og").file.open("rb") as handle:
        assert PILImage.open(handle).size == (1200, 630)
