"""Article revisions with django-reversion: what a revision holds and how two differ.

`editorial.services` saves every article inside `recording()`, which stores the article with its
bylines and tags in one revision, with who made it and when. Restoring (`services.restore_revision`)
copies back only RESTORABLE fields; status, publication time, address and age mark stay as they
are, so a restore never publishes, unpublishes or steps around the workflow.
"""

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router
from django.db.models import Field, Model, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Revision, Version
from reversion.revisions import _get_options

from articles.models import Article, ArticleAuthor, Rubric, Tag, TaggedArticle
from newsroom.text import html_blocks
from photos.models import Image
from regions.models import Region
from staff.models import StaffProfile

from .models import ArticleTransition
from .permissions import RequestUser

# Derived from other fields on every save; keeping them would only bloat each revision.
DERIVED_FIELDS = (
    "excerpt",
    "search_title",
    "search_lead",
    "search_body",
    "search_vector",
    "search_terms",
)
# Many-to-many fields with their own through models: their rows are followed as models instead.
THROUGH_FIELDS = ("tags", "authors")

SOURCE_FIELDS = ("source_name", "source_url")
# Restorable fields copied back as they were stored.
TEXT_FIELDS = ("title", "lead", "body", *SOURCE_FIELDS)
# What a restore may copy back, as the names of the admin form's fields and inline.
RESTORABLE = (
    "title",
    "lead",
    "body",
    "cover",
    "source_name",
    "source_url",
    "rubric",
    "regions",
    "tags",
    "bylines",
)

TOKEN = re.compile(r"\w+|\s+|[^\w\s]+")
# Below this similarity two paired lines read better as one removed and one added line.
WORD_DIFF_MIN_RATIO = 0.4


def register_models() -> None:
    if reversion.is_registered(Article):
        return
    reversion.register(Tag, fields=("name", "slug"))
    reversion.register(TaggedArticle, follow=("tag",))
    reversion.register(ArticleAuthor)
    reversion.register(
        Article,
        exclude=DERIVED_FIELDS + THROUGH_FIELDS,
        follow=("bylines", "taggedarticle_set"),
    )


register_models()


@contextmanager
def recording(*, user: RequestUser | None = None, comment: str = "") -> Iterator[None]:
    """Keep every save inside as one revision, made by `user`, with `comment`."""
    with reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        if comment:
            reversion.set_comment(comment)
        yield


def store_with_relations(article: Article) -> None:
    """Store the article again in the open revision, following the bylines and tags it has now.

    Its save stored it with the relations it had then; the service sets them after the save,
    and writes bylines in bulk, which sends no signal for reversion to notice.
    """
    reversion.add_to_revision(article)


def record_first_revisions(
    *,
    articles: Iterable[Article],
    regions: dict[int, list[int]],
    bylines: Iterable[ArticleAuthor],
    tagged: Iterable[TaggedArticle],
    user: RequestUser | None = None,
    comment: str = "",
) -> None:
    """One revision per new article, written in two queries, holding what `recording()` would
    have stored for it: the article with its `regions` (ids by article id), its bylines, its tag
    links and their tags, serialised as django-reversion serialises them.

    For the bulk import, whose rows are inserted without the signals reversion listens to.
    """
    articles = list(articles)
    beside: dict[int, list[Model]] = {article.pk: [] for article in articles}
    for byline in bylines:
        beside[byline.article_id].append(byline)
    for link in tagged:
        beside[link.content_object_id] += [link, link.tag]
    now = timezone.now()
    author = user if user is not None and user.is_authenticated else None
    made = Revision.objects.bulk_create(
        Revision(date_created=now, user=author, comment=comment) for _article in articles
    )
    Version.objects.bulk_create(
        _version_of(stored, revision, many_to_many={"regions": regions[article.pk]})
        for article, revision in zip(articles, made, strict=True)
        for stored in dict.fromkeys([article, *beside[article.pk]])
    )


def _version_of(
    stored: Model, revision: Revision, *, many_to_many: dict[str, list[int]]
) -> Version:
    """Reversion's version of `stored`. Its many-to-many fields' ids come from `many_to_many`:
    Django's serialiser would ask the database for them, one query per object."""
    options = _get_options(type(stored))
    links = {f.name for f in stored._meta.local_many_to_many if f.name in options.fields}
    (data,) = serializers.serialize(
        "python", [stored], fields=[name for name in options.fields if name not in links]
    )
    data["fields"] |= {name: many_to_many[name] for name in links}
    assert options.format == "json"
    return Version(
        revision=revision,
        object_id=str(stored.pk),
        content_type=ContentType.objects.get_for_model(type(stored)),
        db=router.db_for_write(type(stored), instance=stored),
        format=options.format,
        serialized_data=json.dumps([data], cls=DjangoJSONEncoder, ensure_ascii=False),
        object_repr=str(stored),
    )


