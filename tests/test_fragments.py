"""Fragments: a page the page cache misses is assembled from pieces rendered before, and a
change still shows on the next request (the freshness tests of test_page_cache.py hold too)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import reverse
from django.utils import timezone

from articles.cards import news_time
from articles.models import AgeMark, Article, Placement
from editorial import services
from network.models import Site
from network.services import save_site
from newsroom import fragments
from tests.factories import ArticleFactory, RubricFactory, SiteFactory, save_changes
from tests.pages import main_column, recent_news

pytestmark = pytest.mark.django_db

CARD = "articles/includes/article_card.html"
RECENT_ITEM = "articles/includes/recent_news_item.html"
ARTICLE_PARTS = "articles/includes/article_parts.html"
SITE_CHROME = "includes/site_chrome.html"


def rendered(response, template_name: str) -> int:
    return [template.name for template in response.templates].count(template_name)


def test_publication_renders_only_the_new_card_on_the_next_home_page(client, page_cache, committed):
    rubric = RubricFactory(name="Экономика")
    ArticleFactory.create_batch(12, rubric=rubric)
    ArticleFactory(title="Главная новость", is_featured=True, rubric=rubric)  # stays the lead
    assert rendered(client.get("/"), CARD) == 11  # the lead, 6 newest, 4 in the section

    with committed():
        ArticleFactory(title="Новая новость", rubric=rubric)
    response = client.get("/")

    assert response["X-Page-Cache"] == "miss"
    assert "Новая новость" in main_column(response)
    assert rendered(response, CARD) == 1


def test_list_page_miss_reuses_the_cards_of_the_home_page(client, page_cache, committed):
    rubric = RubricFactory(name="Экономика")
    ArticleFactory.create_batch(5, rubric=rubric)
    ArticleFactory(is_featured=True)  # the lead's large card is the only one of its kind
    client.get("/")

    response = client.get(rubric.get_absolute_url())

    assert response["X-Page-Cache"] == "miss"
    assert rendered(response, CARD) == 0
    assert main_column(response).count('class="card__title"') == 5


def test_edited_article_gets_a_new_card_and_the_others_are_reused(client, page_cache, committed):
    rubric = RubricFactory(name="Экономика")
    edited = ArticleFactory.create_batch(4, rubric=rubric)[0]
    client.get(rubric.get_absolute_url())

    with committed():
        save_changes(edited, title="Заголовок поправили")
    response = client.get(rubric.get_absolute_url())

    assert "Заголовок поправили" in main_column(response)
    assert rendered(response, CARD) == 1


def test_stored_page_shows_its_times_as_they_read_now(client, page_cache, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    rubric = RubricFactory(name="Экономика")
    ArticleFactory(rubric=rubric, published_at=timezone.now() - timedelta(minutes=5))
    assert "5\xa0минут назад" in main_column(client.get(rubric.get_absolute_url()))

    time_machine.move_to(datetime(2026, 3, 2, 9, 4, tzinfo=UTC), tick=False)
    response = client.get(rubric.get_absolute_url())

    assert response["X-Page-Cache"] == "hit"
    assert "9\xa0минут назад" in main_column(response)


def test_stored_card_shows_its_time_as_it_reads_now(client, page_cache, committed, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    rubric = RubricFactory(name="Экономика")
    ArticleFactory(rubric=rubric, published_at=timezone.now() - timedelta(minutes=5))
    assert "5\xa0минут назад" in main_column(client.get(rubric.get_absolute_url()))

    time_machine.move_to(datetime(2026, 3, 2, 9, 4, tzinfo=UTC), tick=False)
    with committed():
        ArticleFactory(title="Новая статья", rubric=rubric)  # the rubric page is stale now
    response = client.get(rubric.get_absolute_url())

    assert rendered(response, CARD) == 1  # the new article's card only
    assert "9\xa0минут назад" in main_column(response)
    assert "5\xa0минут назад" not in main_column(response)


def test_recent_news_of_an_article_page_leave_out_that_article_and_show_ten(client, page_cache):
    articles = ArticleFactory.create_batch(12)
    newest, second = sorted(articles, key=lambda a: a.published_at, reverse=True)[:2]
    client.get(second.get_absolute_url())

    response = client.get(newest.get_absolute_url())

    column = recent_news(response)
    assert rendered(response, RECENT_ITEM) == 0
    assert newest.title not in column
    assert second.title in column
    assert column.count('class="recent-news__item"') == 10


def test_reader_with_a_session_gets_cards_rendered_afresh(client, page_cache):
    rubric = RubricFactory(name="Экономика")
    ArticleFactory.create_batch(3, rubric=rubric)
    client.get(rubric.get_absolute_url())
    adult = ArticleFactory(age_mark="18+", rubric=rubric)
    client.post("/age-confirm/", {"next": adult.get_absolute_url()})

    response = client.get(rubric.get_absolute_url())

    assert "X-Page-Cache" not in response
    assert rendered(response, CARD) == 4


def test_unpublished_article_leaves_the_home_page_at_once(client, page_cache, committed):
    rubric = RubricFactory(name="Экономика")
    gone = ArticleFactory.create_batch(8, rubric=rubric)[0]
    assert gone.title in main_column(client.get("/"))

    with committed():
        save_changes(gone, status=Article.Status.DRAFT)

    assert gone.title not in main_column(client.get("/"))


def test_without_whole_pages_every_request_is_rendered_from_stored_cards(
    client, page_cache, settings
):
    settings.PAGE_CACHE_STORES_PAGES = False
    rubric = RubricFactory(name="Экономика")
    ArticleFactory.create_batch(3, rubric=rubric)
    first = client.get(rubric.get_absolute_url())

    second = client.get(rubric.get_absolute_url())

    assert "X-Page-Cache" not in second
    assert rendered(first, CARD) == 3
    assert rendered(second, CARD) == 0
    assert main_column(second).count('class="card__title"') == 3


def test_another_publication_leaves_an_article_page_stored_with_a_fresh_column(
    client, page_cache, committed
):
    story = ArticleFactory(title="Паводок в Бердске")
    client.get(story.get_absolute_url())

    with committed():
        ArticleFactory(title="Мост через Бердь открыт", rubric=story.rubric)
    response = client.get(story.get_absolute_url())

    assert response["X-Page-Cache"] == "hit"
    assert "Мост через Бердь открыт" in recent_news(response)
    assert "Паводок в Бердске" not in recent_news(response)


@pytest.mark.parametrize("validator", ["ETag", "Last-Modified"])
def test_browser_copy_with_an_old_column_is_not_told_it_is_current(
    client, page_cache, committed, time_machine, validator
):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    story = ArticleFactory(title="Паводок в Бердске")
    first = client.get(story.get_absolute_url())

    time_machine.move_to(datetime(2026, 3, 2, 9, 1, tzinfo=UTC), tick=False)
    with committed():
        ArticleFactory(title="Мост через Бердь открыт", rubric=story.rubric)
    condition = {"ETag": "If-None-Match", "Last-Modified": "If-Modified-Since"}[validator]
    response = client.get(story.get_absolute_url(), headers={condition: first[validator]})

    assert response.status_code == 200
    assert "Мост через Бердь открыт" in recent_news(response)


def test_stored_page_without_changes_is_still_not_modified(client, page_cache):
    story = ArticleFactory()
    first = client.get(story.get_absolute_url())

    response = client.get(story.get_absolute_url(), headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 304


@pytest.fixture
def no_whole_pages(page_cache, settings):
    """Every request a page miss: the article page's stored parts are all that is reused."""
    settings.PAGE_CACHE_STORES_PAGES = False


