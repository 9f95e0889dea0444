import functools
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Func,
    JSONField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from articles.body import BODY_EXTENSIONS, sanitize_body
from newsroom.models import AgeMark, SluggedModel, TimestampedModel
from newsroom.slugs import slug_address, transliterate_slug

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise

EXCERPT_LENGTH = 100
# Plain-text fields an editor may paste into; `editorial.services` cleans them on every save.
PLAIN_TEXT_FIELDS = ["title", "lead", "source_name"]


class SanitizedHTMLField(ProseEditorField):
    """Rich text that is sanitised on every save, not only when a form validates it.

    `sanitize_on` remembers the value it produced, so a body sanitised before the save (the
    excerpt and search words are made from it) is not sanitised again when it is written.
    """

    def sanitize_on(self, instance) -> str:
        value = getattr(instance, self.attname) or ""
        memo = f"_{self.attname}_sanitized"
        if value != instance.__dict__.get(memo):
            value = self.sanitize(value)
            setattr(instance, self.attname, value)
            instance.__dict__[memo] = value
        return value

    def pre_save(self, model_instance, add):
        return self.sanitize_on(model_instance)


class RubricQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_menu_of(self, site) -> "RubricQuerySet":
        """The site's menu, in its order; every active rubric when the site has chosen none.

        One query either way: the site's choice is a subquery, not a first read.
        """
        menu = SiteRubric.objects.filter(site=site)
        return (
            self.active()
            .annotate(menu_order=Subquery(menu.filter(rubric=OuterRef("pk")).values("order")[:1]))
            .filter(Q(menu_order__isnull=False) | ~Exists(menu))
            .order_by(F("menu_order").asc(nulls_last=True), "order", "name")
        )

    def with_articles_on(self, site) -> "RubricQuerySet":
        """Rubrics the site shows at least one published article under.

        One probe of the site's rubric index each: a home section of a rubric the site has
        nothing in would otherwise walk all of the site's placements to find nothing, since
        PostgreSQL estimates the rubric's share on the site from the whole network's.
        """
        return self.filter(
            Exists(
                Placement.objects.filter(
                    site=site,
                    rubric=OuterRef("pk"),
                    is_listed=True,
                    published_at__lte=timezone.now(),
                )
            )
        )


class Rubric(TimestampedModel, SluggedModel):
    name = models.CharField(_("название"), max_length=100, unique=True)
    description = models.TextField(_("описание"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("порядок"), default=100, help_text=_("Рубрики с меньшим числом идут в меню первыми.")
    )
    default_age_mark = models.CharField(
        _("возрастная маркировка по умолчанию"),
        max_length=3,
        choices=AgeMark.choices,
        default=AgeMark.TWELVE,
        help_text=_("Ставится статье рубрики, если редактор не выбрал маркировку сам."),
    )
    is_active = models.BooleanField(
        _("активна"), default=True, help_text=_("Неактивная рубрика не показывается в меню.")
    )

    objects = RubricQuerySet.as_manager()

    class Meta:
        verbose_name = _("рубрика")
        verbose_name_plural = _("рубрики")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_address("articles:rubric", self.slug)


class Tag(TagBase):
    """A taggit tag with a Latin slug, so tag URLs read like the rest of the site's."""

    class Meta:
        verbose_name = _("тег")
        verbose_name_plural = _("теги")
        ordering = ["name"]

    def get_absolute_url(self):
        return slug_address("articles:tag", self.slug)

    def slugify(self, tag, i=None):
        slug = transliterate_slug(tag, max_length=90) or "tag"
        return f"{slug}-{i}" if i is not None else slug


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        verbose_name = _("тег статьи")
        verbose_name_plural = _("теги статей")
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_unique")
        ]
        indexes = [
            # A tag page's articles, read from the index alone.
            models.Index(fields=["tag", "content_object"], name="tagged_article_by_tag_idx")
        ]


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("черновик")
    REVIEW = "review", _("на проверке")
    RETURNED = "returned", _("возвращено автору")
    PUBLISHED = "published", _("опубликовано")
    UNPUBLISHED = "unpublished", _("снято с публикации")


# What readers see, in two parts. LISTED does not depend on the clock, so the partial indexes of
# reader pages use it; the time is compared when a query runs (`visible_to_readers`).
LISTED_LOOKUPS: dict[str, object] = {"status": ArticleStatus.PUBLISHED, "deleted_at__isnull": True}
LISTED = Q(**LISTED_LOOKUPS)


