from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from editorial.importing import CHECKING, ImportRejected, import_articles


class Command(BaseCommand):
    help = (
        "Import articles from a JSON Lines file (one article per line; see the README). "
        "Re-importing updates articles matched on slug; a file with any bad line imports nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .jsonl file")
        parser.add_argument(
            "--files",
            help="the folder cover files are named from (default: the .jsonl file's folder)",
        )

    def handle(self, *args, path, files=None, verbosity=1, **options):
        folder = Path(files) if files else Path(path).resolve().parent
        progress = self.show_progress if verbosity > 0 and self.stderr.isatty() else None
        try:
            with open(path, encoding="utf-8") as lines:
                result = import_articles(lines=lines, files=folder, progress=progress)
        except OSError as error:
            raise CommandError(
                _("Не удалось прочитать %(path)s: %(error)s")
                % {"path": path, "error": error.strerror}
            ) from error
        except UnicodeDecodeError as error:
            raise CommandError(
                _("%(path)s не в кодировке UTF-8: %(error)s") % {"path": path, "error": error}
            ) from error
        except ImportRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Ничего не импортировано: ошибок в файле %(path)s — %(count)s.")
                % {"path": path, "count": len(rejected.problems)}
            ) from rejected
        self.stdout.write(
            self.style.SUCCESS(
                _("Импорт %(path)s: создано %(created)s, обновлено %(updated)s.")
                % {"path": path, "created": len(result.created), "updated": len(result.updated)}
            )
        )

    def show_progress(self, stage: str, done: int, total: int) -> None:
        """One line on a terminal, rewritten as the import goes: a counter needs no library."""
        if stage == CHECKING:
            text = _("Проверка: строка %(done)s") % {"done": done}
        else:
            text = _("Запись: строка %(done)s из %(total)s (%(percent)s %%)") % {
                "done": done,
                "total": total,
                "percent": done * 100 // total,
            }
        self.stderr.write(
            "\r\033[K" + text,
            style_func=str,  # not the error style stderr has on a terminal
            ending="\n" if stage != CHECKING and done == total else "",
        )
        self.stderr.flush()
