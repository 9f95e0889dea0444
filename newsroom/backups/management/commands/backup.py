"""`manage.py backup [DIR]`: the database and the media files, into a new dated folder."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom.backups.archive import BackupError, Database, create_backup, media_on_disk


class Command(BaseCommand):
    help = (
        "Dump the database (pg_dump's custom format) and archive MEDIA_ROOT into a new folder "
        "named after the time (UTC) under DIR (BACKUP_DIR, default ./backups), with checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="where the dated folder is made")
        parser.add_argument("--database", default="default", help="a DATABASES alias")

    def handle(self, *args, directory=None, database="default", **options):
        into = Path(directory or settings.BACKUP_DIR)
        media_root = media_on_disk()
        try:
            folder = create_backup(
                into=into, database=Database.from_settings(database), media_root=media_root
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        if media_root is None:
            self.stdout.write("Media are in the S3 bucket, which keeps its own copies.")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
