"""Importing articles from JSON Lines: every line checked first, then saved through the service
(new articles in bulk, `services.save_articles_in_bulk`)."""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import AgeMark, Article, Rubric, Tag
from network import hosts
from network.models import Site
from newsroom.slugs import transliterate_slug
from photos import services as photo_services
from photos.models import Image
from photos.uploads import check_upload
from regions.models import Region
from regions.services import region_for_name
from staff.models import StaffProfile

from . import services
from .permissions import RequestUser

IMPORT_KEYS = {
    "title",
    "slug",
    "lead",
    "body",
    "rubric",
    "regions",
    "tags",
    "age_mark",
    "authors",
    "source_name",
    "source_url",
    "published_at",
    "status",
    "site",
    "also_on",
    "cover",
}
COVER_KEYS = {"file", "alt", "title", "caption", "credit"}
# `also_on` for every site of the network.
WHOLE_NETWORK = "*"


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return _("строка %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class ImportRejected(Exception):
    """The file had bad lines; nothing of it was saved."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass
class ImportResult:
    created: list[Article] = field(default_factory=list)
    updated: list[Article] = field(default_factory=list)


class NameListField(forms.Field):
    """A JSON list of non-empty strings, such as region or author names."""

    def to_python(self, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValidationError(_("нужен список строк"))
        names = [" ".join(item.split()) for item in value]
        if not all(names):
            raise ValidationError(_("пустое имя в списке"))
        if any("\x00" in name for name in names):
            raise ValidationError(_("нулевой символ в имени"))
        return list(dict.fromkeys(names))


class AwareDateTimeField(forms.Field):
    """ISO 8601 with a UTC offset: a time without one would be read in an unknown zone."""

    def to_python(self, value: Any) -> datetime | None:
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            raise ValidationError(_("нужна строка в формате ISO 8601"))
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                _("«%(value)s» — не дата ISO 8601"), params={"value": value}
            ) from None
        if moment.tzinfo is None:
            raise ValidationError(_("укажите смещение часового пояса, например +07:00"))
        return moment


class SiteDirectory:
    """The network's sites by domain, each asked of the database once per import file."""

    def __init__(self) -> None:
        self.by_domain: dict[str, Site | None] = {}
        self.all: list[Site] | None = None

    def at(self, domain: str) -> Site:
        if domain not in self.by_domain:
            self.by_domain[domain] = Site.objects.with_host(domain).first()
        site = self.by_domain[domain]
        if site is None:
            raise ValidationError(_("в сети нет сайта «%(domain)s»"), params={"domain": domain})
        return site

    def every(self) -> list[Site]:
        if self.all is None:
            self.all = list(Site.objects.all())
        return self.all


class SiteField(forms.CharField):
    """A site of the network, named by one of its domains."""

    directory: SiteDirectory

    def clean(self, value: Any) -> Site | None:
        domain = super().clean(value)
        return self.directory.at(domain) if domain else None


class SiteListField(forms.Field):
    """A JSON list of the domains of sites, or "*" for every site of the network."""

    directory: SiteDirectory

    def to_python(self, value: Any) -> list[Site]:
        if value in (None, ""):
            return []
        if value == WHOLE_NETWORK:
            return self.directory.every()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValidationError(_("нужен список доменов или «*»"))
        if any("\x00" in item for item in value):
            raise ValidationError(_("нулевой символ в домене"))
        return [self.directory.at(domain.strip()) for domain in dict.fromkeys(value)]


@dataclass(frozen=True)
class CoverRecord:
    """A cover photo named by an import line: a file beside the import file, with its texts."""

    path: Path
    alt: str
    title: str
    caption: str
    credit: str


class CoverField(forms.Field):
    """`{"file": "photos/most.jpg", "alt": "…", "caption": "…", "credit": "…"}`: a photo file
    under the import's folder (`files`), never outside it; checked as an upload when saved."""

    files: Path | None = None

    def to_python(self, value: Any) -> CoverRecord | None:
        if value in (None, ""):
            return None
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ValidationError(_("нужен объект со строками file, alt, caption, credit"))
        unknown = sorted(set(value) - COVER_KEYS)
        if unknown:
            raise ValidationError(
                _("неизвестные ключи фото: %(keys)s"), params={"keys": ", ".join(unknown)}
            )
        if any("\x00" in text for text in value.values()):
            raise ValidationError(_("нулевой символ в описании фото"))
        name, alt = value.get("file", "").strip(), " ".join(value.get("alt", "").split())
        if not name:
            raise ValidationError(_("у фото не указан файл (file)"))
        if not alt:
            raise ValidationError(_("у фото нет описания для незрячих (alt)"))
        if self.files is None:
            raise ValidationError(_("файлы фото можно импортировать только из файла на диске"))
        base = self.files.resolve()
        path = (base / name).resolve()
        if not path.is_relative_to(base):
            raise ValidationError(
                _("файл фото «%(name)s» вне папки импорта"), params={"name": name}
            )
        if not path.is_file():
            raise ValidationError(_("нет файла фото «%(name)s»"), params={"name": name})
        return CoverRecord(
            path=path,
            alt=alt,
            title=" ".join(value.get("title", "").split()) or path.stem,
            caption=value.get("caption", "").strip(),
            credit=" ".join(value.get("credit", "").split()),
        )


class ArticleRecordForm(forms.Form):
    """Validates one line of an import file before anything is written."""

    title = forms.CharField(max_length=255)
    slug = forms.SlugField(max_length=100, required=False)
    lead = forms.CharField(required=False)
    body = forms.CharField(required=False, strip=False)
    rubric = forms.CharField(max_length=100)
    regions = NameListField(required=False)
    tags = NameListField(required=False)
    age_mark = forms.ChoiceField(choices=AgeMark.choices, required=False)
    authors = NameListField(required=False)
    source_name = forms.CharField(max_length=200, required=False)
    source_url = forms.URLField(max_length=500, required=False, assume_scheme="https")
    published_at = AwareDateTimeField(required=False)
    status = forms.ChoiceField(choices=Article.Status.choices, required=False)
    site = SiteField(max_length=253, required=False)
    also_on = SiteListField(required=False)
    cover = CoverField(required=False)

    def __init__(
        self,
        *args,
        files_folder: Path | None = None,
        sites: SiteDirectory | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        cover, site, also_on = (self.fields[name] for name in ("cover", "site", "also_on"))
        assert isinstance(cover, CoverField)
        assert isinstance(site, SiteField) and isinstance(also_on, SiteListField)
        cover.files = files_folder
        site.directory = also_on.directory = sites or SiteDirectory()

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"] or transliterate_slug(self.data.get("title") or "")


def _problems_from_form(line: int, form: forms.Form) -> list[ImportProblem]:
    return [
        ImportProblem(line, f"{name}: {' '.join(map(str, errors))}")
        for name, errors in form.errors.items()
    ]


Record = dict[str, Any]


def parse_import_lines(
    lines: Iterable[str], *, files: Path | None = None, progress: "Progress | None" = None
) -> tuple[list[tuple[int, Record]], list[ImportProblem]]:
    """Validated records with their line numbers, and every problem found in the file."""
    records: list[tuple[int, Record]] = []
    problems: list[ImportProblem] = []
    slug_lines: dict[str, int] = {}
    sites = SiteDirectory()
    for number, raw in enumerate(lines, start=1):
        if progress is not None and number % CHECK_REPORT_EVERY == 0:
            progress(CHECKING, number, 0)
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            problems.append(ImportProblem(number, _("не JSON: %(error)s") % {"error": error}))
            continue
        if not isinstance(data, dict):
            problems.append(ImportProblem(number, _("строка должна быть JSON-объектом")))
            continue
        unknown = sorted(set(data) - IMPORT_KEYS)
        if unknown:
            problems.append(
                ImportProblem(
                    number, _("неизвестные ключи: %(keys)s") % {"keys": ", ".join(unknown)}
                )
            )
            continue
        form = ArticleRecordForm(data, files_folder=files, sites=sites)
        if not form.is_valid():
            problems.extend(_problems_from_form(number, form))
            continue
        record = form.cleaned_data
        if not record["slug"]:
            problems.append(ImportProblem(number, _("из заголовка не получается адрес (slug)")))
            continue
        if record["slug"] in slug_lines:
            problems.append(
                ImportProblem(
                    number,
                    _("адрес «%(slug)s» уже встречался в строке %(line)s")
                    % {"slug": record["slug"], "line": slug_lines[record["slug"]]},
                )
            )
            continue
        slug_lines[record["slug"]] = number
        records.append((number, record))
    return records, problems


def _cover_for(cover: CoverRecord, *, user: RequestUser | None, added: dict[Path, Image]) -> Image:
    """The cover as a photo of the library, checked like an upload in the admin; a file named by
    several lines of one import becomes one photo."""
    if cover.path not in added:
        with cover.path.open("rb") as stream:
            photo = check_upload(File(stream, name=cover.path.name))
        added[cover.path] = photo_services.add_image(
            photo=photo,
            title=cover.title,
            alt=cover.alt,
            caption=cover.caption,
            credit=cover.credit,
            user=user,
        )
    return added[cover.path]


class References:
    """The rubrics, regions, staff and tags an import names, each looked up (or made) once."""

    def __init__(self) -> None:
        self.rubrics: dict[str, Rubric] = {}
        self.regions: dict[str, Region] = {}
        self.authors: dict[str, StaffProfile] = {}
        self.tags: dict[str, Tag] = {}

    def rubric(self, name: str) -> Rubric:
        key = name.lower()
        if key not in self.rubrics:
            rubric = Rubric.objects.filter(name__iexact=name).first()
            if rubric is None:
                rubric = Rubric(name=name)
                rubric.full_clean()
                rubric.save()
            self.rubrics[key] = rubric
        return self.rubrics[key]

    def region_list(self, names: list[str]) -> list[Region]:
        for name in names:
            if name.lower() not in self.regions:
                self.regions[name.lower()] = region_for_name(name=name)
        return [self.regions[name.lower()] for name in names]

    def author_list(self, names: list[str]) -> list[StaffProfile]:
        for name in names:
            if name.lower() not in self.authors:
                self.authors[name.lower()] = _author_named(name)
        return [self.authors[name.lower()] for name in names]

    def tag_list(self, names: list[str]) -> list[Tag]:
        return [self.tags[name.lower()] for name in names]

    def find_tags(self, records: Iterable[Record]) -> None:
        """Every tag the records name, in one query for those not met before."""
        names = [name for record in records for name in record["tags"]]
        self.tags |= services.tags_named(name for name in names if name.lower() not in self.tags)


def _filled(
    article: Article,
    record: Record,
    *,
    references: References,
    user: RequestUser | None,
    covers: dict[Path, Image],
) -> Article:
    for name in ("title", "lead", "body", "source_name", "source_url", "age_mark"):
        setattr(article, name, record[name])
    article.rubric = references.rubric(record["rubric"])
    if record["site"] is not None:
        article.site = record["site"]
    elif article.site_id is None:
        article.site = hosts.current_site()
    if record["cover"] is not None:
        article.cover = _cover_for(record["cover"], user=user, added=covers)
    article.status = record["status"] or article.status
    article.published_at = record["published_at"] or article.published_at
    return article


def _update_record(
    article: Article,
    record: Record,
    *,
    references: References,
    user: RequestUser | None,
    covers: dict[Path, Image],
) -> Article:
    """An article already at the line's slug: changed through `services.save_article`."""
    _filled(article, record, references=references, user=user, covers=covers)
    article.full_clean(exclude=["excerpt", "age_mark"])
    services.save_article(
        article=article,
        user=user,
        regions=references.region_list(record["regions"]),
        tags=references.tag_list(record["tags"]),
        authors=references.author_list(record["authors"]),
        revision_comment=_("Импорт"),
    )
    if record["also_on"]:
        services.place_article(article=article, sites=record["also_on"], user=None)
    return article


def _new_article(
    record: Record,
    *,
    references: References,
    user: RequestUser | None,
    covers: dict[Path, Image],
) -> services.NewArticle:
    """A new article, checked as `full_clean()` checks it, for `services.save_articles_in_bulk`.

    The rubric, site and cover were just looked up and the slug is free, so the checks that
    would ask the database about each (foreign keys, uniqueness, constraints) are left out.
    """
    article = Article(slug=record["slug"])
    _filled(article, record, references=references, user=user, covers=covers)
    article.full_clean(
        exclude=["excerpt", "age_mark", "rubric", "site", "cover"],
        validate_unique=False,
        validate_constraints=False,
    )
    return services.NewArticle(
        article=article,
        regions=references.region_list(record["regions"]),
        tags=references.tag_list(record["tags"]),
        authors=references.author_list(record["authors"]),
        also_on=record["also_on"],
    )


def _author_named(name: str) -> StaffProfile:
    author = StaffProfile.objects.filter(public_name__iexact=name).first()
    if author is None:
        author = StaffProfile(public_name=name)
        author.full_clean()
        author.save()
    return author


# Told `(stage, lines done, lines in all)`: CHECKING as lines are read (the total not yet
# known: 0), then SAVING as each batch is written.
Progress = Callable[[str, int, int], None]
CHECKING, SAVING = "checking", "saving"
# Lines between two reports while checking.
CHECK_REPORT_EVERY = 1000


def import_articles(
    *,
    lines: Iterable[str],
    user: RequestUser | None = None,
    files: Path | None = None,
    progress: Progress | None = None,
    batch_size: int = services.BULK_BATCH_SIZE,
) -> ImportResult:
    """Create or update (matched on slug) one article per JSON line, all or nothing.

    Every line is checked before any is written, and the writes share one transaction, so a
    file with a bad line leaves the database as it was. New articles are saved in batches of
    `batch_size` (`services.save_articles_in_bulk`), articles already at a line's slug one by
    one (`services.save_article`); `progress` is told how far it got (see `Progress`).
    Cover files are looked for under `files` (the import file's folder, for the command).
    """
    records, problems = parse_import_lines(lines, files=files, progress=progress)
    if problems:
        raise ImportRejected(problems)
    result = ImportResult()
    references = References()
    covers: dict[Path, Image] = {}

    def new_articles() -> Iterator[services.NewArticle]:
        for start in range(0, len(records), batch_size):
            batch = records[start : start + batch_size]
            references.find_tags(record for _number, record in batch)
            existing = Article.objects.in_bulk(
                [record["slug"] for _number, record in batch], field_name="slug"
            )
            for number, record in batch:
                try:
                    if record["slug"] in existing:
                        with transaction.atomic():
                            result.updated.append(
                                _update_record(
                                    existing[record["slug"]],
                                    record,
                                    references=references,
                                    user=user,
                                    covers=covers,
                                )
                            )
                    else:
                        new = _new_article(record, references=references, user=user, covers=covers)
                        if not problems:
                            yield new
                except ValidationError as error:
                    problems.extend(ImportProblem(number, message) for message in error.messages)
            if progress is not None:
                progress(SAVING, start + len(batch), len(records))

    with transaction.atomic():
        result.created = services.save_articles_in_bulk(
            articles=new_articles(),
            user=user,
            revision_comment=_("Импорт"),
            batch_size=batch_size,
        )
        if problems:
            raise ImportRejected(problems)
    return result
