"""`manage.py media_cleanup`: files in the media storage that nothing refers to, and rows whose
file is gone.

Everything goes through the storage API (`listdir`, `get_modified_time`, `delete`), so the
same command works on the local disk and on S3. Only the upload directories are looked at: the
first folder of every file field's `upload_to` (`photos/`, `renditions/`, `sites/`, …) and of
every name a row holds (covers moved into the library keep their `covers/` names). Anything
else in the storage — files at its top level, static files, other people's folders — is never
listed, let alone deleted.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models
from django.utils import timezone

FieldKey = tuple[type[models.Model], str]


@dataclass
class Inventory:
    """What the storage holds and what the database refers to, in the upload directories."""

    directories: list[str]
    files: set[str]
    referenced: dict[FieldKey, set[str]] = field(default_factory=dict)

    def orphans(self) -> list[str]:
        used = set().union(*self.referenced.values()) if self.referenced else set()
        return sorted(self.files - used)

    def missing(self, storage: Storage) -> list[tuple[str, int | str, str]]:
        """(model, primary key, file name) of rows whose file is not in the storage; a name
        outside the listed directories is asked for by itself. Rows are read again, so one
        deleted meanwhile (its files go after its commit) is not reported."""
        rows = []
        for (model, name), names in self.referenced.items():
            gone = [
                file
                for file in names
                if file not in self.files
                and (top_directory(file) in self.directories or not storage.exists(file))
            ]
            for pk, file in (
                model._base_manager.filter(**{f"{name}__in": gone})
                .order_by("pk")
                .values_list("pk", name)
            ):
                rows.append((f"{model._meta.label}.{name}", pk, file))
        return sorted(rows, key=lambda row: (row[0], str(row[2])))


def readable_size(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 2**10:.1f} KB"


def file_fields(storage: Storage) -> list[FieldKey]:
    """Every concrete file field kept in this storage, as (model, field name)."""
    return [
        (model, model_field.name)
        for model in apps.get_models()
        if not model._meta.proxy
        for model_field in model._meta.concrete_fields
        if isinstance(model_field, models.FileField) and model_field.storage is storage
    ]


def top_directory(name: str) -> str:
    """`photos/2026/11/x.jpg` → `photos`; a name at the storage's top level has none ("")."""
    return name.split("/", 1)[0] if "/" in name else ""


def upload_directory(model: type[models.Model], name: str) -> str:
    """The folder a field uploads into, from its `upload_to` (a path, a strftime pattern or a
    function, which is asked for the name of a blank instance's file)."""
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.FileField)
    try:
        return top_directory(model_field.generate_filename(model(), "probe.jpg"))
    except Exception:  # a function that needs a filled-in instance: its rows still tell
        return ""


def excluded_directories(storage: Storage) -> set[str]:
    """Folders of the storage that hold static files (when STATIC_ROOT lies inside the
    MEDIA_ROOT on disk): never scanned, whatever a field says."""
    if not isinstance(storage, FileSystemStorage) or not settings.STATIC_ROOT:
        return set()
    try:
        inside = Path(settings.STATIC_ROOT).resolve().relative_to(Path(storage.location).resolve())
    except ValueError:
        return set()
    return {inside.parts[0] if inside.parts else ""}


def walk(storage: Storage, directory: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for file in files:
        yield f"{directory}/{file}"
    for folder in folders:
        yield from walk(storage, f"{directory}/{folder}")


def take_inventory(storage: Storage) -> Inventory:
    """Read the database's file names first, then list the storage: a file stored after the
    read shows up as unreferenced, and the grace period keeps such a new file."""
    referenced: dict[FieldKey, set[str]] = defaultdict(set)
    directories = set()
    for model, name in file_fields(storage):
        directories.add(upload_directory(model, name))
        names = (
            model._base_manager.exclude(**{name: ""})
            .exclude(**{f"{name}__isnull": True})
            .values_list(name, flat=True)
        )
        for file in names.iterator(chunk_size=5000):
            referenced[(model, name)].add(file)
            directories.add(top_directory(file))
    directories -= {""} | excluded_directories(storage)
    ordered = sorted(directories)
    files = {file for directory in ordered for file in walk(storage, directory)}
    return Inventory(directories=ordered, files=files, referenced=dict(referenced))


class Command(BaseCommand):
    help = (
        "Report files in the media storage that no row refers to (left by failed uploads, "
        "deleted photos, replaced renditions) and rows whose file is missing; with --delete, "
        "remove those files. Only the upload directories are scanned, and files younger than "
        "the grace period are kept, so an upload in progress is never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="delete the unreferenced files (default: report)"
        )
        parser.add_argument(
            "--grace-hours",
            type=float,
            default=24.0,
            help="keep unreferenced files younger than this many hours (default: 24)",
        )

    def handle(self, *args, delete: bool, grace_hours: float, **options):
        if grace_hours < 0:
            raise CommandError("--grace-hours cannot be negative.")
        storage = default_storage
        inventory = take_inventory(storage)
        self.stdout.write(
            f"Scanned {', '.join(f'{d}/' for d in inventory.directories) or 'nothing'}: "
            f"{len(inventory.files)} files."
        )

        cutoff = timezone.now() - timedelta(hours=grace_hours)
        old: list[tuple[str, int, datetime]] = []
        young = 0
        for name in inventory.orphans():
            modified = storage.get_modified_time(name).astimezone(UTC)
            if modified > cutoff:
                young += 1
            else:
                old.append((name, storage.size(name), modified))

        total = sum(size for _, size, _ in old)
        self.stdout.write(
            f"Unreferenced files older than {grace_hours:g} h: {len(old)}, {readable_size(total)}."
        )
        for name, size, modified in old:
            self.stdout.write(f"  {name}  {readable_size(size)}  {modified:%Y-%m-%d %H:%M} UTC")
        if young:
            self.stdout.write(
                f"Unreferenced files kept as younger than {grace_hours:g} h: {young}."
            )

        missing = inventory.missing(storage)
        self.stdout.write(f"Rows whose file is missing: {len(missing)}.")
        for label, pk, name in missing:
            self.stdout.write(f"  {label} pk={pk}: {name}")

        if not delete:
            if old:
                self.stdout.write("Nothing deleted: run with --delete to remove the files above.")
            return
        for name, _, _ in old:
            storage.delete(name)
        self.stdout.write(self.style.SUCCESS(f"Deleted {len(old)} files, {readable_size(total)}."))
