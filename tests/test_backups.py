"""`manage.py backup` and `manage.py restore`: a backup restored into a fresh database and media
folder holds the same articles and the same files."""

import hashlib
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import Article
from tests.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db(transaction=True)


def server(dbname: str) -> psycopg.Connection:
    config = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=dbname,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture
def fresh_database():
    """A new, empty database on the same server, dropped after the test; its postgres:// URL."""
    name = f"nr_harden_restore_{uuid.uuid4().hex[:12]}"
    with server("postgres") as connection:
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    config = settings.DATABASES["default"]
    credentials = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    yield name, f"postgres://{credentials}@{config['HOST']}:{config['PORT'] or 5432}/{name}"
    with server("postgres") as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def checksums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def backup(into: Path) -> Path:
    call_command("backup", str(into), stdout=StringIO())
    [folder] = into.iterdir()
    return folder


def test_a_backup_restored_into_a_fresh_database_holds_the_same_articles_and_files(
    tmp_path, fresh_database
):
    cover = PhotoFactory(title="Комбайн")
    ArticleFactory(title="Уборка урожая", body="<p>Аграрии собрали зерно.</p>", cover=cover)
    ArticleFactory(title="Новый мост", body="<p>Мост открыли в срок.</p>")
    ArticleFactory(title="Черновик", body="<p>Ещё не готово.</p>", status=Article.Status.DRAFT)
    articles = list(Article.objects.order_by("pk").values_list("pk", "title", "body"))
    media = checksums(Path(settings.MEDIA_ROOT))
    name, url = fresh_database

    folder = backup(tmp_path / "backups")
    restored_media = tmp_path / "restored-media"
    call_command(
        "restore",
        str(folder),
        "--database-url",
        url,
        "--media-root",
        str(restored_media),
        stdout=StringIO(),
    )

    with server(name) as connection:
        restored = connection.execute(
            "SELECT id, title, body FROM articles_article ORDER BY id"
        ).fetchall()
    assert restored == articles
    assert len(restored) == 3
    assert cover.file.name in media
    assert checksums(restored_media) == media


def test_the_backup_folder_is_named_after_its_time_and_holds_dump_media_and_manifest(tmp_path):
    folder = backup(tmp_path)

    assert sorted(path.name for path in folder.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]
    assert folder.name.endswith("Z")
    assert (folder / "database.dump").read_bytes()[:5] == b"PGDMP"


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    folder = backup(tmp_path / "backups")

    with pytest.raises(CommandError, match="is not empty"):
        call_command("restore", str(folder), "--media-root", str(tmp_path / "media"))

    assert not (tmp_path / "media").exists()


def test_restore_refuses_a_damaged_backup(tmp_path, fresh_database):
    folder = backup(tmp_path / "backups")
    dump = folder / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-100])
    _name, url = fresh_database

    with pytest.raises(CommandError, match="damaged"):
        call_command(
            "restore", str(folder), "--database-url", url, "--media-root", str(tmp_path / "m")
        )
