from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles.models import LISTED, Article
from editorial import services
from tests.factories import ArticleFactory, save_changes
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


@pytest.mark.parametrize("trashed", [False, True], ids=["kept", "trashed"])
@pytest.mark.parametrize("published_at", [PAST, FUTURE, None], ids=["past", "future", "no time"])
@pytest.mark.parametrize("status", Article.Status.values)
def test_is_published_agrees_with_the_published_queryset(status, published_at, trashed):
    with time_machine.travel(NOW, tick=False):
        article = ArticleFactory(status=status, published_at=published_at)
        if trashed:
            article = save_changes(article, deleted_at=NOW)

        in_queryset = Article.objects.published().filter(pk=article.pk).exists()
        listed = Article.objects.filter(LISTED, pk=article.pk).exists()

        assert article.is_published is in_queryset
        assert article.is_listed is listed
        assert article.is_scheduled is (listed and not in_queryset)


def test_trashed_article_offers_no_link_to_the_site(superuser, client_as):
    article = ArticleFactory()
    services.move_to_trash(article=article, user=superuser)

    response = client_as(superuser).get(reverse("admin:articles_article_change", args=[article.pk]))

    assert article.get_absolute_url() not in response.content.decode()


def test_preview_of_a_trashed_article_offers_no_link_to_the_site(superuser, client_as):
    article = ArticleFactory()
    services.move_to_trash(article=article, user=superuser)

    response = client_as(superuser).get(
        reverse("admin:articles_article_preview", args=[article.pk])
    )

    assert response.status_code == 200
    assert f'href="{article.get_absolute_url()}"' not in response.content.decode()
