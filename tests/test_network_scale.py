"""A site's deep list pages, search and home read the site's placements, not the network's
articles, and still never show what `Article.objects.published()` hides.

Deep pages skip over the placements' copies of `is_listed` and `published_at`; search finds the
site's matches in the placements' copy of the search terms; the home asks each rubric whether
the site has anything in it. Each test of a hidden article runs twice: with the copies
`editorial.services` keeps, and with a copy left stale (written behind the services' back),
which the article's own state must still overrule.
"""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Placement, Tag
from articles.search import MAX_RANKED_MATCHES
from editorial import services
from network import hosts
from network.models import Site
from regions.models import RegionKind
from tests.factories import (
    ArticleFactory,
    RegionFactory,
    RubricFactory,
    SiteFactory,
    save_changes,
)
from tests.pages import card_titles, home_sections
from tests.test_network import TOGUCHIN, on, titles

pytestmark = pytest.mark.django_db

PER_PAGE = 20
SEARCH_URL = reverse("articles:search")


@pytest.fixture
def oblast():
    return Site.objects.get(is_default=True)


@pytest.fixture
def toguchin():
    return SiteFactory(domain=TOGUCHIN, name="Тогучинские вести")


@pytest.fixture
def regional_news():
    return RubricFactory(name="Новости региона")


def hours_ago(hours: float):
    return timezone.now() - timedelta(hours=hours)


@pytest.fixture
def two_pages_on_the_district(oblast, toguchin, regional_news):
    """25 articles the district shows under "Новости региона", newest first: its own and the
    oblast's placed there, alternately, an hour apart; and five newer ones under another
    rubric."""
    articles = []
    for number in range(25):
        if number % 2:
            article = ArticleFactory(
                title=f"Новость области {number}",
                site=oblast,
                published_at=hours_ago(number + 1),
            )
            services.place_article(
                article=article, sites=[toguchin], user=None, rubric=regional_news
            )
        else:
            article = ArticleFactory(
                title=f"Новость района {number}",
                site=toguchin,
                rubric=regional_news,
                published_at=hours_ago(number + 1),
            )
        articles.append(article)
    # The district's newest articles are in another rubric, on the same site's index.
    ArticleFactory.create_batch(
        5, site=toguchin, rubric=RubricFactory(name="Культура"), published_at=hours_ago(0.5)
    )
    return articles


@pytest.fixture(params=["rubric", "region"])
def deep_list(request, two_pages_on_the_district, regional_news):
    """The district's 25 articles as one of its lists, and what the list is of: the rubric, or
    the district's region, whose articles are in it and in the village below it, alternately
    (the five newer ones are in no region)."""
    if request.param == "rubric":
        return two_pages_on_the_district, regional_news
    district = RegionFactory(name="Тогучинский район")
    village = RegionFactory(name="Киик", kind=RegionKind.SETTLEMENT, parent=district)
    for number, article in enumerate(two_pages_on_the_district):
        save_changes(article, regions=[village if number % 2 else district])
    return two_pages_on_the_district, district


def list_page(client, subject, page: int):
    """A page of the district's list of `subject`: a rubric, a region…"""
    response = on(client, TOGUCHIN, subject.get_absolute_url(), query_params={"page": page})
    assert response.status_code == 200
    return response


def page_titles(response) -> list[str]:
    return card_titles(response)


def leave_the_copy_stale(article: Article, *, site: Site) -> None:
    """The placement on `site` says listed, at an hour ago, whatever the article says now."""
    Placement.objects.filter(article=article, site=site).update(
        is_listed=True, published_at=hours_ago(1)
    )


def hide(article: Article, how: str, *, user) -> None:
    if how == "trashed":
        services.move_to_trash(article=article, user=user)
    elif how == "unpublished":
        save_changes(article, status=Article.Status.UNPUBLISHED)
    elif how == "scheduled":
        save_changes(article, published_at=timezone.now() + timedelta(days=1))


HIDDEN = ["trashed", "unpublished", "scheduled"]
COPIES = ["copies kept", "copy stale"]


# Deep list pages


