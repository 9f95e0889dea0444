"""Fill an empty database with N realistic articles, fast: `python -m bench.generate --articles N`.

The small tables (the NSO region tree, rubrics, staff, tags, the network's sites) are made with
the ORM; articles and their region, tag and byline links go in with PostgreSQL COPY in one
transaction, and their placements with INSERT … SELECT from the articles' rows, with the
secondary indexes and foreign keys dropped during the load and rebuilt (and so re-checked) at
the end. Article columns come from the models' `_meta` at run time, so a field the app adds
later is written with its default, as an ORM save of a new article would.

Texts come from demo/content.py's stories. Lemmatising with pymorphy3 is what makes
`Article.save()` slow, so every title, lead and paragraph of a pool of story variants is
lemmatised once and an article's search columns are the concatenation of its blocks' lemmas;
a sample of articles is checked against the app's own functions before anything is written.

The network: the oblast's site (the default one) and a site for each of the 30 districts and
for five towns. An article's primary site follows its place: news of the oblast or of
Novosibirsk is the oblast's, news of a district or town is its site's (a town without a site of
its own is its district's), which puts about a third of the articles on the oblast's site
whatever N is. Each article is placed on its primary site, and PUSHED_SHARE of the oblast's
published articles on every district's site as well, some under CHOSEN_RUBRIC there. The
placements' copies of the article's time, state, rubric and search terms are what
`editorial.services` writes, checked over every row at the end of the load.
"""

import argparse
import html
import itertools
import random
import time
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bench.common import database_url, ensure_database, setup_django

YEARS = 8
DRAFT_SHARE = 0.02
SCHEDULED = 5
ADULT_SHARE = 0.003
MAX_VARIANTS = 50_000
CHECKED_ARTICLES = 200
# The network: the oblast desk pushes a third of its published news to every district and town
# site; half of those pushes show it there under CHOSEN_RUBRIC, one in a thousand as the sites'
# lead story.
PUSHED_SHARE = 1 / 3
CHOSEN_RUBRIC = "Новости региона"
CHOSEN_RUBRIC_SHARE = 0.5
PUSHED_FEATURED_SHARE = 0.001
TOWN_SITES = 5  # the first towns of demo/content.py's SETTLEMENTS have a newspaper of their own
BENCH_DOMAIN = "bench.localhost"
# A demo story is three or four short paragraphs; real news runs to 1–3 thousand characters.
BACKGROUND_PARAGRAPHS = (3, 9)
EXTRA_TOPICS = """
отопительный сезон, посевная, уборочная, выборы, бюджет, капремонт, детские сады, ФАП,
вакцинация, газификация, мусорная реформа, паводок, лесные пожары, туризм, экология, ветераны,
День Победы, Новый год, Масленица, олимпиады, ГТО, хоккей, футбол, лыжные гонки, библиотеки,
музеи, фестивали, интернет, мобильная связь, мосты, автобусы, электрички, тарифы, зарплаты,
пенсии, занятость, малый бизнес, фермеры, молоко, зерно, рыбалка, охота, Обь, водопровод,
освещение, тротуары, благоустройство, парки, дети, многодетные семьи, инвалиды, пенсионеры,
студенты, наука, Академгородок, стройка, жильё, ипотека, аварийное жильё, полиция, МЧС, суд,
прокуратура, мошенники, снегопад, морозы, жара, клещи, грибы
"""
MALE_NAMES = """
Александр Алексей Андрей Артём Виктор Владимир Денис Евгений Иван Кирилл Максим Михаил Никита
Павел Роман Юрий
"""
FEMALE_NAMES = """
Алина Анастасия Вера Дарья Екатерина Елена Ирина Ксения Любовь Мария Наталья Светлана Татьяна
Юлия
"""
SURNAMES = """
Алексеев Белов Волков Гусев Данилов Егоров Жуков Зайцев Иванов Козлов Лебедев Морозов Никитин
Орлов Павлов Романов Соколов Тихонов Уткин Фёдоров Харитонов Цветков Чернов Шубин Щукин Яковлев
Баранов Воронин Голубев Денисов Ершов Зуев Исаев Калинин Лукин Медведев Новиков Осипов Попов
Рыбаков
"""