def versions_of(article: Article) -> QuerySet[Version]:
    """The article's stored versions, newest first, with who saved each."""
    return (
        Version.objects.get_for_object(article)
        .select_related("revision__user__staff_profile")
        .order_by("-revision__date_created", "-pk")
    )


def version_in_revision(article: Article, revision_id: str | int | None) -> Version | None:
    """The article's version in that revision; None for another article's or unknown revision."""
    if revision_id is None:
        return None
    try:
        revision_id = int(revision_id)
    except (TypeError, ValueError):
        return None
    return versions_of(article).filter(revision_id=revision_id).first()


@dataclass(frozen=True)
class Snapshot:
    """An article as one revision stored it, in plain values."""

    version: Version
    fields: dict[str, Any]
    region_ids: list[int]
    tags: list[tuple[int, str]] = field(default_factory=list)
    bylines: list[tuple[int, int]] = field(default_factory=list)

    @property
    def number(self) -> int | None:
        return self.fields.get("version")


def _of_model(versions: list[Version], model: type[Model]) -> Iterator[Version]:
    content_type = ContentType.objects.get_for_model(model)
    return (version for version in versions if version.content_type_id == content_type.pk)


def snapshot(version: Version) -> Snapshot:
    """Read a version with the bylines and tags stored beside it (one query). Raises
    RevertError."""
    data = version.field_dict
    article_id = int(version.object_id)
    beside = list(version.revision.version_set.all())
    tag_names = {int(v.object_id): v.field_dict["name"] for v in _of_model(beside, Tag)}
    tags = [
        (v.field_dict["tag_id"], tag_names.get(v.field_dict["tag_id"], ""))
        for v in _of_model(beside, TaggedArticle)
        if v.field_dict["content_object_id"] == article_id
    ]
    bylines = sorted(
        (v.field_dict["order"], v.field_dict["author_id"])
        for v in _of_model(beside, ArticleAuthor)
        if v.field_dict["article_id"] == article_id
    )
    return Snapshot(
        version=version,
        fields=data,
        region_ids=list(data.get("regions", [])),
        tags=sorted(tags, key=lambda tag: tag[1].lower()),
        bylines=[(author_id, order) for order, author_id in bylines],
    )


def version_number(version: Version) -> int | None:
    """The article's `version` counter as this revision stored it, or None if unreadable."""
    try:
        return version.field_dict.get("version")
    except RevertError:
        return None


# Diffs


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str = "equal"  # "equal", "insert" or "delete"


@dataclass(frozen=True)
class DiffLine:
    pieces: tuple[Piece, ...]

    @property
    def kind(self) -> str:
        kinds = {piece.kind for piece in self.pieces}
        return kinds.pop() if len(kinds) == 1 else "changed"


@dataclass(frozen=True)
class FieldDiff:
    label: str | Promise
    lines: list[DiffLine]

    @property
    def changed(self) -> bool:
        return any(line.kind != "equal" for line in self.lines)


def text_lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def _merge(pieces: Iterable[Piece]) -> tuple[Piece, ...]:
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].kind == piece.kind:
            merged[-1] = Piece(merged[-1].text + piece.text, piece.kind)
        else:
            merged.append(piece)
    return tuple(merged)


def diff_words(old: str, new: str) -> DiffLine:
    """One line with the removed and added words marked."""
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    pieces = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("".join(old_tokens[i1:i2])))
            continue
        pieces.append(Piece("".join(old_tokens[i1:i2]), "delete"))
        pieces.append(Piece("".join(new_tokens[j1:j2]), "insert"))
    return DiffLine(_merge(pieces))


def _replaced_lines(old: list[str], new: list[str]) -> Iterator[DiffLine]:
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else None
        after = new[index] if index < len(new) else None
        if before is not None and after is not None:
            ratio = difflib.SequenceMatcher(None, before, after, autojunk=False).ratio()
            if ratio >= WORD_DIFF_MIN_RATIO:
                yield diff_words(before, after)
                continue
        if before is not None:
            yield DiffLine((Piece(before, "delete"),))
        if after is not None:
            yield DiffLine((Piece(after, "insert"),))