def test_a_districts_second_page_continues_its_first_in_the_sites_order(client, deep_list):
    articles, subject = deep_list
    newest_first = [article.title for article in articles]

    first = list_page(client, subject, 1)
    second = list_page(client, subject, 2)

    assert page_titles(first) + page_titles(second) == newest_first
    assert second.context["page_obj"].has_next() is False


def test_a_deep_page_runs_as_many_queries_as_the_first(
    client, django_assert_num_queries, two_pages_on_the_district, regional_news
):
    hosts.current()  # the sites, read once per process, are not the page's queries

    with django_assert_num_queries(5):
        list_page(client, regional_news, 2)


def test_a_deep_page_skips_the_earlier_pages_without_reading_their_articles(client, deep_list):
    _articles, subject = deep_list
    with CaptureQueriesContext(connection) as queries:
        list_page(client, subject, 2)

    skips = [query["sql"] for query in queries.captured_queries if "OFFSET" in query["sql"]]
    assert len(skips) == 1
    skipped_over = skips[0].split(" IN (SELECT ", 1)[1]
    assert 'FROM "articles_placement"' in skipped_over
    assert '"articles_article"' not in skipped_over


@pytest.mark.parametrize("copies", COPIES)
@pytest.mark.parametrize("how", HIDDEN)
def test_a_hidden_article_is_not_on_a_districts_deep_page(
    client, superuser, toguchin, deep_list, how, copies
):
    articles, subject = deep_list
    # The oldest article is on page 2; the one hidden is the third oldest, also there.
    hidden = articles[-3]
    hide(hidden, how, user=superuser)
    if copies == "copy stale":
        leave_the_copy_stale(hidden, site=toguchin)

    second = list_page(client, subject, 2)

    assert hidden.title not in page_titles(second)
    assert hidden.title not in second.text
    assert articles[-1].title in page_titles(second)


def test_a_deep_page_narrowed_by_more_than_the_placement_lists_only_its_articles(
    client, toguchin, two_pages_on_the_district, regional_news
):
    """The archive by rubric and tag skips over the list's articles, not the rubric's placements."""
    tagged = two_pages_on_the_district[3:]
    for article in tagged:
        save_changes(article, tags=["дороги"])

    second = on(
        client,
        TOGUCHIN,
        reverse("articles:archive"),
        query_params={"rubric": regional_news.slug, "tag": Tag.objects.get().slug, "page": 2},
    )

    assert second.status_code == 200
    assert page_titles(second) == [article.title for article in tagged[PER_PAGE:]]


def test_a_deep_archive_page_of_a_rubric_between_dates_continues_its_first(
    client, two_pages_on_the_district, regional_news
):
    newest_first = [article.title for article in two_pages_on_the_district]
    today = timezone.localdate()
    dates = {"rubric": regional_news.slug, "date_from": today - timedelta(days=3), "date_to": today}

    pages = [
        on(client, TOGUCHIN, reverse("articles:archive"), query_params={**dates, "page": page})
        for page in (1, 2)
    ]

    assert page_titles(pages[0]) + page_titles(pages[1]) == newest_first


# Search


@pytest.fixture
def road_news_on_the_district(oblast, toguchin, regional_news):
    """Two matches of "ремонт дорог" on the district: its own and one placed from the oblast."""
    own = ArticleFactory(
        title="В Тогучине начали ремонт дорог", site=toguchin, published_at=hours_ago(2)
    )
    placed = ArticleFactory(
        title="Область выделила деньги на ремонт дорог", site=oblast, published_at=hours_ago(3)
    )
    services.place_article(article=placed, sites=[toguchin], user=None, rubric=regional_news)
    return own, placed


def search_titles(client, q: str) -> set[str]:
    response = on(client, TOGUCHIN, SEARCH_URL, query_params={"q": q})
    assert response.status_code == 200
    return {article.title for article in response.context["articles"]}


def test_district_search_finds_its_own_and_placed_matches_but_not_the_networks_others(
    client, oblast, road_news_on_the_district
):
    ArticleFactory(title="Ремонт дорог в Новосибирске", site=oblast, published_at=hours_ago(1))

    assert search_titles(client, "ремонт дорог") == {
        article.title for article in road_news_on_the_district
    }