@dataclass(frozen=True)
class Variant:
    """One story filled in for one place with one draw of numbers: an article's raw material."""

    title: str
    search_title: str
    slug: str
    lead: str
    search_lead: str
    lead_excerpt: str
    first: int
    rest: tuple[int, ...]
    facts: int | None
    rubric_id: int
    age_mark: str
    region_ids: tuple[int, ...]
    tag_ids: tuple[int, ...]
    tag_year_topic: str
    place_tag_ids: tuple[int, ...]
    source_name: str
    source_url: str
    site_id: int


class Blocks:
    """Body blocks (a paragraph, a fact list, a closing line) stored once, with their lemmas."""

    def __init__(self):
        self.ids, self.html, self.plain_length, self.lemmas = {}, [], [], []

    def add(self, html: str) -> int:
        """The block's id; its HTML is stored as the body field's sanitiser would save it."""
        from articles.models import Article
        from articles.search import lemmatise
        from newsroom.text import html_to_text

        if html not in self.ids:
            saved = Article._meta.get_field("body").sanitize(html)
            text = html_to_text(saved)
            self.ids[html] = len(self.html)
            self.html.append(saved)
            self.plain_length.append(len(text))
            self.lemmas.append(lemmatise(text))
        return self.ids[html]


class Generator:
    def __init__(self, *, articles: int, seed: int):
        self.count = articles
        self.rng = random.Random(seed)
        # A stream of its own, so that the network leaves a seed's articles as they were.
        self.network_rng = random.Random(seed + 1)
        self.pushed, self.pushed_chosen, self.pushed_featured = array("q"), array("b"), array("b")
        self.blocks = Blocks()
        self.lemma_cache: dict[str, str] = {}
        self.excerpt_cache: dict[tuple[int, ...], str] = {}

    def lemmas(self, text: str) -> str:
        from articles.search import lemmatise

        if text not in self.lemma_cache:
            self.lemma_cache[text] = lemmatise(text)
        return self.lemma_cache[text]

    # Reference data -------------------------------------------------------------------------

    def create_reference_data(self) -> None:
        from django.db import transaction

        from articles.models import Rubric
        from demo.management.commands.seed_demo import (
            seed_regions,
            seed_rubrics,
            seed_staff,
        )
        from regions.models import Region

        with transaction.atomic():
            seed_regions()
            seed_rubrics()
            seed_staff()
            self.create_authors()
            self.create_tags()
            self.create_sites()
        self.rubrics = {rubric.name: rubric for rubric in Rubric.objects.all()}
        self.region_ids = dict(Region.objects.values_list("name", "pk"))

    def create_sites(self) -> None:
        """The oblast's site (the default one, given the oblast as its region), a site for each
        district and one for each of the first TOWN_SITES towns."""
        from demo import content as demo
        from network.models import Site
        from newsroom.models import AgeMark
        from regions.models import Region

        regions = dict(Region.objects.values_list("name", "pk"))
        oblast = Site.objects.get(is_default=True)
        oblast.region_id = regions[demo.OBLAST]
        oblast.save(update_fields=["region"])
        papers = [(f"{name} район", f"{of} района") for name, _where, of in demo.DISTRICTS]
        papers += [(name, of) for name, _district, _where, of in demo.SETTLEMENTS[:TOWN_SITES]]
        sites = []
        for number, (region, of) in enumerate(papers, start=1):
            domain = f"district-{number:02}.{BENCH_DOMAIN}"
            editor = f"{self.rng.choice(MALE_NAMES.split())} {self.rng.choice(SURNAMES.split())}"
            sites.append(
                Site(
                    domain=domain,
                    name=f"Вести {of}",
                    region_id=regions[region],
                    founder=f"ГАУ НСО «Редакция газеты „Вести {of}“»",
                    editor_in_chief=editor,
                    registration=f"Эл № ФС77-{80000 + number} от 01.03.2021, Роскомнадзор",
                    email=f"news@{domain}",
                    phone=f"+7 (383) {200 + number}-{number:02}-{number * 7 % 100:02}",
                    address=f"{region}, ул. Ленина, {number}",
                    age_mark=AgeMark.SIXTEEN,
                )
            )
        Site.objects.bulk_create(sites)
        self.oblast_site_id = oblast.pk
        self.site_by_region = {site.region_id: site.pk for site in sites}

    def site_of(self, place) -> int:
        """The primary site of news from `place`: its own, its district's, or the oblast's."""
        for name in (place.name, place.district):
            site = self.site_by_region.get(self.region_ids.get(name))
            if site is not None:
                return site
        return self.oblast_site_id

    def create_authors(self) -> None:
        """A few hundred bylines besides the demo staff: every first name with eight surnames."""
        from newsroom.slugs import transliterate_slug
        from staff.models import StaffProfile

        taken = set(StaffProfile.objects.values_list("public_name", flat=True))
        used_slugs = set(StaffProfile.objects.values_list("slug", flat=True))
        people = []
        first_names = [(name, "") for name in MALE_NAMES.split()]
        first_names += [(name, "а") for name in FEMALE_NAMES.split()]
        surnames = SURNAMES.split()
        for index, (first, ending) in enumerate(first_names):
            for offset in range(8):
                surname = surnames[(index * 3 + offset * 5) % len(surnames)] + ending
                name = f"{first} {surname}"
                if name not in taken:
                    taken.add(name)
                    people.append(
                        StaffProfile(
                            public_name=name,
                            slug=unique(transliterate_slug(name), used_slugs),
                            position=self.rng.choice(["корреспондент", "внештатный автор"]),
                        )
                    )
        StaffProfile.objects.bulk_create(people)
        self.author_ids = list(StaffProfile.objects.order_by("pk").values_list("pk", flat=True))

    def create_tags(self) -> None:
        """Topic tags, topic-and-year tags, place tags and topic-in-place tags: a few thousand."""
        from articles.models import Tag
        from demo import content as demo

        extra = EXTRA_TOPICS.replace("\n", " ").strip().split(", ")
        topics = list(dict.fromkeys([*demo.TAG_POOL, *extra]))
        places = [place for kind in ("district", "settlement") for place in demo._places()[kind]]
        this_year = datetime.now(UTC).year
        names = [*topics, *(place.name for place in places)]
        names += [
            f"{topic} {year}"
            for topic in topics
            for year in range(this_year - YEARS, this_year + 1)
        ]
        names += [f"{topic} {place.where}" for topic in topics for place in places]
        used: set[str] = set()
        tags = [
            Tag(name=name, slug=unique(Tag().slugify(name), used)) for name in dict.fromkeys(names)
        ]
        Tag.objects.bulk_create(tags)
        self.tag_ids = dict(Tag.objects.values_list("name", "pk"))

    # Texts ----------------------------------------------------------------------------------

    def make_variants(self) -> None:
        from articles.models import EXCERPT_LENGTH
        from demo import content as demo
        from newsroom.slugs import transliterate_slug
        from newsroom.text import excerpt

        rng, places = self.rng, demo._places()
        ordinary = [story for story in demo.STORIES if not story.adult]
        adult = [story for story in demo.STORIES if story.adult]
        self.closers = [self.blocks.add(f"<p>{demo._fill(line, {})}</p>") for line in demo.CLOSERS]
        facts = {}
        for story in demo.STORIES:
            if story.facts:
                items = "".join(f"<li>{html.escape(f, quote=False)}</li>" for f in story.facts)
                head = (
                    f"<h2>{html.escape(story.subhead, quote=False)}</h2>" if story.subhead else ""
                )
                facts[story.title] = self.blocks.add(f"{head}<ul>{items}</ul>")
        slugs = {}
        # A rubric's background paragraphs, without repeats, in the order they first came.
        background: dict[int, dict[int, None]] = {}
        self.variants: list[Variant] = []
        self.adult_variants: list[Variant] = []
        for index in range(min(self.count, MAX_VARIANTS)):
            is_adult = index % int(1 / ADULT_SHARE) == 0
            story = rng.choice(adult if is_adult else ordinary)
            place = rng.choice(places[story.scope])
            context = demo._context(story, place, rng)
            title = demo._formatter.format(story.title, **context)
            lead = demo._formatter.format(story.lead, **context)
            paragraphs = [
                self.blocks.add(f"<p>{demo._fill(p, context)}</p>") for p in story.paragraphs
            ]
            source_name, source_url = demo._source(rng.choice(story.sources), place, rng)
            rubric = self.rubrics[story.rubric]
            background.setdefault(rubric.pk, {}).update(dict.fromkeys(paragraphs[1:]))
            if title not in slugs:
                slugs[title] = transliterate_slug(title)
            variant = Variant(
                title=title,
                search_title=self.lemmas(title),
                slug=slugs[title],
                lead=lead,
                search_lead=self.lemmas(lead),
                lead_excerpt=excerpt(lead, EXCERPT_LENGTH),
                first=paragraphs[0],
                rest=tuple(paragraphs[1:]),
                facts=facts.get(story.title),
                rubric_id=rubric.pk,
                age_mark=story.age_mark or rubric.default_age_mark,
                region_ids=(self.region_ids[place.name],),
                tag_ids=tuple(
                    self.tag_ids[tag]
                    for order, tag in enumerate(story.tags)
                    if order == 0 or rng.random() < 0.7
                ),
                tag_year_topic=story.tags[0] if story.tags else "",
                place_tag_ids=tuple(
                    self.tag_ids[name]
                    for name in (place.name, f"{(story.tags or ('ЖКХ',))[0]} {place.where}")
                    if name in self.tag_ids
                ),
                source_name=source_name,
                source_url=source_url,
                site_id=self.site_of(place),
            )
            (self.adult_variants if is_adult else self.variants).append(variant)
        self.background = {rubric: list(blocks) for rubric, blocks in background.items()}

    def body_excerpt(self, blocks: list[int]) -> str:
        """The body's excerpt, which only depends on the first 101 characters of text."""
        from articles.models import EXCERPT_LENGTH
        from newsroom.text import excerpt

        used, length = [], 0
        for block in blocks:
            used.append(block)
            length += self.blocks.plain_length[block] + 1
            if length > EXCERPT_LENGTH + 2:
                break
        key = tuple(used)
        if key not in self.excerpt_cache:
            self.excerpt_cache[key] = excerpt(
                "".join(self.blocks.html[b] for b in used), EXCERPT_LENGTH
            )
        return self.excerpt_cache[key]

    # Articles -------------------------------------------------------------------------------

    def timeline(self) -> list[tuple[str, datetime | None]]:
        """(status, published_at) per article, oldest first: ~8 years of news at working hours
        in Novosibirsk (UTC+7), then a few scheduled articles and the drafts."""
        from articles.models import Article

        rng, now = self.rng, int(time.time())
        drafts = max(1, int(self.count * DRAFT_SHARE))
        scheduled = min(SCHEDULED, self.count - drafts - 1)
        local_midnight = (now + 7 * 3600) // 86400 * 86400 - 7 * 3600
        moments = []
        for _ in range(self.count - drafts - scheduled):
            day = local_midnight - rng.randrange(YEARS * 365) * 86400
            moment = day + rng.randrange(7 * 3600, 22 * 3600)
            moments.append(moment if moment < now else now - rng.randrange(60, 12 * 3600))
        moments.sort()
        published, draft = Article.Status.PUBLISHED.value, Article.Status.DRAFT.value
        timeline = [(published, datetime.fromtimestamp(m, UTC)) for m in moments]
        timeline += [
            (published, datetime.fromtimestamp(now + rng.randrange(3600, 72 * 3600), UTC))
            for _ in range(scheduled)
        ]
        return timeline + [(draft, None)] * drafts

    def articles(self):
        """Article rows (dicts by attname) and, in passing, their region, tag and byline links."""
        rng, blocks = self.rng, self.blocks
        self.region_links, self.tag_links, self.bylines = array("q"), array("q"), array("q")
        used_slugs: set[str] = set()
        slug_counts: dict[str, int] = {}
        now = datetime.now(UTC)
        for article_id, (status, published_at) in enumerate(self.timeline(), start=1):
            variants = self.adult_variants if rng.random() < ADULT_SHARE else self.variants
            v = variants[rng.randrange(len(variants))]
            keep = sorted(rng.sample(range(len(v.rest)), rng.randint(2, min(len(v.rest), 4))))
            body_blocks = [v.first, *(v.rest[i] for i in keep)]
            if v.facts is not None and rng.random() < 0.6:
                body_blocks.insert(2, v.facts)
            background = self.background[v.rubric_id]
            body_blocks += rng.sample(
                background, min(len(background), rng.randint(*BACKGROUND_PARAGRAPHS))
            )
            if len(keep) < 4 and rng.random() < 0.3:
                body_blocks.append(rng.choice(self.closers))
            has_lead = bool(v.lead) and rng.random() > 0.15
            number = slug_counts.get(v.slug, 1)
            slug = v.slug if number == 1 else f"{v.slug}-{number}"
            while slug in used_slugs:
                number += 1
                slug = f"{v.slug}-{number}"
            slug_counts[v.slug] = number + 1
            used_slugs.add(slug)
            moment = published_at or now - timedelta(minutes=rng.randrange(30 * 24 * 60))
            if v.site_id == self.oblast_site_id and published_at is not None:
                self.push(article_id)
            yield {
                "id": article_id,
                "title": v.title,
                "slug": slug,
                "lead": v.lead if has_lead else "",
                "body": "".join(blocks.html[b] for b in body_blocks),
                "excerpt": v.lead_excerpt if has_lead else self.body_excerpt(body_blocks),
                "rubric_id": v.rubric_id,
                "site_id": v.site_id,
                "age_mark": v.age_mark,
                "source_name": v.source_name,
                "source_url": v.source_url,
                "status": status,
                "published_at": published_at,
                "version": 1,
                "is_featured": published_at is not None and rng.random() < 0.001,
                "search_title": v.search_title,
                "search_lead": v.search_lead if has_lead else "",
                "search_body": " ".join(blocks.lemmas[b] for b in body_blocks if blocks.lemmas[b]),
                "created_at": moment,
                "updated_at": moment,
            }
            self.link(article_id, v, moment)

    def push(self, article_id: int) -> None:
        """Whether the oblast desk places the article on every other site, and how."""
        rng = self.network_rng
        if rng.random() < PUSHED_SHARE:
            self.pushed.append(article_id)
            self.pushed_chosen.append(rng.random() < CHOSEN_RUBRIC_SHARE)
            self.pushed_featured.append(rng.random() < PUSHED_FEATURED_SHARE)

    def link(self, article_id: int, v: Variant, moment: datetime) -> None:
        rng = self.rng
        for region_id in v.region_ids:
            self.region_links.extend((article_id, region_id))
        tags = list(v.tag_ids)
        year_tag = self.tag_ids.get(f"{v.tag_year_topic} {moment.year}")
        if year_tag and rng.random() < 0.4:
            tags.append(year_tag)
        tags += [tag for tag in v.place_tag_ids if rng.random() < 0.3]
        for tag_id in dict.fromkeys(tags):
            self.tag_links.extend((article_id, tag_id))
        roll = rng.random()
        if roll >= 0.4:
            for order, author in enumerate(rng.sample(self.author_ids, 1 if roll < 0.85 else 2)):
                self.bylines.extend((article_id, author, order))

    # Checks and loading ---------------------------------------------------------------------

    def check(self, row: dict) -> None:
        """The fast-path columns must equal what `editorial.services` would have stored."""
        from articles.models import Article
        from editorial.services import derived_text

        body = Article._meta.get_field("body").sanitize(row["body"])
        expected = {
            **derived_text(title=row["title"], lead=row["lead"], body=body),
            "body": body,
        }
        for name, value in expected.items():
            if row[name] != value:
                pairs = enumerate(zip(row[name], value, strict=False))
                at = next((i for i, (a, b) in pairs if a != b), len(value))
                raise AssertionError(
                    f"article {row['id']}: {name} differs from the app's value at {at}: "
                    f"{row[name][at - 20 : at + 40]!r} != {value[at - 20 : at + 40]!r}"
                )


