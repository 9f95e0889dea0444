"""A backup is a dated folder holding the database as `pg_dump`'s custom format, the media
folder as a gzipped tar and a manifest with both files' checksums (docs/backups.md).

`pg_dump` and `pg_restore` must be of the server's major version: a newer pg_dump writes
settings an older server refuses on restore, an older one refuses to dump. They are taken from
PG_BIN_DIR, else from Debian's /usr/lib/postgresql/<major>/bin, else from PATH, and checked.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
FOLDER_FORMAT = "%Y-%m-%dT%H%M%SZ"


class BackupError(Exception):
    """The backup or restore cannot be done as asked; the message says why."""


@dataclass(frozen=True)
class Database:
    """Where a database is, in the terms of libpq's environment variables."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""
    sslmode: str = ""

    @classmethod
    def from_settings(cls, alias: str = "default") -> "Database":
        config = settings.DATABASES[alias]
        return cls(
            name=config["NAME"],
            host=config.get("HOST") or "",
            port=str(config.get("PORT") or ""),
            user=config.get("USER") or "",
            password=config.get("PASSWORD") or "",
            sslmode=config.get("OPTIONS", {}).get("sslmode", ""),
        )

    def environment(self) -> dict[str, str]:
        """The process environment for pg_dump/pg_restore: the password never goes in argv."""
        values = {
            "PGDATABASE": self.name,
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
            "PGSSLMODE": self.sslmode,
        }
        return {**os.environ, **{key: value for key, value in values.items() if value}}

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(
            dbname=self.name,
            host=self.host or None,
            port=self.port or None,
            user=self.user or None,
            password=self.password or None,
            sslmode=self.sslmode or None,
            autocommit=True,
        )

    def server_major_version(self) -> int:
        with self.connect() as connection:
            return connection.info.server_version // 10000


def postgres_tool(name: str, major: int) -> Path:
    """The server's version of `pg_dump` or `pg_restore`."""
    folders = [os.environ.get("PG_BIN_DIR", ""), f"/usr/lib/postgresql/{major}/bin"]
    candidates = [Path(folder) / name for folder in folders if folder]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and _major_version(candidate) == major:
            return candidate
    raise BackupError(
        f"No {name} of PostgreSQL {major}, the server's version (looked in "
        f"{', '.join(str(c.parent) for c in candidates) or 'PATH'}); install the server's "
        "client tools or set PG_BIN_DIR."
    )


def _major_version(tool: Path) -> int | None:
    output = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"\) (\d+)", output)
    return int(found.group(1)) if found else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: list[Any], database: Database) -> None:
    result = subprocess.run(command, env=database.environment(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def media_on_disk() -> Path | None:
    """MEDIA_ROOT when media are files on this machine; None with an S3 bucket, which keeps
    its own copies (versioning, replication) and is not archived here."""
    if settings.STORAGES["default"]["BACKEND"] != "django.core.files.storage.FileSystemStorage":
        return None
    return Path(settings.MEDIA_ROOT)


def create_backup(
    *,
    into: Path,
    database: Database,
    media_root: Path | None,
    now: datetime | None = None,
) -> Path:
    """Dump the database and archive the media into a new folder under `into`, named after the
    moment (UTC), and return the folder."""
    moment = now or datetime.now(UTC)
    folder = into / moment.strftime(FOLDER_FORMAT)
    try:
        folder.mkdir(parents=True, exist_ok=False)
    except FileExistsError:
        raise BackupError(f"{folder} exists already: a backup was made this second.") from None
    major = database.server_major_version()
    pg_dump = postgres_tool("pg_dump", major)
    _run([pg_dump, "--format=custom", "--file", folder / DATABASE_FILE], database)
    files = [DATABASE_FILE]
    if media_root is not None:
        with tarfile.open(folder / MEDIA_FILE, "w:gz") as archive:
            if media_root.exists():
                for child in sorted(media_root.iterdir()):
                    archive.add(child, arcname=child.name)
        files.append(MEDIA_FILE)
    manifest = {
        "created_at": moment.isoformat(),
        "database": database.name,
        "postgresql": major,
        "media": media_root is not None,
        "sha256": {name: _sha256(folder / name) for name in files},
    }
    (folder / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
    return folder


def restore_backup(*, folder: Path, database: Database, media_root: Path | None) -> None:
    """Restore a backup folder into an empty database and an empty (or missing) media folder.

    Refuses anything not empty: a restore over live data would mix two states of the site.
    """
    manifest = _checked_manifest(folder)
    with database.connect() as connection:
        tables = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
    if tables and tables[0]:
        raise BackupError(f"Database {database.name} is not empty: restore into a new one.")
    media_target = media_root if manifest["media"] else None
    if media_target is not None and media_target.exists() and any(media_target.iterdir()):
        raise BackupError(f"{media_target} is not empty: restore into a new folder.")
    pg_restore = postgres_tool("pg_restore", database.server_major_version())
    _run(
        [
            pg_restore,
            "--dbname",
            database.name,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            folder / DATABASE_FILE,
        ],
        database,
    )
    if media_target is not None:
        media_target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA_FILE, "r:gz") as archive:
            archive.extractall(media_target, filter="data")


def _checked_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} holds no readable {MANIFEST_FILE}: {error}") from None
    for name, expected in manifest["sha256"].items():
        if not (folder / name).is_file() or _sha256(folder / name) != expected:
            raise BackupError(f"{folder / name} is missing or damaged (checksum differs).")
    return manifest
