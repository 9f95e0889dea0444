"""The editorial calendar: a month or a week of published and scheduled articles, by day."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, SiteFactory

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Asia/Novosibirsk")
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=ZONE)
URL = reverse("admin:articles_article_calendar")


def day_cell(response, day: int) -> str:
    html = response.content.decode()
    cells = re.findall(r'<td class="calendar__day[^"]*">(.*?)</td>', html, re.S)
    for cell in cells:
        if re.search(rf'class="calendar__date"[^>]*>{day}</a>', cell):
            return cell
    raise AssertionError(f"no day {day}")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_month_shows_scheduled_and_published_articles_on_their_days(superuser_client, frozen):
    ArticleFactory(title="Вышла вчера", published_at=datetime(2026, 12, 1, 9, 30, tzinfo=ZONE))
    ArticleFactory(title="Выйдет в пятницу", published_at=datetime(2026, 12, 4, 18, 0, tzinfo=ZONE))
    ArticleFactory(title="Черновик", status=Article.Status.DRAFT, published_at=None)

    response = superuser_client.get(URL)

    assert "Планирование: Декабрь 2026" in response.content.decode()
    assert "09:30" in day_cell(response, 1) and "Вышла вчера" in day_cell(response, 1)
    friday = day_cell(response, 4)
    assert "calendar__article--scheduled" in friday and "Выйдет в пятницу" in friday
    assert "Черновик" not in response.content.decode()


def test_week_view_starts_on_monday_and_moves_by_weeks(superuser_client, frozen):
    ArticleFactory(title="В воскресенье", published_at=datetime(2026, 12, 6, 10, 0, tzinfo=ZONE))
    ArticleFactory(title="Через неделю", published_at=datetime(2026, 12, 8, 10, 0, tzinfo=ZONE))

    response = superuser_client.get(URL, {"view": "week", "start": "2026-12-03"})

    html = response.content.decode()
    assert "Планирование: 30.11 — 06.12.2026" in html
    assert "В воскресенье" in html and "Через неделю" not in html
    assert 'start=2026-12-07"' in html.replace("&amp;", "&")


def test_one_site_can_be_chosen(superuser_client, frozen):
    district = SiteFactory(name="Здвинский вестник")
    ArticleFactory(title="Новость района", site=district, published_at=NOW)
    ArticleFactory(title="Новость области", published_at=NOW)

    html = superuser_client.get(URL, {"site": district.pk}).content.decode()

    assert "Новость района" in html and "Новость области" not in html


def test_an_author_sees_only_own_articles(client_as, author, frozen):
    ArticleFactory(title="Моя", created_by=author, published_at=NOW)
    ArticleFactory(title="Чужая", published_at=NOW)

    html = client_as(author).get(URL).content.decode()

    assert "Моя" in html and "Чужая" not in html


@pytest.mark.parametrize(
    "query",
    [
        {"start": "вчера"},
        {"start": "9999-12-31"},
        {"start": "0001-01-01", "view": "week"},
        {"site": "99999999999999999999999"},
        {"site": "abc", "view": "year"},
    ],
)
def test_bad_parameters_show_the_current_month(superuser_client, frozen, query):
    response = superuser_client.get(URL, query)

    assert response.status_code == 200
    assert "Планирование:" in response.content.decode()


def test_calendar_queries_do_not_grow_with_articles(superuser_client, frozen):
    ArticleFactory(published_at=NOW)
    superuser_client.get(URL)
    with CaptureQueriesContext(connection) as few:
        superuser_client.get(URL)
    ArticleFactory.create_batch(10, published_at=NOW, site=SiteFactory())
    superuser_client.get(URL)
    with CaptureQueriesContext(connection) as many:
        superuser_client.get(URL)

    assert len(many) == len(few)