def unique(slug: str, used: set[str]) -> str:
    """The slug, or the slug with "-2", "-3"… like newsroom.slugs.unique_slug, remembered."""
    candidate, number = slug, 2
    while candidate in used:
        candidate, number = f"{slug}-{number}", number + 1
    used.add(candidate)
    return candidate


def copy_columns(model, provided: set[str]) -> list[tuple[str, str, object]]:
    """(column, attname, default) for every stored column of the model, from its `_meta`.

    A column the generator does not fill gets the field's default, what an ORM save of a new
    object writes; a required column without one stops the run with its name.
    """
    from django.db import connection

    columns: list[tuple[str, str, object]] = []
    for field in model._meta.concrete_fields:
        if field.generated or (field.primary_key and field.attname not in provided):
            continue
        if field.attname in provided:
            columns.append((field.column, field.attname, None))
            continue
        default = field.get_default()
        if default is None and not field.null:
            raise SystemExit(
                f"{model.__name__}.{field.name} is required and has no default: "
                "teach bench/generate.py to fill it."
            )
        columns.append((field.column, field.attname, field.get_db_prep_save(default, connection)))
    return columns


def copy_rows(cursor, model, rows, provided: set[str]) -> int:
    columns = copy_columns(model, provided)
    names = ", ".join(f'"{column}"' for column, _, _ in columns)
    count = 0
    with cursor.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row.get(attname, default) for _, attname, default in columns])
            count += 1
    return count