def visible_to_readers(*, at: datetime, via: str = "") -> Q:
    """The one definition of what readers may see: listed, and its publication time has come.

    `via` is the path to the article from another model, e.g. "content_object__".
    """
    conditions = {f"{via}{lookup}": value for lookup, value in LISTED_LOOKUPS.items()}
    return Q(**conditions, **{f"{via}published_at__lte": at})


# What an article card shows (`includes/article_card.html`), besides the rubric it is shown
# under, which comes with the placement (`for_list`).
CARD_FIELDS = (
    "title",
    "slug",
    "excerpt",
    "published_at",
    "age_mark",
    "cover",
    "version",  # names the card's stored HTML (`articles.cards`)
)
# What names an article's card on a site (`articles.cards.CardRef`), in its order.
CARD_REF_FIELDS = ("pk", "version", "placement__rubric_id")


def in_regions(article_field: str, region_ids) -> Exists:
    """Whether the article that `article_field` of the outer row names is in any of the regions:
    a probe of the region links' `(article_id, region_id)` index per row."""
    return Exists(
        Article.regions.through.objects.filter(
            article_id=OuterRef(article_field), region_id__in=region_ids
        )
    )


@dataclass(frozen=True)
class SiteListing:
    """A site's list as its placements alone can say it: `published_on(site)`, maybe narrowed
    by `in_rubric_on`, `in_region` and `shown_between`, and nothing else."""

    site_id: int
    now: datetime
    rubric_id: int | None = None
    start: datetime | None = None
    end: datetime | None = None
    region_ids: tuple[int, ...] | None = None  # a region and every region below it

    def placements(self) -> "models.QuerySet[Placement]":
        """The list's placements in the list's order, from the site's partial indexes only (and
        the region links' index, for a region's list)."""
        placements = Placement.objects.filter(
            site_id=self.site_id, is_listed=True, published_at__lte=self.now
        )
        if self.rubric_id is not None:
            placements = placements.filter(rubric_id=self.rubric_id)
        if self.region_ids is not None:
            placements = placements.filter(in_regions("article_id", self.region_ids))
        if self.start is not None:
            placements = placements.filter(published_at__gte=self.start)
        if self.end is not None:
            placements = placements.filter(published_at__lt=self.end)
        return placements.order_by("-published_at", "-article_id")


