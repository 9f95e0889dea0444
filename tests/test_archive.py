from datetime import UTC, datetime

import pytest
from django.urls import reverse

from articles.models import Article
from regions.models import RegionKind
from tests.factories import (
    ArticleFactory,
    RegionFactory,
    RubricFactory,
    StaffProfileFactory,
)
from tests.pages import card_titles, main_column

pytestmark = pytest.mark.django_db

ARCHIVE = reverse("articles:archive")


def titles_on(response) -> list[str]:
    return card_titles(response)


def test_archive_lists_published_articles_newest_first(client):
    older = ArticleFactory(published_at=datetime(2026, 1, 10, tzinfo=UTC))
    newer = ArticleFactory(published_at=datetime(2026, 2, 10, tzinfo=UTC))
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    assert titles_on(client.get(ARCHIVE)) == [newer.title, older.title]


def test_archive_filters_by_rubric(client):
    sport = RubricFactory(name="Спорт")
    ArticleFactory(title="Матч", rubric=sport)
    ArticleFactory(title="Урожай")

    assert titles_on(client.get(ARCHIVE, {"rubric": sport.slug})) == ["Матч"]


def test_archive_region_filter_includes_sub_regions(client):
    oblast = RegionFactory(name="Новосибирская область", kind=RegionKind.OBLAST)
    district = RegionFactory(name="Купинский район", parent=oblast)
    ArticleFactory(title="Новость района", regions=[district])
    ArticleFactory(title="Новость без региона")

    assert titles_on(client.get(ARCHIVE, {"region": oblast.slug})) == ["Новость района"]


def test_archive_filters_by_tag_author_and_age_mark(client):
    author = StaffProfileFactory(public_name="Мария Лебедева")
    ArticleFactory(title="Нужная", tags=["дороги"], authors=[author], age_mark="16+")
    ArticleFactory(title="Другой тег", tags=["школа"], authors=[author], age_mark="16+")
    ArticleFactory(title="Другой автор", tags=["дороги"], age_mark="16+")
    ArticleFactory(title="Другая маркировка", tags=["дороги"], authors=[author], age_mark="12+")

    response = client.get(ARCHIVE, {"tag": "dorogi", "author": author.slug, "age_mark": "16+"})

    assert titles_on(response) == ["Нужная"]


def test_archive_filters_by_date_range_in_the_site_time_zone(client):
    # 18:30 UTC on 31 January is already 1 February in Novosibirsk (UTC+7).
    ArticleFactory(title="Январь", published_at=datetime(2026, 1, 31, 10, tzinfo=UTC))
    ArticleFactory(title="Уже февраль", published_at=datetime(2026, 1, 31, 18, 30, tzinfo=UTC))
    ArticleFactory(title="Март", published_at=datetime(2026, 3, 2, tzinfo=UTC))

    response = client.get(ARCHIVE, {"date_from": "2026-02-01", "date_to": "2026-02-28"})

    assert titles_on(response) == ["Уже февраль"]


def test_archive_date_range_ends_at_local_midnight_after_its_last_day(client):
    # 16:30 UTC on 28 February is 23:30 there; 17:10 UTC is already 1 March.
    ArticleFactory(title="Поздно вечером", published_at=datetime(2026, 2, 28, 16, 30, tzinfo=UTC))
    ArticleFactory(title="Уже март", published_at=datetime(2026, 2, 28, 17, 10, tzinfo=UTC))

    response = client.get(ARCHIVE, {"date_from": "2026-02-28", "date_to": "2026-02-28"})

    assert titles_on(response) == ["Поздно вечером"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_archive_accepts_the_first_and_last_dates_a_form_can_hold(client, day):
    ArticleFactory(title="Любая")

    for field in ("date_from", "date_to"):
        assert client.get(ARCHIVE, {field: day}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"rubric": "no-such-rubric"},
        {"region": "'; DROP TABLE regions_region; --"},
        {"tag": "нет-такого"},
        {"author": "<script>"},
        {"age_mark": "21+"},
        {"date_from": "31.02.2026"},
        {"date_to": "not-a-date"},
        {"date_from": "2026-03-01", "date_to": "2026-02-01"},
    ],
)
def test_invalid_filter_values_give_a_form_error_on_a_normal_page(client, query):
    ArticleFactory()

    response = client.get(ARCHIVE, query)

    assert response.status_code == 200
    assert 'role="alert"' in main_column(response)
    assert "<script>" not in main_column(response)


def test_archive_pagination_keeps_the_filters(client):
    rubric = RubricFactory(name="Культура")
    ArticleFactory.create_batch(21, rubric=rubric)

    response = client.get(ARCHIVE, {"rubric": rubric.slug})

    assert f"rubric={rubric.slug}" in main_column(response).split('rel="next"')[1].split(">")[0]
    assert len(card_titles(client.get(ARCHIVE, {"rubric": rubric.slug, "page": 2}))) == 1


def test_archive_with_a_bad_page_is_404(client):
    assert client.get(ARCHIVE, {"page": "x"}).status_code == 404
