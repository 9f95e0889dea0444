"""List and search pages never count their articles."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, RubricFactory
from tests.pages import card_addresses, card_titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric_of_three_pages():
    rubric = RubricFactory()
    ArticleFactory.create_batch(41, rubric=rubric)
    return rubric


def test_list_page_links_to_older_articles_without_a_page_total(client, rubric_of_three_pages):
    response = client.get(rubric_of_three_pages.get_absolute_url())

    assert "Страница 1<" in response.text
    assert 'rel="next"' in response.text


def test_last_list_page_has_no_link_to_older_articles(client, rubric_of_three_pages):
    response = client.get(rubric_of_three_pages.get_absolute_url(), {"page": 3})

    assert len(card_titles(response)) == 1
    assert 'rel="next"' not in response.text
    assert 'rel="prev"' in response.text


def test_later_pages_continue_the_list_where_the_previous_page_ended(client):
    rubric = RubricFactory()
    now = timezone.now()
    # Pairs published at the same moment: the id breaks the tie the same way on every page.
    articles = [
        ArticleFactory(rubric=rubric, published_at=now - timedelta(hours=number // 2))
        for number in range(45)
    ]
    newest_first = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)

    pages = [
        card_addresses(client.get(rubric.get_absolute_url(), {"page": page})) for page in (1, 2, 3)
    ]

    assert [url for page in pages for url in page] == [a.get_absolute_url() for a in newest_first]


def test_list_page_past_the_end_is_not_found(client, rubric_of_three_pages):
    response = client.get(rubric_of_three_pages.get_absolute_url(), {"page": 4})

    assert response.status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_list_page_number_that_is_no_page_is_not_found(client, rubric_of_three_pages, page):
    response = client.get(rubric_of_three_pages.get_absolute_url(), {"page": page})

    assert response.status_code == 404


def test_list_page_runs_no_count_query(client, rubric_of_three_pages, django_assert_num_queries):
    # The rubric, the page's ids and versions, their cards, menu, recent news.
    with django_assert_num_queries(5) as context:
        client.get(rubric_of_three_pages.get_absolute_url())

    assert not [query for query in context.captured_queries if "COUNT(" in query["sql"]]


def test_deep_list_page_runs_as_many_queries_as_the_first(
    client, rubric_of_three_pages, django_assert_num_queries
):
    with django_assert_num_queries(5):
        response = client.get(rubric_of_three_pages.get_absolute_url(), {"page": 3})

    assert len(card_titles(response)) == 1


def test_search_pages_run_no_count_query(client, django_assert_num_queries):
    ArticleFactory.create_batch(21, title="Ремонт дороги")

    # Results, the form's rubric and region choices, menu, recent news.
    with django_assert_num_queries(5) as context:
        response = client.get("/search/", {"q": "ремонт"})

    assert 'rel="next"' in response.text
    assert not [query for query in context.captured_queries if "COUNT(" in query["sql"]]


def test_search_page_past_the_end_is_not_found(client):
    ArticleFactory(title="Ремонт дороги")

    assert client.get("/search/", {"q": "ремонт", "page": 2}).status_code == 404