class ArticleQuerySet(models.QuerySet):
    # What `published_on` and the narrowings after it asked of the site's placements, while the
    # list is nothing more (`ids_between`). Any other call drops it: only the methods that
    # cannot change which rows a list has or their order (`_same_rows`) carry it over.
    site_listing: SiteListing | None = None

    def _same_rows(self, articles: "ArticleQuerySet") -> "ArticleQuerySet":
        articles.site_listing = self.site_listing
        return articles

    def _listing(self, articles: "ArticleQuerySet", **changes: object) -> "ArticleQuerySet":
        if self.site_listing is not None:
            articles.site_listing = replace(self.site_listing, **changes)  # type: ignore[arg-type]
        return articles

    def all(self):
        return self._same_rows(super().all())

    def select_related(self, *fields):
        return self._same_rows(super().select_related(*fields))

    def prefetch_related(self, *lookups):
        return self._same_rows(super().prefetch_related(*lookups))

    def only(self, *fields):
        return self._same_rows(super().only(*fields))

    def defer(self, *fields):
        return self._same_rows(super().defer(*fields))

    def published(self):
        """What readers may see (`visible_to_readers`)."""
        return self.filter(visible_to_readers(at=timezone.now()))

    def published_on(self, site) -> "ArticleQuerySet":
        """What readers of `site` may see: `published()`, narrowed to the articles it carries.

        The article's placement on the site comes along as `placement` (with the rubric it is
        shown under there), and the order is the placement's own copy of the publication time,
        so a site's page walks that site's index however many sites share the table.
        """
        now = timezone.now()
        articles = (
            self.published()
            .annotate(placement=FilteredRelation("placements", condition=Q(placements__site=site)))
            .filter(placement__is_listed=True, placement__published_at__lte=now)
            .order_by("-placement__published_at", "-placement__article_id")
        )
        if not self.query.has_filters():
            articles.site_listing = SiteListing(site_id=getattr(site, "pk", site), now=now)
        return articles

    def in_rubric_on(self, rubric: "Rubric | int") -> "ArticleQuerySet":
        """Of `published_on`'s articles, those its site shows under `rubric` (or its id).

        The rubric is compared on `published_on`'s own join of the placement, through an alias:
        `filter(placement__rubric=…)` in a later call joins the placements a second time, without
        the conditions that let PostgreSQL walk the site's rubric index.
        """
        rubric_id = rubric.pk if isinstance(rubric, Rubric) else rubric
        articles = self.alias(shown_rubric_id=F("placement__rubric_id")).filter(
            shown_rubric_id=rubric_id
        )
        if self.site_listing is not None and self.site_listing.rubric_id is not None:
            return articles  # a second rubric: not a list the placements' index can walk
        return self._listing(articles, rubric_id=rubric_id)

    def shown_between(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> "ArticleQuerySet":
        """Of `published_on`'s articles, those that came out on the site from `start` (included)
        to `end` (excluded), compared on the same join as `in_rubric_on`."""
        articles = self.alias(shown_at=F("placement__published_at"))
        if start is not None:
            articles = articles.filter(shown_at__gte=start)
        if end is not None:
            articles = articles.filter(shown_at__lt=end)
        listing = self.site_listing
        if listing is None or (start is None and end is None):
            return self._same_rows(articles)
        if (start is not None and listing.start is not None) or (
            end is not None and listing.end is not None
        ):
            return articles  # narrowed twice: left to the general case
        return self._listing(
            articles,
            start=start if start is not None else listing.start,
            end=end if end is not None else listing.end,
        )

    def ids_between(self, start: int, stop: int) -> "models.QuerySet":
        """The ids of the list's rows `start` to `stop`, as a subquery, without reading them.

        A site's list that its placements alone can say (`site_listing`) skips over the site's
        partial index only: asking each skipped article's row whether `published()` lets it
        through reads ten thousand rows for page 500. The skip relies on the placement's copies
        of `is_listed` and `published_at`, which `editorial.services` keeps equal to the
        article's, as `published_on`'s order already does; the rows read with these ids are
        still filtered by the whole list, `published()` included, so a reader never sees an
        article it hides.
        """
        if self.site_listing is None:
            return self.values("pk")[start:stop]
        return self.site_listing.placements().values("article_id")[start:stop]

    def primary_on(self, site) -> "ArticleQuerySet":
        """Articles whose primary site is `site`: what aggregators may list for it."""
        return self.filter(site=site)

    def first_scheduled_after(self, moment: datetime) -> datetime | None:
        """When the next article that readers will see comes out, for the page cache."""
        return (
            self.filter(LISTED, published_at__gt=moment)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def not_trashed(self):
        return self.filter(deleted_at__isnull=True)

    def trashed(self):
        return self.filter(deleted_at__isnull=False)

    def owned_by(self, user):
        """Articles the user wrote: created in the admin, or signed by their staff profile."""
        return self.filter(
            Q(created_by=user)
            | Q(pk__in=ArticleAuthor.objects.filter(author__user=user).values("article"))
        )

    def in_region(self, region):
        """Articles tagged with the region or any region below it.

        The region's subtree is read first (one small query) and passed as a list of ids: with a
        subquery PostgreSQL cannot tell an oblast (nearly every article) from a village, and
        plans a scan of every region link for both. A site's list keeps it (`site_listing`), so
        a deep page skips over the site's placements and the region links without reading the
        skipped articles' rows.
        """
        from regions.models import Region

        subtree = list(Region.objects.with_descendants(region).values_list("pk", flat=True))
        articles = self.filter(in_regions("pk", subtree))
        if self.site_listing is not None and self.site_listing.region_ids is not None:
            return articles  # a second region: not a list the placements' index can walk
        return self._listing(articles, region_ids=tuple(subtree))

    def latest_per_rubric(self, rubric_ids, per_rubric: int):
        """Of `published_on`'s articles, the newest `per_rubric` of each rubric, in one query.

        A UNION ALL of one `LIMIT` per rubric: each part walks the site's rubric index and
        stops, so the cost does not grow with the archive (a window function ranked them all).
        """
        parts = [self.in_rubric_on(rubric_id)[:per_rubric] for rubric_id in rubric_ids]
        if not parts:
            return self.none()
        return parts[0].union(*parts[1:], all=True)

    def for_list(self):
        """Article cards on home, rubric, region, tag and author pages of `published_on`."""
        return (
            self.select_related("placement__rubric", "cover")
            .prefetch_related("cover__renditions")
            ._cards(*CARD_FIELDS)
        )

    def for_cards(self):
        """What names each article's card on `published_on`'s site (`articles.cards.CardRef`):
        a list page whose cards are stored reads nothing more of its articles."""
        rows = self.values_list(*CARD_REF_FIELDS)
        return self._same_rows(cast("ArticleQuerySet", rows))  # the same class, rows as tuples

    def for_search_results(self):
        """Search result cards: the list card's columns plus lead and body for the snippet."""
        return (
            self.select_related("placement__rubric", "cover")
            .prefetch_related("cover__renditions")
            ._cards(*CARD_FIELDS, "lead", "body")
        )

    def _cards(self, *fields: str) -> "ArticleQuerySet":
        """`only(*fields)` of the article, and its placement without the copy of its search
        terms, which is for the search index, not for showing.

        `only()` cannot name the fields of `published_on`'s filtered relation, so the article's
        other columns are deferred instead.
        """
        deferred = [
            field.name
            for field in Article._meta.concrete_fields
            if field.name not in fields and not field.primary_key
        ]
        return self.defer(*deferred, "placement__search_terms")

    def for_syndication(self):
        """RSS items with their rubric and byline: two queries however long the feed."""
        return self.select_related("rubric", "cover").prefetch_related(
            models.Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
        )

    def for_feed(self):
        """The "Последние новости" column: title, excerpt and time only."""
        return self.only("title", "slug", "excerpt", "published_at")

    def for_admin_list(self):
        """The admin's article list: each article's regions, byline, cover thumbnail and how
        many sites besides its own carry it."""
        elsewhere = (
            Placement.objects.filter(article=OuterRef("pk"))
            .exclude(site_id=OuterRef("site_id"))
            .order_by()
            .values("article")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.prefetch_related(
            "regions",
            models.Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")),
            "cover__renditions",
        ).annotate(
            other_site_count=Coalesce(Subquery(elsewhere, output_field=models.IntegerField()), 0)
        )

    def for_article_page(self, site):
        """Everything the article page on `site` shows, in one query.

        `placement` is the article's placement on the site, None when the site does not carry
        it (the page then redirects to the primary site).

        Its regions, tags and bylines come in the article's own row as `page_links`:
        {"regions": [...], "tags": [...], "bylines": [...]}, each item {"name", "slug"}. The
        search columns, the article's and the placement's copy, large and never shown, stay in
        the database.
        """
        return (
            self.annotate(
                placement=FilteredRelation("placements", condition=Q(placements__site=site))
            )
            .select_related("rubric", "placement__rubric", "cover")
            .prefetch_related("cover__renditions")
            .defer(
                "search_title",
                "search_lead",
                "search_body",
                "search_vector",
                "search_terms",
                "placement__search_terms",
            )
            .annotate(page_links=RawSQL(article_page_links_sql(), (), output_field=JSONField()))
        )

    def for_article_page_ref(self, site):
        """What names the article page's stored parts on `site` (`articles.page.ArticlePageRef`),
        in its order: a page whose parts are stored reads nothing more of the article."""
        return self.annotate(
            placement=FilteredRelation("placements", condition=Q(placements__site=site))
        ).values_list(*ARTICLE_PAGE_REF_FIELDS)


# What the article page reads before its stored parts (`articles.page.ArticlePageRef.of_row`).
ARTICLE_PAGE_REF_FIELDS = (
    "pk",
    "version",
    "site_id",
    "slug",
    "age_mark",
    "rubric_id",
    "placement__id",
    "placement__rubric_id",
)


@functools.cache
def article_page_links_sql() -> str:
    """The article page's regions, tags and bylines as one JSON object, per article row.

    Written once as SQL: built with the ORM (three subqueries, or three prefetches) it cost
    1.5 ms of the app server's CPU per page, ten times what PostgreSQL spends running it.
    """
    from regions.models import Region
    from staff.models import StaffProfile

    article = Article._meta.db_table
    region, region_link = Region._meta.db_table, Article.regions.through._meta.db_table
    tag, tag_link = Tag._meta.db_table, TaggedArticle._meta.db_table
    author, byline = StaffProfile._meta.db_table, ArticleAuthor._meta.db_table
    return f"""jsonb_build_object(
        'regions', ARRAY(
            SELECT jsonb_build_object('name', r.name, 'slug', r.slug)
            FROM "{region}" r JOIN "{region_link}" l ON l.region_id = r.id
            WHERE l.article_id = "{article}".id ORDER BY r.name),
        'tags', ARRAY(
            SELECT jsonb_build_object('name', t.name, 'slug', t.slug)
            FROM "{tag}" t JOIN "{tag_link}" l ON l.tag_id = t.id
            WHERE l.content_object_id = "{article}".id ORDER BY t.name),
        'bylines', ARRAY(
            SELECT jsonb_build_object('name', a.public_name, 'slug', a.slug)
            FROM "{author}" a JOIN "{byline}" b ON b.author_id = a.id
            WHERE b.article_id = "{article}".id ORDER BY b."order", b.id)
    )"""


def staff_member_field(
    verbose_name: "StrOrPromise",
) -> "models.ForeignKey[User | Combinable | None, User | None]":
    """Who did something to the article; kept when their account is deleted, as empty."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )


def lemmas_field(
    verbose_name: "StrOrPromise", help_text: "StrOrPromise"
) -> "models.TextField[str | Combinable, str]":
    """A text's words in dictionary form, which the search vectors are generated from."""
    return models.TextField(
        verbose_name, blank=True, default="", editable=False, help_text=help_text
    )


# taggit has no types, so the plugin cannot see TaggedArticle's manager for `taggedarticle_set`.
class Article(TimestampedModel):  # type: ignore[django-manager-missing]
    Status = ArticleStatus

    title = models.CharField(_("заголовок"), max_length=255)
    slug = models.SlugField(
        _("адрес"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_(
            "Латиницей, из заголовка, если оставить пустым. Если сменить адрес вышедшей "
            "статьи, старый будет перенаправлять на новый."
        ),
    )
    lead = models.TextField(
        _("лид"), blank=True, help_text=_("Пусто — анонс берётся из начала текста.")
    )
    body = SanitizedHTMLField(
        _("текст"), extensions=BODY_EXTENSIONS, sanitize=sanitize_body, blank=True
    )
    excerpt = models.CharField(_("анонс"), max_length=EXCERPT_LENGTH + 1, editable=False)

    cover = models.ForeignKey(
        "photos.Image",
        verbose_name=_("главное фото"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="covered_articles",
        help_text=_("Из фотобиблиотеки; кнопка «+» загружает новое."),
    )
    site = models.ForeignKey(
        "network.Site",
        verbose_name=_("основной сайт"),
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_(
            "Сайт, чья редакция ведёт статью; её канонический адрес — на нём. "
            "На другие сайты статья попадает размещениями."
        ),
    )
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("рубрика"), on_delete=models.PROTECT, related_name="articles"
    )
    regions = models.ManyToManyField(
        "regions.Region", verbose_name=_("регионы"), blank=True, related_name="articles"
    )
    tags = TaggableManager(verbose_name=_("теги"), through=TaggedArticle, blank=True)
    age_mark = models.CharField(
        _("возрастная маркировка"),
        max_length=3,
        choices=AgeMark.choices,
        blank=True,
        help_text=_("Пусто — берётся маркировка рубрики."),
    )
    authors = models.ManyToManyField(
        "staff.StaffProfile",
        verbose_name=_("авторы"),
        through="ArticleAuthor",
        blank=True,
        related_name="articles",
    )
    source_name = models.CharField(
        _("источник"),
        max_length=200,
        blank=True,
        help_text=_("Например: «Сайт Правительства НСО.»"),
    )
    source_url = models.URLField(_("ссылка на источник"), max_length=500, blank=True)

    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("время публикации"),
        null=True,
        blank=True,
        help_text=_(
            "Время в будущем — статья появится на сайте сама в это время. "
            "Пусто при публикации — сейчас."
        ),
    )
    version = models.PositiveIntegerField(
        _("версия"),
        default=1,
        editable=False,
        help_text=_("Растёт с каждым сохранением; по ней видно, что статью изменили другие."),
    )
    is_featured = models.BooleanField(
        _("главная новость"),
        default=False,
        help_text=_("Самая свежая из отмеченных открывает главную страницу."),
    )
    created_by = staff_member_field(_("создал"))
    updated_by = staff_member_field(_("изменил"))
    deleted_at = models.DateTimeField(_("в корзине с"), null=True, blank=True, editable=False)
    deleted_by = staff_member_field(_("в корзину переместил"))
    search_title = lemmas_field(
        _("заголовок для поиска"),
        _("Слова заголовка в словарной форме; заполняется при сохранении."),
    )
    search_lead = lemmas_field(
        _("лид для поиска"), _("Слова лида в словарной форме; заполняется при сохранении.")
    )
    search_body = lemmas_field(
        _("текст для поиска"), _("Слова текста в словарной форме; заполняется при сохранении.")
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("search_title", config="simple", weight="A")
        + SearchVector("search_lead", config="simple", weight="B")
        + SearchVector("search_body", config="simple", weight="C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    search_terms = models.GeneratedField(
        expression=Func(
            SearchVector("search_title", "search_lead", "search_body", config="simple"),
            function="strip",
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("статья")
        verbose_name_plural = _("статьи")
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                condition=LISTED,
                name="article_published_idx",
            ),
            models.Index(
                fields=["-is_featured", "-published_at", "-id"],
                condition=LISTED,
                name="article_featured_idx",
            ),
            models.Index(
                fields=["rubric", "-published_at", "-id"],
                condition=LISTED,
                name="article_rubric_published_idx",
            ),
            models.Index(
                fields=["site", "-published_at", "-id"],
                condition=LISTED,
                name="article_site_published_idx",
            ),
            models.Index(fields=["status", "-updated_at"], name="article_status_idx"),
            GinIndex(fields=["search_terms"], name="article_search_terms_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]
        permissions = [
            ("view_all_articles", _("Видит статьи всех авторов")),
            ("edit_others_articles", _("Правит статьи других авторов в регионах своей редакции")),
            ("publish_article", _("Публикует, планирует и снимает статьи своих регионов")),
            ("review_article", _("Одобряет и возвращает статьи на проверке")),
            ("set_age_mark", _("Ставит статьям возрастную маркировку")),
            ("work_on_any_site", _("Работает на всех сайтах сети (редакция сети)")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_address("articles:detail", self.slug)

    def clean(self):
        self.fill_publication_time()

    def fill_publication_time(self) -> None:
        """Publishing without a time means now (checked before the constraint that needs one)."""
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_listed(self) -> bool:
        """In LISTED: published and not in the trash, whether its time has come or not."""
        return self.status == self.Status.PUBLISHED and self.deleted_at is None

    @property
    def is_published(self) -> bool:
        """Whether readers see it now: the same rule as `visible_to_readers`."""
        return (
            self.is_listed and self.published_at is not None and self.published_at <= timezone.now()
        )

    @property
    def shown_rubric(self) -> Rubric:
        """The rubric readers see it under: its placement's on the site being shown, when the
        query brought the placement (`published_on`, `for_article_page`), else its own."""
        placement = getattr(self, "placement", None)
        return placement.rubric if placement is not None else self.rubric

    def is_carried_by(self, site) -> bool:
        """Whether `site` shows the article: its primary site, or one it is placed on (loaded
        by `for_article_page`)."""
        return self.site_id == site.pk or getattr(self, "placement", None) is not None

    @property
    def is_trashed(self):
        return self.deleted_at is not None

    def is_owned_by(self, user):
        """Whether the user wrote the article; uses prefetched bylines when there are any."""
        if self.created_by_id == user.pk:
            return True
        return any(byline.author.user_id == user.pk for byline in self.bylines.all())

    @property
    def is_scheduled(self) -> bool:
        return (
            self.is_listed and self.published_at is not None and self.published_at > timezone.now()
        )


# Statuses under which an article's address has been given to readers.
PUBLIC_ADDRESS_STATUSES = {Article.Status.PUBLISHED, Article.Status.UNPUBLISHED}


class ArticleSlugRedirectQuerySet(models.QuerySet):
    def current_article(self, old_slug):
        """The published article that used to live at `old_slug`, or None."""
        return Article.objects.published().filter(old_slugs__old_slug=old_slug).only("slug").first()


class SiteRubric(models.Model):
    """A rubric in a site's menu, at its place: each site chooses its rubrics and their order."""

    site = models.ForeignKey(
        "network.Site",
        verbose_name=_("сайт"),
        on_delete=models.CASCADE,
        related_name="menu_rubrics",
    )
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("рубрика"), on_delete=models.CASCADE, related_name="site_menus"
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("рубрика в меню сайта")
        verbose_name_plural = _("меню рубрик")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "rubric"], name="site_rubric_unique")
        ]

    def __str__(self):
        return str(self.rubric)


class SiteTerms(Func):
    """A site's id and search terms as one list of "site:term" keys ("15:ремонт").

    The site's search index (`placement_site_search_idx`) holds the placements' terms keyed so:
    a GIN index on the site and the terms as two columns intersects the site's whole posting list
    with each word's across the network, while one key per site and word reads only the site's
    own matches. `placement_site_terms` is an immutable SQL function (migration 0014).
    """

    function = "placement_site_terms"
    output_field = ArrayField(models.TextField())


class PlacementQuerySet(models.QuerySet):
    def elsewhere(self):
        """Placements on sites other than the article's primary one."""
        return self.exclude(site=F("article__site"))


class Placement(models.Model):
    """An article on a site: on its primary site, and on each other site that carries it.

    Every article has one on its primary site, and the other sites' are added by pushing or
    picking up. `editorial.services` keeps the copies of the article's publication time, listed
    state, rubric and search terms up to date, so that a site's pages and its search walk this
    table's partial indexes: the cost of a district's page does not depend on how many articles
    the network has.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("статья"), on_delete=models.CASCADE, related_name="placements"
    )
    site = models.ForeignKey(
        "network.Site",
        verbose_name=_("сайт"),
        on_delete=models.CASCADE,
        related_name="placements",
    )
    chosen_rubric = models.ForeignKey(
        Rubric,
        verbose_name=_("рубрика на этом сайте"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Пусто — рубрика статьи."),
    )
    is_featured = models.BooleanField(
        _("главная на этом сайте"),
        default=False,
        help_text=_("Самая свежая из отмеченных открывает главную страницу сайта."),
    )
    rubric = models.ForeignKey(
        Rubric,
        verbose_name=_("рубрика на сайте"),
        on_delete=models.PROTECT,
        editable=False,
        related_name="placements",
    )
    published_at = models.DateTimeField(_("время публикации"), null=True, editable=False)
    is_listed = models.BooleanField(_("опубликована"), default=False, editable=False)
    search_terms = SearchVectorField(
        _("слова для поиска"),
        default="",
        editable=False,
        help_text=_("Копия слов статьи для поиска по сайту; обновляется при сохранении статьи."),
    )
    placed_at = models.DateTimeField(_("размещена"), auto_now_add=True)
    placed_by = staff_member_field(_("разместил"))

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("размещение")
        verbose_name_plural = _("размещения")
        ordering = ["site__name"]
        constraints = [
            models.UniqueConstraint(fields=["article", "site"], name="placement_unique_site")
        ]
        indexes = [
            models.Index(
                fields=["site", "-published_at", "-article"],
                condition=Q(is_listed=True),
                name="placement_site_published_idx",
            ),
            models.Index(
                fields=["site", "-is_featured", "-published_at", "-article"],
                condition=Q(is_listed=True),
                name="placement_site_featured_idx",
            ),
            models.Index(
                fields=["site", "rubric", "-published_at", "-article"],
                condition=Q(is_listed=True),
                name="placement_site_rubric_idx",
            ),
            # A site's search: its own matches, however many other sites the network has.
            GinIndex(
                SiteTerms(F("site"), F("search_terms")),
                condition=Q(is_listed=True),
                name="placement_site_search_idx",
            ),
        ]

    def __str__(self):
        return f"{self.article} — {self.site}"


class ArticleSlugRedirect(models.Model):
    """An address an article had before its slug changed; the article page 301s from it."""

    old_slug = models.SlugField(_("старый адрес"), max_length=100, unique=True)
    article = models.ForeignKey(
        Article, verbose_name=_("статья"), on_delete=models.CASCADE, related_name="old_slugs"
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)

    objects = ArticleSlugRedirectQuerySet.as_manager()

    class Meta:
        verbose_name = _("старый адрес статьи")
        verbose_name_plural = _("старые адреса статей")

    def __str__(self):
        return self.old_slug

    @classmethod
    def slugs_starting_with(cls, base):
        return cls.objects.filter(old_slug__startswith=base).values_list("old_slug", flat=True)


class ArticleAuthor(models.Model):
    """An author on an article's byline, in the order the byline lists them."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        "staff.StaffProfile",
        verbose_name=_("автор"),
        on_delete=models.PROTECT,
        related_name="bylines",
    )
    order = models.PositiveSmallIntegerField(_("порядок"), default=0)

    class Meta:
        verbose_name = _("автор статьи")
        verbose_name_plural = _("авторы статьи")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")
        ]

    def __str__(self):
        return str(self.author)
