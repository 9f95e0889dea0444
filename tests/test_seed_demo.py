from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from articles.models import AgeMark, Article, Rubric
from demo import content as demo_content
from editorial.importing import parse_import_lines
from newsroom.slugs import transliterate_slug
from regions.models import Region, RegionKind
from tests.factories import ArticleFactory, UserFactory

COUNT = 20


def seed_demo(*args):
    out = StringIO()
    call_command("seed_demo", "--count", str(COUNT), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def devdata(settings, tmp_path):
    """Keep the admin password file out of the repository."""
    settings.BASE_DIR = tmp_path
    return tmp_path / ".devdata" / "demo-admin-password"


@pytest.fixture
def seeded(db, devdata):
    return seed_demo()


def test_seeding_an_empty_site_creates_the_requested_number_of_articles(seeded):
    assert Article.objects.count() == COUNT


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


def test_second_run_adds_no_articles(seeded):
    output = seed_demo()

    assert Article.objects.count() == COUNT
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