def link_rows(model, values: array, targets: list) -> tuple[set[str], Iterator[dict[str, int]]]:
    """Rows for a link table given flat (article, target…) integers, named by the FK fields."""
    names = [foreign_key_to(model, target) for target in targets]
    width = len(names)
    rows = (
        dict(zip(names, values[i : i + width], strict=True)) for i in range(0, len(values), width)
    )
    return set(names), rows


def foreign_key_to(model, target) -> str:
    if isinstance(target, str):
        return target
    return next(
        f.attname
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is target
    )


def without_secondary_indexes_and_foreign_keys(cursor, tables: list[str]):
    """Drop what makes a bulk load slow, returning the statements that put it all back."""
    restore = []
    for table in tables:
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid "
            "AND k.conrelid = i.indrelid)",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            restore.append(definition)
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    return restore


def insert_placements(cursor, generator: Generator) -> int:
    """Every article on its primary site, and the pushed ones on every other site, with the
    copies of the article's time, state, rubric and search terms that `editorial.services`
    keeps: its
    `_update_placements` for the primary site's, `place_article` for the others."""
    from articles.models import Article, Placement
    from network.models import Site

    columns = (
        "article_id, site_id, chosen_rubric_id, is_featured, rubric_id, published_at, "
        "is_listed, search_terms, placed_at, placed_by_id"
    )
    placement, article, site = (
        Placement._meta.db_table,
        Article._meta.db_table,
        Site._meta.db_table,
    )
    listed = {"published": Article.Status.PUBLISHED.value}
    cursor.execute(
        f"""INSERT INTO "{placement}" ({columns})
        SELECT id, site_id, NULL, is_featured, rubric_id, published_at,
            status = %(published)s AND deleted_at IS NULL, search_terms, created_at,
            updated_by_id
        FROM "{article}" ORDER BY id""",
        listed,
    )
    count = cursor.rowcount
    cursor.execute(
        f"""INSERT INTO "{placement}" ({columns})
        SELECT a.id, s.id, CASE WHEN p.chosen THEN %(rubric)s END, p.featured,
            CASE WHEN p.chosen THEN %(rubric)s ELSE a.rubric_id END, a.published_at,
            a.status = %(published)s AND a.deleted_at IS NULL, a.search_terms,
            a.created_at + interval '10 minutes', NULL
        FROM unnest(%(articles)s::bigint[], %(chosen)s::boolean[], %(featured)s::boolean[])
            AS p (article_id, chosen, featured)
        JOIN "{article}" a ON a.id = p.article_id
        CROSS JOIN (SELECT id FROM "{site}" WHERE id <> %(oblast)s) s
        ORDER BY a.id, s.id""",
        {
            **listed,
            "rubric": generator.rubrics[CHOSEN_RUBRIC].pk,
            "articles": list(generator.pushed),
            "chosen": [bool(flag) for flag in generator.pushed_chosen],
            "featured": [bool(flag) for flag in generator.pushed_featured],
            "oblast": generator.oblast_site_id,
        },
    )
    return count + cursor.rowcount


