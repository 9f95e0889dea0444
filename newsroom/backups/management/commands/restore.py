"""`manage.py restore FOLDER`: a backup into an empty database and an empty media folder."""

from pathlib import Path

import environ
from django.core.management.base import BaseCommand, CommandError

from newsroom.backups.archive import BackupError, Database, media_on_disk, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a folder made by `manage.py backup` into an empty database (DATABASE_URL, or "
        "--database-url) and an empty MEDIA_ROOT (or --media-root). Nothing is overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the dated folder that `backup` made")
        parser.add_argument("--database-url", help="a postgres:// URL of the empty database")
        parser.add_argument("--media-root", help="the empty folder for the media files")

    def handle(self, *args, folder, database_url=None, media_root=None, **options):
        if database_url:
            config = environ.Env.db_url_config(database_url)
            database = Database(
                name=config["NAME"],
                host=config.get("HOST") or "",
                port=str(config.get("PORT") or ""),
                user=config.get("USER") or "",
                password=config.get("PASSWORD") or "",
            )
        else:
            database = Database.from_settings()
        media = Path(media_root) if media_root else media_on_disk()
        try:
            restore_backup(folder=Path(folder), database=database, media_root=media)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Restored {folder} into {database.name}."))
