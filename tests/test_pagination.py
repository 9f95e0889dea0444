"""List pages count their articles only as far as their last page."""

import pytest

from tests.factories import ArticleFactory, RubricFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_rubric(monkeypatch):
    """A rubric with more articles than two pages hold, and lists cut at two pages."""
    monkeypatch.setattr("articles.pagination.BoundedPaginator.max_pages", 2)
    rubric = RubricFactory()
    ArticleFactory.create_batch(41, rubric=rubric)
    return rubric


def test_list_beyond_its_last_counted_page_says_there_are_more(client, long_rubric):
    response = client.get(long_rubric.get_absolute_url())

    assert "Страница 1 из 2+" in response.text


def test_last_counted_page_has_no_next_link(client, long_rubric):
    response = client.get(long_rubric.get_absolute_url(), {"page": 2})

    assert response.status_code == 200
    assert 'rel="next"' not in response.text


def test_page_past_the_counted_ones_is_not_found(client, long_rubric):
    response = client.get(long_rubric.get_absolute_url(), {"page": 3})

    assert response.status_code == 404


def test_short_list_shows_its_exact_page_count(client):
    rubric = RubricFactory()
    ArticleFactory.create_batch(21, rubric=rubric)

    assert "Страница 1 из 2<" in client.get(rubric.get_absolute_url()).text