def check_placements(cursor) -> None:
    """Every article has its primary site's placement, and every placement's copies agree with
    its article, as `editorial.services` keeps them."""
    from articles.models import Article, Placement

    placement, article = Placement._meta.db_table, Article._meta.db_table
    cursor.execute(
        f"""SELECT
            (SELECT count(*) FROM "{article}" a WHERE NOT EXISTS (SELECT 1 FROM "{placement}" p
                WHERE p.article_id = a.id AND p.site_id = a.site_id)),
            (SELECT count(*) FROM "{placement}" p JOIN "{article}" a ON a.id = p.article_id
                WHERE p.published_at IS DISTINCT FROM a.published_at
                OR p.is_listed <> (a.status = %s AND a.deleted_at IS NULL)
                OR p.rubric_id <> coalesce(p.chosen_rubric_id, a.rubric_id)
                OR p.search_terms <> a.search_terms
                OR (p.site_id = a.site_id AND p.is_featured <> a.is_featured))""",
        [Article.Status.PUBLISHED.value],
    )
    unplaced, inconsistent = cursor.fetchone()
    if unplaced or inconsistent:
        raise AssertionError(
            f"{unplaced} articles without their primary site's placement, "
            f"{inconsistent} placements whose copies differ from their article"
        )


def load(generator: Generator) -> tuple[int, int, dict[str, float]]:
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.models import Model

    from articles.models import Article, ArticleAuthor, Placement, Tag, TaggedArticle
    from regions.models import Region
    from staff.models import StaffProfile

    region_links = Article.regions.through
    models: list[type[Model]] = [Article, region_links, TaggedArticle, ArticleAuthor, Placement]
    timings = {}
    rows = generator.articles()
    first = [next(rows) for _ in range(min(generator.count, 10))]
    step = max(1, generator.count // CHECKED_ARTICLES)

    def checked(stream):
        for index, row in enumerate(stream):
            if index % step == 0:
                generator.check(row)
            yield row

    with connection.cursor() as cursor:
        # The production settings' statement timeout is for readers' pages, not for a bulk load.
        cursor.execute("SET statement_timeout = 0")
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        restore = without_secondary_indexes_and_foreign_keys(
            cursor, [model._meta.db_table for model in models]
        )
        started = time.monotonic()
        provided = set(first[0])
        count = copy_rows(cursor, Article, checked(itertools.chain(first, rows)), provided)
        timings["copy articles"] = time.monotonic() - started
        started = time.monotonic()
        links: list[tuple[type[Model], array, list[type[Model] | str]]] = [
            (region_links, generator.region_links, [Article, Region]),
            (TaggedArticle, generator.tag_links, [Article, Tag]),
            (ArticleAuthor, generator.bylines, [Article, StaffProfile, "order"]),
        ]
        for model, values, targets in links:
            names, link_stream = link_rows(model, values, targets)
            copy_rows(cursor, model, link_stream, names)
        timings["copy links"] = time.monotonic() - started
        started = time.monotonic()
        placements = insert_placements(cursor, generator)
        timings["insert placements"] = time.monotonic() - started
        started = time.monotonic()
        for statement in restore:
            cursor.execute(statement)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        timings["indexes and foreign keys"] = time.monotonic() - started
        started = time.monotonic()
        check_placements(cursor)
        timings["check placements"] = time.monotonic() - started
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    timings["vacuum analyze"] = time.monotonic() - started
    return count, placements, timings


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="how many articles")
    parser.add_argument(
        "--database-url",
        required=True,
        help="postgres://… or a database name on 127.0.0.1 (created and migrated if needed)",
    )
    parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
    args = parser.parse_args(argv)
    if args.articles < 10:
        parser.error("--articles must be at least 10")
    url = database_url(args.database_url)
    total = time.monotonic()
    ensure_database(url)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article

    call_command("migrate", verbosity=0)
    if Article.objects.exists():
        raise SystemExit(f"{url} already has articles; generate into an empty database.")
    generator = Generator(articles=args.articles, seed=args.seed)
    started = time.monotonic()
    generator.create_reference_data()
    generator.make_variants()
    prepare = time.monotonic() - started
    count, placements, timings = load(generator)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(f"{count} articles and {placements} placements in {url}")
    print(f"  reference data and lemmatised texts: {prepare:.1f} s")
    for name, seconds in timings.items():
        print(f"  {name}: {seconds:.1f} s")
    print(f"  total: {time.monotonic() - total:.1f} s; database size {size}")


if __name__ == "__main__":
    main()
