from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from articles.models import AgeMark, Article, Rubric
from demo import content as demo_content
from demo import library
from editorial.importing import parse_import_lines
from network.models import IMPRINT_FIELDS, Site
from newsroom.slugs import transliterate_slug
from photos.models import Image as Photo
from regions.models import Region, RegionKind
from tests.factories import ArticleFactory, UserFactory

COUNT = 20
BELARUS = "Регион активно развивает сотрудничество с предприятиями Республики Беларусь"
DISTRICT_DOMAINS = {"toguchin.localhost", "zdvinsk.localhost", "bolotnoe.localhost"}


def seed_demo(*args):
    out = StringIO()
    call_command("seed_demo", "--count", str(COUNT), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def devdata(settings, tmp_path):
    """Keep the admin password file out of the repository."""
    settings.BASE_DIR = tmp_path
    return tmp_path / ".devdata" / "demo-admin-password"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def seeded(db, devdata):
    return seed_demo()


def test_the_oblast_site_gets_the_requested_number_of_generated_articles(seeded):
    oblast_site = Article.objects.filter(site__is_default=True)

    assert oblast_site.count() == COUNT + len(demo_content.NETWORK_NEWS)


def test_regions_form_a_tree_from_country_to_settlements(seeded):
    oblast = Region.objects.get(name=demo_content.OBLAST)

    assert oblast.parent.name == "Россия"
    assert oblast.children.filter(kind=RegionKind.DISTRICT).count() == 30
    assert Region.objects.get(name="Тогучин").parent.name == "Тогучинский район"


def test_rubrics_are_created_with_their_default_age_marks(seeded):
    assert Rubric.objects.count() == len(demo_content.RUBRICS)
    assert Rubric.objects.get(name="Происшествия").default_age_mark == AgeMark.SIXTEEN


def test_some_articles_were_published_in_the_last_day(seeded):
    day_ago = timezone.now() - timedelta(days=1)

    assert Article.objects.published().filter(published_at__gte=day_ago).count() >= 15


def test_drafts_are_hidden_from_readers(seeded):
    drafts = Article.objects.filter(status=Article.Status.DRAFT)

    assert drafts.exists()
    assert not Article.objects.published().filter(pk__in=drafts).exists()


def test_a_scheduled_article_waits_for_its_time(seeded):
    scheduled = Article.objects.filter(
        status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
    )

    assert scheduled.exists()
    assert not Article.objects.published().filter(pk__in=scheduled).exists()


def test_second_run_adds_no_articles_and_no_sites(seeded):
    articles, sites = Article.objects.count(), Site.objects.count()

    output = seed_demo()

    assert (Article.objects.count(), Site.objects.count()) == (articles, sites)
    assert "демо-контент не добавляется" in output


def test_site_with_articles_gets_no_demo_content(db, devdata):
    ArticleFactory()

    seed_demo()

    assert Article.objects.count() == 1
    assert not Region.objects.filter(name=demo_content.OBLAST).exists()


def test_demo_admin_is_created_and_its_login_printed(seeded, devdata):
    password = devdata.read_text().strip()
    admin = get_user_model().objects.get(username="admin")

    assert admin.is_superuser
    assert admin.check_password(password)
    assert f"логин: admin  пароль: {password}" in seeded


def test_demo_team_logs_in_with_the_admin_password_in_each_role(seeded, devdata):
    password = devdata.read_text().strip()
    users = get_user_model().objects.filter(username__in=["author", "editor", "moderator"])

    assert {user.groups.get().name for user in users} == {"Авторы", "Редакторы", "Модераторы"}
    assert all(user.check_password(password) and user.is_staff for user in users)
    assert users.get(username="editor").staff_profile.desk_regions.exists()
    assert "author, editor, moderator" in seeded


def test_admin_is_ensured_even_when_content_is_skipped(db, devdata):
    ArticleFactory()

    output = seed_demo()

    assert f"логин: admin  пароль: {devdata.read_text().strip()}" in output


def test_later_runs_print_the_saved_admin_password(db, devdata):
    ArticleFactory()
    seed_demo()

    assert f"пароль: {devdata.read_text().strip()}" in seed_demo()


def test_existing_admin_without_password_file_keeps_its_password(db, devdata):
    ArticleFactory()
    UserFactory(username="admin", password="chosen-by-the-owner")

    output = seed_demo()

    assert "changepassword admin" in output
    assert get_user_model().objects.get(username="admin").check_password("chosen-by-the-owner")
    assert not devdata.exists()


def test_same_seed_gives_same_titles():
    first = demo_content.build_records(count=COUNT, seed=7, now=timezone.now())
    later = demo_content.build_records(
        count=COUNT, seed=7, now=timezone.now() + timedelta(hours=13)
    )

    assert {record["title"] for record in first} == {record["title"] for record in later}


def test_default_count_gives_distinct_slugs():
    records = demo_content.build_records(
        count=demo_content.DEFAULT_COUNT, seed=demo_content.DEFAULT_SEED, now=timezone.now()
    )

    assert len({transliterate_slug(record["title"]) for record in records}) == len(records)


def test_default_count_passes_import_validation():
    records = demo_content.build_records(
        count=demo_content.DEFAULT_COUNT, seed=demo_content.DEFAULT_SEED, now=timezone.now()
    )

    _records, problems = parse_import_lines(demo_content.record_lines(records))

    assert problems == []


def test_story_tags_come_from_the_tag_pool():
    used = {tag for story in demo_content.STORIES for tag in story.tags}

    assert used <= set(demo_content.TAG_POOL)


@pytest.mark.parametrize(
    ("number", "expected"),
    [(1, "тонна"), (3, "тонны"), (5, "тонн"), (11, "тонн"), (21, "тонна"), (112, "тонн")],
)
def test_plural_picks_the_russian_form_for_the_number(number, expected):
    assert demo_content.plural(number, "тонна", "тонны", "тонн") == expected


def test_half_of_the_drafts_wait_in_the_review_queue(db, devdata):
    seed_demo("--count", "150")

    waiting = Article.objects.filter(status=Article.Status.REVIEW)
    drafts = Article.objects.filter(status=Article.Status.DRAFT)
    assert waiting.count() == drafts.count() >= 1
    assert all(article.transitions.filter(action="submit").exists() for article in waiting)


def test_the_network_is_the_oblast_site_and_three_district_newspapers(seeded):
    oblast_site = Site.objects.get(is_default=True)

    assert oblast_site.region.name == demo_content.OBLAST
    assert set(Site.objects.filter(is_default=False).values_list("domain", flat=True)) == (
        DISTRICT_DOMAINS
    )


def test_each_district_site_has_its_name_region_imprint_and_age_mark(seeded):
    oblast_site = Site.objects.get(is_default=True)
    toguchin = Site.objects.get(domain="toguchin.localhost")

    assert toguchin.name == "Тогучинские вести"
    assert toguchin.region.name == "Тогучинский район"
    assert toguchin.age_mark == AgeMark.SIXTEEN
    for site in Site.objects.filter(domain__in=DISTRICT_DOMAINS):
        assert all(getattr(site, name) for name in IMPRINT_FIELDS)
        assert all(getattr(site, name) != getattr(oblast_site, name) for name in IMPRINT_FIELDS)


def test_each_district_site_has_a_text_logo_in_its_accent_colour(seeded):
    site = Site.objects.get(domain="zdvinsk.localhost")

    with Image.open(site.logo.file) as logo:
        assert logo.format == "PNG"
        assert logo.width > logo.height
        colours = {colour for _count, colour in logo.getcolors(maxcolors=100_000)}
    red, green, blue = (int(site.accent_colour[i : i + 2], 16) for i in (1, 3, 5))
    assert (red, green, blue, 255) in colours
    assert site.logo.alt == "Здвинский вестник"
    logos = {site.logo_id for site in Site.objects.filter(domain__in=DISTRICT_DOMAINS)}
    assert len(logos) == 3


def test_each_district_site_has_its_own_articles(seeded):
    for site in Site.objects.filter(domain__in=DISTRICT_DOMAINS):
        own = Article.objects.published_on(site).primary_on(site)
        assert own.count() == demo_content.ARTICLES_PER_SITE
        district = {site.region, *site.region.children.all()}
        assert all(set(article.regions.all()) <= district for article in own)


def test_belarus_news_is_the_oblast_sites_and_placed_on_every_district_site(seeded):
    article = Article.objects.get(title=BELARUS)
    placements = article.placements.exclude(site=article.site)

    assert article.site.is_default
    assert article.rubric.name == "Экономика"
    assert {placement.site.domain for placement in placements} == DISTRICT_DOMAINS
    assert {placement.rubric.name for placement in placements} == {"Новости региона"}


def test_district_home_shows_the_oblast_news_beside_its_own(seeded, client):
    toguchin = Site.objects.get(domain="toguchin.localhost")
    own = Article.objects.published_on(toguchin).primary_on(toguchin).first()

    page = client.get("/", headers={"host": "toguchin.localhost"}).content.decode()

    assert "Тогучинские вести" in page
    assert BELARUS in page
    assert own.title in page


def test_oblast_news_on_a_district_site_names_and_links_the_oblast_site(seeded, client):
    article = Article.objects.get(title=BELARUS)
    canonical = article.site.build_url(article.get_absolute_url(), scheme="http")

    page = client.get(
        article.get_absolute_url(), headers={"host": "toguchin.localhost"}
    ).content.decode()

    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'Материал сайта <a href="{canonical}">{article.site.name}</a>' in page
    assert "Новости региона" in page
    assert "Сидоренко Е. В." in page


def test_the_demo_editor_works_for_the_oblast_site_and_two_district_sites(seeded):
    editor = get_user_model().objects.get(username="editor")
    oblast_site = Site.objects.get(is_default=True)

    assert set(editor.staff_profile.sites.values_list("domain", flat=True)) == {
        oblast_site.domain,
        "toguchin.localhost",
        "bolotnoe.localhost",
    }


def test_the_seed_prints_the_sites_addresses(seeded):
    assert "http://127.0.0.1:8000 — " in seeded
    assert "http://toguchin.localhost:8000 — Тогучинские вести" in seeded


def test_the_demo_photographs_are_in_the_library_described_and_credited(seeded):
    photos = Photo.objects.filter(title__in=[photo.title for photo in library.PHOTOS])

    assert photos.count() == len(library.PHOTOS)
    assert all(photo.credit.startswith("Фото: ") and photo.alt for photo in photos)
    assert all(photo.width <= 1600 for photo in photos)


def test_two_of_three_published_articles_of_each_site_have_a_photo_the_newest_first(seeded):
    for site in Site.objects.all():
        published = Article.objects.filter(site=site, status=Article.Status.PUBLISHED)
        covered = published.filter(cover__isnull=False)
        assert published.order_by("-published_at").first().cover is not None
        assert covered.count() == published.count() - published.count() // 3
        assert {article.cover.credit for article in covered} <= {p.credit for p in library.PHOTOS}


def test_every_site_shares_a_photo_as_its_card_and_has_a_letter_icon(seeded):
    for site in Site.objects.all():
        assert site.card_image.title in {photo.title for photo in library.PHOTOS}
    for site in Site.objects.all():
        with Image.open(site.favicon.file) as icon:
            assert icon.width == icon.height >= 180


def test_each_shipped_photo_is_small_listed_and_credited():
    credits = (library.PHOTOS_DIR / "CREDITS.md").read_text(encoding="utf-8")
    shipped = sorted(path.name for path in library.PHOTOS_DIR.glob("*.jpg"))

    assert shipped == sorted(photo.file for photo in library.PHOTOS)
    for photo in library.PHOTOS:
        assert f"| {photo.file} |" in credits
        assert photo.path.stat().st_size <= 270_000
        with Image.open(photo.path) as picture:
            assert picture.width <= 1600