def test_article_page_miss_reads_one_row_and_takes_the_rest_from_its_stored_parts(
    client, no_whole_pages, django_assert_num_queries
):
    story = ArticleFactory(title="Паводок в Бердске", tags=["паводок"])
    client.get(story.get_absolute_url())

    with django_assert_num_queries(1):  # is it published, carried here, and which version
        response = client.get(story.get_absolute_url())

    assert rendered(response, ARTICLE_PARTS) == 0
    assert "<title>Паводок в Бердске —" in response.text
    assert "Паводок в Бердске" in main_column(response)
    assert "#паводок" in main_column(response)


def test_article_page_miss_reads_its_pieces_in_one_round_trip(client, no_whole_pages, monkeypatch):
    story = ArticleFactory()
    client.get(story.get_absolute_url())
    reads = []
    read = fragments._cache_get_many
    monkeypatch.setattr(fragments, "_cache_get_many", lambda keys: reads.append(keys) or read(keys))

    response = client.get(story.get_absolute_url())

    assert [{key.split(":")[1] for key in keys} for keys in reads] == [
        {"article-page", "site-chrome", "recent-news"}
    ]
    assert rendered(response, ARTICLE_PARTS) == 0


def test_new_version_of_an_article_is_on_its_page_at_once(client, no_whole_pages, committed):
    story = ArticleFactory(title="Паводок в Бердске", tags=["паводок"])
    client.get(story.get_absolute_url())

    with committed():
        save_changes(story, title="Паводок в Бердске отступил", tags=["вода"])
    response = client.get(story.get_absolute_url())

    assert rendered(response, ARTICLE_PARTS) == 1
    assert "Паводок в Бердске отступил" in main_column(response)
    assert "#вода" in main_column(response)
    assert "#паводок" not in main_column(response)