def diff_lines(old: list[str], new: list[str]) -> list[DiffLine]:
    """Line by line, and word by word inside a line that was edited rather than replaced."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(DiffLine((Piece(line),)) for line in old[i1:i2])
        elif tag == "delete":
            lines.extend(DiffLine((Piece(line, "delete"),)) for line in old[i1:i2])
        elif tag == "insert":
            lines.extend(DiffLine((Piece(line, "insert"),)) for line in new[j1:j2])
        else:
            lines.extend(_replaced_lines(old[i1:i2], new[j1:j2]))
    return lines


def text_diffs(old: Snapshot, new: Snapshot) -> list[FieldDiff]:
    """Title, lead and body of two revisions, compared as readable text."""
    article = Article._meta
    return [
        FieldDiff(
            article.get_field("title").verbose_name,
            diff_lines(text_lines(old.fields["title"]), text_lines(new.fields["title"])),
        ),
        FieldDiff(
            article.get_field("lead").verbose_name,
            diff_lines(text_lines(old.fields["lead"]), text_lines(new.fields["lead"])),
        ),
        FieldDiff(
            article.get_field("body").verbose_name,
            diff_lines(html_blocks(old.fields["body"]), html_blocks(new.fields["body"])),
        ),
    ]


@dataclass(frozen=True)
class ValueChange:
    label: str | Promise
    old: str
    new: str


def other_changes(old: Snapshot, new: Snapshot) -> list[ValueChange]:
    """The other fields a restore copies back, plus status, where the two revisions differ."""
    rubrics: dict[int | None, str] = dict(
        Rubric.objects.filter(
            pk__in=[old.fields.get("rubric_id"), new.fields.get("rubric_id")]
        ).values_list("pk", "name")
    )
    regions = dict(
        Region.objects.filter(pk__in={*old.region_ids, *new.region_ids}).values_list("pk", "name")
    )
    covers: dict[int | None, str] = dict(
        Image.objects.filter(
            pk__in=[old.fields.get("cover_id"), new.fields.get("cover_id")]
        ).values_list("pk", "title")
    )
    covers[None] = ""
    authors = dict(
        StaffProfile.objects.filter(
            pk__in={author for author, _ in old.bylines + new.bylines}
        ).values_list("pk", "public_name")
    )
    gone = _("(удалено)")

    def describe(shot: Snapshot) -> dict[str, str]:
        values = {"cover": covers.get(shot.fields.get("cover_id"), gone)}
        values |= {name: shot.fields.get(name) or "" for name in SOURCE_FIELDS}
        values["rubric"] = rubrics.get(shot.fields.get("rubric_id"), gone)
        values["regions"] = ", ".join(sorted(regions.get(pk, gone) for pk in shot.region_ids))
        values["tags"] = ", ".join(name for _, name in shot.tags)
        values["bylines"] = ", ".join(authors.get(pk, gone) for pk, _ in shot.bylines)
        status = shot.fields.get("status", "")
        values["status"] = str(Article.Status(status).label) if status in Article.Status else status
        return values

    def label(name: str) -> str | Promise:
        if name == "bylines":
            return _("авторы")
        # `describe` names only concrete fields of the article (and "bylines").
        return cast("Field[Any, Any]", Article._meta.get_field(name)).verbose_name

    before, after = describe(old), describe(new)
    return [
        ValueChange(label(name), before[name], after[name])
        for name in before
        if before[name] != after[name]
    ]


@dataclass(frozen=True)
class Comparison:
    """Two revisions of an article and what differs between them, older first."""

    old: Snapshot
    new: Snapshot
    diffs: list[FieldDiff]
    other_changes: list[ValueChange]


def compare(first: Version, second: Version) -> Comparison:
    """Compare two versions of one article, whichever order they come in. Raises RevertError."""
    old, new = (
        snapshot(version)
        for version in sorted(
            (first, second),
            key=lambda version: (version.revision.date_created, version.revision_id),
        )
    )
    return Comparison(old, new, text_diffs(old, new), other_changes(old, new))


# How many versions before its last unpublishing to search for what readers last saw: the
# unpublishing's own revision, then the one saved while the article was on the site (more only if
# it had been scheduled and taken down before its time).
PUBLISHED_LOOKBACK = 5


def last_published_version(article: Article) -> Version | None:
    """The version readers last saw, for an article taken off the site since; else None.

    An article leaves the site only by an "unpublish" step (the trash keeps its status), so
    the last version stored before that step, published at a time already passed, is it.
    """
    step = (
        article.transitions.filter(action=ArticleTransition.Action.UNPUBLISH)
        .order_by("-created_at", "-pk")
        .first()
    )
    if step is None:
        return None
    candidates = versions_of(article).filter(revision__date_created__lte=step.created_at)
    for version in candidates[:PUBLISHED_LOOKBACK]:
        try:
            fields = version.field_dict
        except RevertError:
            continue
        published_at = fields.get("published_at")
        if (
            fields.get("status") == Article.Status.PUBLISHED
            and published_at is not None
            and published_at <= step.created_at
        ):
            return version
    return None


def changes_since_publication(article: Article) -> Comparison | None:
    """What an article off the site changed since readers last saw it; None if they never did
    (or the published version is no longer stored or readable)."""
    published = last_published_version(article)
    latest = versions_of(article).first()
    if published is None or latest is None:
        return None
    try:
        return compare(published, latest)
    except RevertError:
        return None


# Restoring


def restore_comment(version: Version) -> str:
    moment = date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
    return _("Восстановлено из версии от %(date)s") % {"date": moment}
