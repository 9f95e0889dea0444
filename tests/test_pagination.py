"""List pages never count their articles; search counts only as far as its last page."""

import pytest

from tests.factories import ArticleFactory, RubricFactory

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

    assert len(response.context["articles"]) == 1
    assert 'rel="next"' not in response.text
    assert 'rel="prev"' in response.text


def test_list_page_past_the_end_is_not_found(client, rubric_of_three_pages):
    response = client.get(rubric_of_three_pages.get_absolute_url(), {"page": 4})

    assert response.status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_list_page_number_that_is_no_page_is_not_found(client, rubric_of_three_pages, page):
    response = client.get(rubric_of_three_pages.get_absolute_url(), {"page": page})

    assert response.status_code == 404


def test_list_page_runs_no_count_query(client, rubric_of_three_pages, django_assert_num_queries):
    with django_assert_num_queries(4) as context:
        client.get(rubric_of_three_pages.get_absolute_url())

    assert not [query for query in context.captured_queries if "COUNT(" in query["sql"]]


@pytest.fixture
def two_page_search_limit(monkeypatch):
    monkeypatch.setattr("articles.pagination.BoundedPaginator.max_pages", 2)
    ArticleFactory.create_batch(41, title="Ремонт дороги")


def test_search_beyond_its_last_counted_page_says_there_are_more(client, two_page_search_limit):
    response = client.get("/search/", {"q": "ремонт"})

    assert "Страница 1 из 2+" in response.text


def test_search_page_past_the_counted_ones_is_not_found(client, two_page_search_limit):
    response = client.get("/search/", {"q": "ремонт", "page": 3})

    assert response.status_code == 404
