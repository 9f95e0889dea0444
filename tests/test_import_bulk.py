"""The importer saves new articles in batches (`services.save_articles_in_bulk`): what a batch
writes must be what `services.save_article` writes for each, revisions included."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.models import Article, Placement, Rubric
from editorial import importing, revisions
from editorial.importing import ImportRejected, import_articles
from network.models import Site
from regions.models import Region
from staff.models import StaffProfile
from tests.factories import SiteFactory, save_changes
from tests.pages import main_column
from tests.test_import import record
from tests.test_revisions import history_url, restore_url
from tests.test_search import result_titles

pytestmark = pytest.mark.django_db


def lines(*records):
    return [json.dumps(data, ensure_ascii=False) for data in records]


def numbered(count, start=0, **overrides):
    return [
        record(title=f"Новость номер {n}", slug=f"novost-{n}", **overrides)
        for n in range(start, start + count)
    ]


def test_each_imported_article_has_exactly_one_revision_by_the_importing_user(superuser):
    import_articles(lines=lines(*numbered(3)), user=superuser)

    for article in Article.objects.all():
        version = Version.objects.get_for_object(article).get()
        assert (version.revision.user, version.revision.comment) == (superuser, "Импорт")
    assert Version.objects.values("revision").distinct().count() == 3


def test_bulk_revision_stores_what_a_save_through_the_service_stores(superuser):
    import_articles(lines=lines(record()), user=superuser)
    # The same line again changes the article through `save_article`, one by one.
    import_articles(lines=lines(record()), user=superuser)

    article = Article.objects.get()
    bulk, single = (
        revisions.snapshot(version) for version in revisions.versions_of(article).reverse()
    )
    assert (bulk.number, single.number) == (1, 2)
    changing = {"version", "updated_at"}
    assert {k: v for k, v in bulk.fields.items() if k not in changing} == {
        k: v for k, v in single.fields.items() if k not in changing
    }
    assert sorted(bulk.region_ids) == sorted(single.region_ids) != []
    assert bulk.tags == single.tags != []
    assert bulk.bylines == single.bylines != []


def test_revisions_page_shows_an_imported_article_and_restores_its_text(
    superuser_client, superuser
):
    import_articles(lines=lines(record(title="Как импортировали")), user=superuser)
    article = Article.objects.get()
    (first,) = Version.objects.get_for_object(article).values_list("revision_id", flat=True)
    save_changes(article, title="Как переписали", tags=[], authors=[], user=superuser)

    history = superuser_client.get(history_url(article))
    superuser_client.post(restore_url(article, first))

    assert history.status_code == 200 and "Импорт" in history.text
    article.refresh_from_db()
    assert article.title == "Как импортировали"
    assert sorted(article.tags.names()) == ["Беларусь", "экономика"]
    assert [b.author.public_name for b in article.bylines.all()] == [
        "Ирина Петрова",
        "Олег Смирнов",
    ]


def test_bulk_imported_article_is_listed_on_its_rubric_region_tag_and_author_pages(client):
    import_articles(lines=lines(record(title="Тогучинский мост открыли")))

    article = Article.objects.get()
    pages = [
        article.rubric.get_absolute_url(),
        Region.objects.get(name="Тогучинский район").get_absolute_url(),
        article.tags.get(name="экономика").get_absolute_url(),
        StaffProfile.objects.get(public_name="Олег Смирнов").get_absolute_url(),
        "/search/?q=мосты",
        article.get_absolute_url(),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "Тогучинский мост открыли" in response.text, page


def test_bulk_imported_article_fills_its_derived_fields_as_a_save_does():
    import_articles(
        lines=lines(
            record(lead="", body="<p>Мосты <strong>открыли</strong>.</p><script>x()</script>")
        )
    )

    article = Article.objects.get()
    assert article.body == "<p>Мосты <strong>открыли</strong>.</p>"
    assert article.excerpt == "Мосты открыли."
    assert "мост" in article.search_body.split()
    assert article.version == 1


def test_bulk_imported_placements_copy_the_time_state_and_rubric(db):
    toguchin = SiteFactory(domain="toguchin.example.ru", name="Тогучинские вести")

    import_articles(
        lines=lines(
            record(slug="published", also_on=["toguchin.example.ru"]),
            record(slug="draft", title="Черновик", status="draft", published_at=None),
        )
    )

    published = Article.objects.get(slug="published")
    placements = Placement.objects.filter(article=published)
    assert {p.site_id for p in placements} == {published.site_id, toguchin.pk}
    for placement in placements:
        assert (placement.published_at, placement.is_listed, placement.rubric_id) == (
            published.published_at,
            True,
            published.rubric_id,
        )
    assert not Placement.objects.get(article__slug="draft").is_listed


def test_bulk_imported_article_is_found_by_the_search_of_a_site_it_is_placed_on(client):
    SiteFactory(domain="toguchin.example.ru", name="Тогучинские вести")

    import_articles(
        lines=lines(record(title="Тогучинский мост открыли", also_on=["toguchin.example.ru"]))
    )

    response = client.get("/search/?q=мосты", HTTP_HOST="toguchin.example.ru")
    assert result_titles(response.text) == ["Тогучинский мост открыли"]


def test_bulk_import_takes_the_place_of_an_old_address(superuser):
    import_articles(lines=lines(record(slug="staryi")), user=superuser)
    moved = Article.objects.get()
    save_changes(moved, slug="novyi", user=superuser)

    import_articles(lines=lines(record(slug="staryi", title="Другая статья")), user=superuser)

    assert Article.objects.get(slug="staryi").title == "Другая статья"
    assert not moved.old_slugs.exists()


def test_tags_regions_and_authors_are_matched_in_any_letter_case_within_one_file():
    import_articles(
        lines=lines(
            record(
                slug="a",
                tags=["Беларусь"],
                regions=["Тогучинский район"],
                authors=["Ирина Петрова"],
            ),
            record(
                slug="b",
                tags=["беларусь", "БЕЛАРУСЬ"],
                regions=["тогучинский район"],
                authors=["ирина петрова"],
            ),
        )
    )

    b = Article.objects.get(slug="b")
    assert list(b.tags.names()) == ["Беларусь"]
    assert [r.name for r in b.regions.all()] == ["Тогучинский район"]
    assert [a.public_name for a in b.authors.all()] == ["Ирина Петрова"]


def test_line_failing_on_save_in_a_late_batch_writes_nothing(capsys):
    good = numbered(24)
    bad = record(title="Плохая", slug="plokhaya", authors=["Р" * 300])

    with pytest.raises(ImportRejected) as rejected:
        import_articles(lines=lines(*good, bad), batch_size=10)

    assert [problem.line for problem in rejected.value.problems] == [25]
    assert Article.objects.count() == 0
    assert Version.objects.count() == 0
    assert Rubric.objects.count() == 0
    assert StaffProfile.objects.count() == 0


def test_every_bad_line_of_a_large_file_is_reported():
    data = lines(*numbered(30))
    data[3] = "{not json"
    data[27] = json.dumps(record(title="Плохая", slug="plokhaya", age_mark="21+"))

    with pytest.raises(ImportRejected) as rejected:
        import_articles(lines=data, batch_size=10)

    assert [problem.line for problem in rejected.value.problems] == [4, 28]
    assert Article.objects.count() == 0


def test_reimport_of_a_large_file_updates_each_article_once(superuser):
    import_articles(lines=lines(*numbered(12)), user=superuser, batch_size=5)

    result = import_articles(
        lines=lines(*numbered(12, lead="Новый лид."), *numbered(3, start=12)),
        user=superuser,
        batch_size=5,
    )

    assert (len(result.updated), len(result.created)) == (12, 3)
    assert set(
        Article.objects.filter(slug__in=[f"novost-{n}" for n in range(12)]).values_list(
            "lead", flat=True
        )
    ) == {"Новый лид."}
    assert Version.objects.filter(content_type__model="article").count() == 12 * 2 + 3


def test_a_bulk_import_bumps_the_page_cache_once_after_the_commit(
    superuser, django_capture_on_commit_callbacks
):
    import_articles(lines=lines(record(slug="first")), user=superuser)

    with django_capture_on_commit_callbacks() as callbacks:
        import_articles(lines=lines(*numbered(30)), user=superuser, batch_size=10)

    assert len(callbacks) == 1


def test_cached_pages_show_the_bulk_imported_articles(client, page_cache, committed):
    import_articles(lines=lines(record(slug="first", title="Первая новость")))
    assert "Первая новость" in client.get("/").text

    with committed():
        import_articles(lines=lines(record(slug="second", title="Вторая новость")))

    assert "Вторая новость" in client.get("/").text


def test_cached_rubric_pages_show_the_bulk_imported_articles(client, page_cache, committed):
    import_articles(lines=lines(record(slug="first", title="Первая новость")))
    url = Article.objects.get(slug="first").rubric.get_absolute_url()
    assert "Первая новость" in client.get(url).text

    with committed():
        import_articles(lines=lines(record(slug="second", title="Вторая новость")))

    assert "Вторая новость" in main_column(client.get(url))


def queries_to_import(records, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        import_articles(lines=lines(*records), **kwargs)
    return len(queries)


def test_import_queries_do_not_grow_with_the_number_of_articles(superuser):
    # The rubric, regions, tags and staff the records name exist already.
    import_articles(lines=lines(record(slug="first")), user=superuser)

    ten = queries_to_import(numbered(10), user=superuser)
    fifty = queries_to_import(numbered(50, start=10), user=superuser)

    assert ten == fifty == 20


def test_lines_naming_sites_ask_for_each_site_once(superuser):
    SiteFactory(domain="toguchin.example.ru", name="Тогучинские вести")
    on_sites = {"site": "toguchin.example.ru", "also_on": "*"}
    import_articles(lines=lines(record(slug="first", **on_sites)), user=superuser)

    ten = queries_to_import(numbered(10, **on_sites), user=superuser)
    fifty = queries_to_import(numbered(50, start=10, **on_sites), user=superuser)

    assert ten == fifty
    assert Placement.objects.count() == 61 * Site.objects.count()


def test_import_queries_grow_by_a_constant_per_batch(superuser):
    import_articles(lines=lines(record(slug="first")), user=superuser)

    one_batch = queries_to_import(numbered(10), user=superuser, batch_size=10)
    five_batches = queries_to_import(numbered(50, start=10), user=superuser, batch_size=10)

    assert (one_batch, five_batches) == (20, 20 + 4 * 10)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_command_shows_its_progress_on_a_terminal(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines(*numbered(3))) + "\n", encoding="utf-8")
    terminal = Terminal()

    call_command("import_articles", str(path), stderr=terminal, stdout=io.StringIO())

    assert "Запись: строка 3 из 3 (100 %)\n" in terminal.getvalue()


def test_command_counts_the_lines_it_has_checked_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "CHECK_REPORT_EVERY", 2)
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines(*numbered(3))) + "\n", encoding="utf-8")
    terminal = Terminal()

    call_command("import_articles", str(path), stderr=terminal, stdout=io.StringIO())

    assert "Проверка: строка 2" in terminal.getvalue()


@pytest.mark.parametrize("verbosity", [0, 1])
def test_command_is_quiet_off_a_terminal_or_with_verbosity_0(tmp_path, verbosity):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines(*numbered(3))) + "\n", encoding="utf-8")
    stderr = Terminal() if verbosity == 0 else io.StringIO()

    call_command(
        "import_articles", str(path), stderr=stderr, stdout=io.StringIO(), verbosity=verbosity
    )

    assert stderr.getvalue() == ""
    assert Article.objects.count() == 3


def times_analyzed(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = %s",
            [model._meta.db_table],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("count, analyzed", [(999, 0), (1000, 1)])
def test_a_large_import_refreshes_the_planner_statistics_after_the_commit(
    superuser, committed, count, analyzed
):
    import_articles(lines=lines(record(slug="first")), user=superuser)
    before = times_analyzed(Article), times_analyzed(Placement)

    with committed():
        import_articles(lines=lines(*numbered(count)), user=superuser)

    after = times_analyzed(Article), times_analyzed(Placement)
    assert [a - b for a, b in zip(after, before, strict=True)] == [analyzed, analyzed]
