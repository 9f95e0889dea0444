"""Importing covers: files beside the import file, checked like uploads, stored in the library."""

import json

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PillowImage

from articles.models import Article
from photos.models import Image
from tests.test_import import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    imports = tmp_path / "import"
    (imports / "photos").mkdir(parents=True)
    PillowImage.new("RGB", (1200, 800), "steelblue").save(imports / "photos" / "most.jpg")
    return imports


def run_import(folder, *lines):
    path = folder / "articles.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    call_command("import_articles", str(path))


def cover(**overrides):
    return {
        "file": "photos/most.jpg",
        "alt": "Мост через Иню",
        "caption": "Новый мост открыт",
        "credit": "Иван Петров",
    } | overrides


def test_a_cover_file_becomes_a_library_photo_of_the_article(folder):
    run_import(folder, record(cover=cover()))

    article = Article.objects.select_related("cover").get()
    photo = article.cover
    assert (photo.alt, photo.caption, photo.credit) == (
        "Мост через Иню",
        "Новый мост открыт",
        "Иван Петров",
    )
    assert (photo.width, photo.height) == (1200, 800)
    assert photo.file.name.startswith("photos/") and photo.file.storage.exists(photo.file.name)


def test_a_file_named_by_two_lines_becomes_one_photo(folder):
    run_import(
        folder,
        record(slug="pervaya", cover=cover()),
        record(slug="vtoraya", title="Вторая", cover=cover()),
    )

    assert Image.objects.count() == 1
    assert Article.objects.filter(cover__isnull=False).count() == 2


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (cover(file="../secret.jpg"), "вне папки импорта"),
        (cover(file="/etc/passwd"), "вне папки импорта"),
        (cover(file="photos/none.jpg"), "нет файла фото"),
        (cover(alt=""), "нет описания для незрячих"),
        (cover(size="big"), "неизвестные ключи фото"),
        ("photos/most.jpg", "нужен объект"),
    ],
)
def test_a_bad_cover_is_a_line_error_and_nothing_is_imported(folder, photo, message, capsys):
    (folder.parent / "secret.jpg").write_bytes((folder / "photos" / "most.jpg").read_bytes())

    with pytest.raises(CommandError):
        run_import(folder, record(slug="good", title="Хорошая"), record(cover=photo))

    assert message in capsys.readouterr().err
    assert not Article.objects.exists()
    assert not Image.objects.exists()


def test_a_cover_that_is_not_a_photo_is_refused_like_an_upload(folder, capsys):
    (folder / "photos" / "page.jpg").write_text("<html><script>alert(1)</script></html>")

    with pytest.raises(CommandError):
        run_import(folder, record(cover=cover(file="photos/page.jpg")))

    assert "строка 1" in capsys.readouterr().err
    assert not Article.objects.exists()
    assert not Image.objects.exists()
