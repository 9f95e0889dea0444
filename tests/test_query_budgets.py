"""The archive and the sitemaps run a fixed number of queries, however much there is to show.

Each test runs on a small site and on one with more articles, each in more regions, with more
tags and authors: the count must be the same on both.
"""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, RegionFactory, RubricFactory, StaffProfileFactory
from tests.pages import card_titles

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[(21, 1), (27, 3)], ids=["small site", "larger site"])
def site(request):
    """Articles over several rubrics, each with up to `per_article` regions, tags and authors."""
    articles, per_article = request.param
    rubrics = RubricFactory.create_batch(per_article)
    regions = RegionFactory.create_batch(per_article)
    authors = StaffProfileFactory.create_batch(per_article)
    for number in range(articles):
        count = number % per_article + 1
        ArticleFactory(
            rubric=rubrics[number % per_article],
            regions=regions[:count],
            tags=[f"тема {index}" for index in range(count)],
            authors=authors[:count],
        )
    return {"rubric": rubrics[0], "region": regions[0], "author": authors[0]}


def test_archive_runs_seven_queries(client, django_assert_num_queries, site):
    # Rubric menu, the filter's rubric, region and author choices, the page's ids and versions,
    # their cards, recent news.
    with django_assert_num_queries(7):
        assert client.get(reverse("articles:archive"), {"page": 2}).status_code == 200


def test_archive_with_every_filter_runs_twelve_queries(client, django_assert_num_queries, site):
    filters = {
        "rubric": site["rubric"].slug,
        "region": site["region"].slug,
        "tag": "tema-0",
        "author": site["author"].slug,
        "age_mark": "12+",
        "date_from": "2020-01-01",
        "date_to": "2099-12-31",
    }

    # The archive's seven, one for each chosen rubric, region, tag and author, and the region's
    # subtree.
    with django_assert_num_queries(12):
        response = client.get(reverse("articles:archive"), filters)

    assert response.status_code == 200
    assert card_titles(response)


def test_sitemap_index_runs_six_queries(client, django_assert_num_queries, site):
    # A count per section, and the newest change of articles and rubrics (tags have none).
    with django_assert_num_queries(6):
        assert client.get(reverse("sitemaps:index")).status_code == 200


def test_news_sitemap_runs_two_queries(client, django_assert_num_queries, site):
    with django_assert_num_queries(2):
        assert client.get(reverse("sitemaps:news")).status_code == 200


@pytest.mark.parametrize("section", ["articles", "rubrics", "regions", "tags"])
def test_sitemap_section_runs_two_queries(client, django_assert_num_queries, site, section):
    url = reverse("sitemaps:section", kwargs={"section": section})

    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
