from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from articles.models import Article
from tests.factories import ArticleFactory
from tests.pages import main_column

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
PAST, FUTURE = NOW - timedelta(hours=2), NOW + timedelta(hours=2)


@pytest.mark.parametrize(
    ("status", "published_at", "visible"),
    [
        (Article.Status.PUBLISHED, PAST, True),
        (Article.Status.PUBLISHED, FUTURE, False),
        (Article.Status.DRAFT, PAST, False),
        (Article.Status.DRAFT, FUTURE, False),
        (Article.Status.DRAFT, None, False),
    ],
)
def test_only_published_articles_whose_time_has_come_are_visible(
    client, status, published_at, visible
):
    with time_machine.travel(NOW, tick=False):
        article = ArticleFactory(status=status, published_at=published_at)

        response = client.get(article.get_absolute_url())

        assert (response.status_code == 200) is visible
        assert (response.status_code == 404) is not visible
        assert Article.objects.published().filter(pk=article.pk).exists() is visible


def test_scheduled_article_appears_by_itself_at_its_time(client):
    with time_machine.travel(NOW, tick=False):
        article = ArticleFactory(published_at=FUTURE)
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.is_scheduled

    with time_machine.travel(FUTURE + timedelta(seconds=1), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_draft_is_missing_from_home_and_list_pages(client):
    article = ArticleFactory(title="Секретный черновик", status=Article.Status.DRAFT)
    ArticleFactory(rubric=article.rubric)

    assert "Секретный черновик" not in client.get("/").content.decode()
    assert "Секретный черновик" not in main_column(client.get(article.rubric.get_absolute_url()))


def test_publishing_without_a_time_publishes_now():
    with time_machine.travel(NOW, tick=False):
        article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)

    assert article.published_at == NOW