def test_district_search_ranks_the_sites_newest_matches_however_many_the_network_has_newer(
    client, oblast, toguchin, road_news_on_the_district
):
    """The network's newer matches the site does not carry take none of its ranked places."""
    for number in range(MAX_RANKED_MATCHES // 40):
        ArticleFactory.create_batch(
            40, title=f"Ремонт дорог в Новосибирске, часть {number}", site=oblast
        )

    assert search_titles(client, "ремонт дорог") == {
        article.title for article in road_news_on_the_district
    }


def test_district_search_finds_a_placed_article_by_its_new_words_after_editing(
    client, road_news_on_the_district
):
    _own, placed = road_news_on_the_district

    save_changes(placed, title="Область выделила деньги на новые мосты")

    assert search_titles(client, "мосты") == {placed.title}
    assert search_titles(client, "ремонт дорог") == {"В Тогучине начали ремонт дорог"}


def test_district_search_never_shows_an_article_whose_own_words_do_not_match_a_stale_copy(
    client, toguchin, road_news_on_the_district
):
    own, _placed = road_news_on_the_district
    Placement.objects.filter(article=own, site=toguchin).update(
        search_terms=SearchVector(Value("мосты"), config="simple")
    )

    assert search_titles(client, "мосты") == set()


def test_migration_copies_each_articles_search_terms_to_its_placements(
    client, road_news_on_the_district
):
    Placement.objects.update(search_terms="")
    assert search_titles(client, "ремонт дорог") == set()

    migration = importlib.import_module("articles.migrations.0014_placement_search_terms")
    with connection.schema_editor() as schema_editor:
        migration.copy_search_terms(apps, schema_editor)

    assert search_titles(client, "ремонт дорог") == {
        article.title for article in road_news_on_the_district
    }


@pytest.mark.parametrize("copies", COPIES)
@pytest.mark.parametrize("how", HIDDEN)
def test_a_hidden_article_is_not_found_by_a_districts_search(
    client, superuser, toguchin, road_news_on_the_district, how, copies
):
    own, placed = road_news_on_the_district
    for article in (own, placed):
        hide(article, how, user=superuser)
        if copies == "copy stale":
            leave_the_copy_stale(article, site=toguchin)

    response = on(client, TOGUCHIN, SEARCH_URL, query_params={"q": "ремонт дорог"})

    assert response.status_code == 200
    assert card_titles(response) == []
    assert own.title not in response.text
    assert placed.title not in response.text


# Home


def test_a_district_home_has_no_section_for_a_rubric_it_has_nothing_in(
    client, oblast, toguchin, regional_news
):
    culture = RubricFactory(name="Культура")
    ArticleFactory(title="Концерт в областном центре", site=oblast, rubric=culture)
    own = ArticleFactory.create_batch(8, site=toguchin, rubric=regional_news)

    home = on(client, TOGUCHIN)

    assert list(home_sections(home)) == [regional_news.name]
    assert "Концерт в областном центре" not in home.text
    assert {article.title for article in own} <= titles(home.text)


@pytest.mark.parametrize("how", HIDDEN)
def test_a_district_home_has_no_section_for_a_rubric_whose_articles_are_hidden(
    client, superuser, toguchin, regional_news, how
):
    culture = RubricFactory(name="Культура")
    ArticleFactory.create_batch(8, site=toguchin, rubric=regional_news)
    hidden = ArticleFactory(title="Концерт в Тогучине", site=toguchin, rubric=culture)
    hide(hidden, how, user=superuser)

    home = on(client, TOGUCHIN)

    assert list(home_sections(home)) == [regional_news.name]
    assert hidden.title not in home.text


def test_a_district_home_runs_the_same_queries_with_empty_rubrics_in_its_menu(
    client, django_assert_num_queries, toguchin, regional_news
):
    RubricFactory.create_batch(3)
    ArticleFactory.create_batch(8, site=toguchin, rubric=regional_news)
    hosts.current()

    with django_assert_num_queries(5):
        assert on(client, TOGUCHIN).status_code == 200