def test_renamed_rubric_is_on_a_stored_article_page_at_once(client, no_whole_pages, committed):
    rubric = RubricFactory(name="Происшествия")
    story = ArticleFactory(rubric=rubric)
    client.get(story.get_absolute_url())

    with committed():
        rubric.name = "Чрезвычайные происшествия"
        rubric.save()

    assert "Чрезвычайные происшествия" in main_column(client.get(story.get_absolute_url()))


def test_unpublished_article_leaves_its_page_at_once(client, no_whole_pages, committed):
    story = ArticleFactory()
    client.get(story.get_absolute_url())

    with committed():
        save_changes(story, status=Article.Status.DRAFT)

    assert client.get(story.get_absolute_url()).status_code == 404


def test_rubric_a_site_shows_an_article_under_is_on_its_page_at_once(
    client, no_whole_pages, committed
):
    district = SiteFactory(domain="toguchin.example.ru", name="Тогучинские вести")
    story = ArticleFactory(rubric=RubricFactory(name="Экономика"))
    regional_news = RubricFactory(name="Новости региона")
    services.place_article(article=story, sites=[district], user=None)
    on_district = {"host": "toguchin.example.ru"}
    client.get(story.get_absolute_url(), headers=on_district)

    with committed():
        services.change_placement(
            placement=Placement.objects.get(article=story, site=district),
            user=None,
            rubric=regional_news,
            is_featured=False,
        )
    response = client.get(story.get_absolute_url(), headers=on_district)

    assert ">Новости региона</a>" in main_column(response)
    assert ">Экономика</a>" not in main_column(response)


def test_stored_parts_of_an_article_are_the_sites_that_shows_it(client, no_whole_pages):
    district = SiteFactory(domain="toguchin.example.ru", name="Тогучинские вести")
    story = ArticleFactory()
    services.place_article(article=story, sites=[district], user=None)
    client.get(story.get_absolute_url())

    on_district = client.get(story.get_absolute_url(), headers={"host": "toguchin.example.ru"})
    on_oblast = client.get(story.get_absolute_url())

    assert "Материал сайта" in main_column(on_district)
    assert "Материал сайта" not in main_column(on_oblast)


def test_stored_parts_of_an_article_link_the_host_it_is_read_at(client, no_whole_pages):
    story = ArticleFactory()
    client.get(story.get_absolute_url(), headers={"host": "localhost"})

    response = client.get(story.get_absolute_url(), headers={"host": "127.0.0.1"})

    assert f'href="http://127.0.0.1{story.get_absolute_url()}"' in response.text
    assert "http://localhost" not in response.text


def test_stored_parts_of_an_adult_article_are_gated_for_each_reader(client, no_whole_pages):
    story = ArticleFactory(age_mark=AgeMark.EIGHTEEN)
    client.get(story.get_absolute_url())

    gated = client.get(story.get_absolute_url())
    client.post("/age-confirm/", {"next": story.get_absolute_url()})
    confirmed = client.get(story.get_absolute_url())

    assert rendered(gated, ARTICLE_PARTS) == 0
    assert "article--age-gated" in gated.text
    assert "article--age-gated" not in confirmed.text
    assert story.title in main_column(confirmed)


def test_site_header_and_footer_are_rendered_once_per_change_on_the_site(
    client, no_whole_pages, committed
):
    story = ArticleFactory()
    client.get("/")

    reused = client.get(story.get_absolute_url())
    with committed():
        site = Site.objects.get(is_default=True)
        site.name = "Новосибирские вести"
        save_site(site=site)
    renamed = client.get(story.get_absolute_url())

    assert rendered(reused, SITE_CHROME) == 0
    assert rendered(renamed, SITE_CHROME) == 1
    assert 'class="site-header__logo" href="/">Новосибирские вести</a>' in renamed.text
    assert "</span> Новосибирские вести" in renamed.text  # the footer's imprint


def test_deploy_with_new_static_files_renders_the_site_header_again(
    client, no_whole_pages, monkeypatch
):
    client.get("/")

    monkeypatch.setattr(staticfiles_storage, "manifest_hash", "a new deploy", raising=False)

    assert rendered(client.get("/"), SITE_CHROME) == 1


def test_new_rubric_is_in_the_site_menu_at_once(client, no_whole_pages, committed):
    client.get("/")

    with committed():
        RubricFactory(name="Спорт")

    assert 'class="rubric-menu__link" href="/rubric/sport/">Спорт</a>' in client.get("/").text


@pytest.mark.parametrize(
    "ago",
    [
        timedelta(0),
        timedelta(seconds=1),
        timedelta(seconds=59),
        timedelta(minutes=1),
        timedelta(minutes=1, seconds=59),
        timedelta(minutes=59, seconds=59),
        timedelta(hours=1),
        timedelta(hours=5, minutes=30),
        timedelta(hours=23, minutes=59, seconds=59),
    ],
)
def test_relative_times_read_as_naturaltime_writes_them(ago, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    moment = timezone.now() - ago

    assert news_time(moment) == naturaltime(moment)


FILTERS = "articles/includes/archive_filters.html"


def test_archive_filter_form_is_rendered_once_for_every_page_of_the_archive(client, page_cache):
    ArticleFactory.create_batch(21)
    client.get(reverse("articles:archive"))

    response = client.get(reverse("articles:archive") + "?page=2")

    assert rendered(response, FILTERS) == 0
    assert 'class="filter-form"' in response.text


@pytest.mark.parametrize("page", ["articles:archive", "articles:search"])
def test_stored_filters_show_the_rubric_of_their_own_request(page, client, page_cache):
    economy, sport = RubricFactory(name="Экономика"), RubricFactory(name="Спорт")
    client.get(reverse(page) + f"?q=трактор&rubric={economy.slug}")

    response = client.get(reverse(page) + f"?q=трактор&rubric={sport.slug}")

    assert f'<option value="{sport.slug}" selected>' in response.text
    assert f'<option value="{economy.slug}" selected>' not in response.text


SEARCH_FILTERS = "articles/includes/search_filters.html"


def test_search_filters_are_rendered_once_for_every_query(client, page_cache):
    RubricFactory(name="Экономика")
    client.get(reverse("articles:search") + "?q=трактор")

    response = client.get(reverse("articles:search") + "?q=комбайн")

    assert rendered(response, SEARCH_FILTERS) == 0
    assert 'name="region"' in response.text
    assert 'value="комбайн"' in response.text


def test_search_filters_show_the_error_of_an_unknown_rubric(client, page_cache):
    client.get(reverse("articles:search") + "?q=трактор&rubric=net-takoy")

    response = client.get(reverse("articles:search") + "?q=комбайн&rubric=net-takoy")

    assert response.status_code == 200
    assert 'id="id_rubric_error"' in response.text
