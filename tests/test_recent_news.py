from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from articles.models import Article
from tests.factories import ArticleFactory
from tests.pages import recent_news

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def test_feed_lists_ten_newest_other_published_articles_newest_first(client, frozen_now):
    articles = [
        ArticleFactory(title=f"Сводка {n:02d}", published_at=frozen_now - timedelta(hours=n))
        for n in range(1, 14)
    ]
    current = articles[0]

    feed = recent_news(client.get(current.get_absolute_url()))

    titles = [a.title for a in articles[1:11]]
    positions = [feed.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Сводка 01" not in feed
    assert "Сводка 12" not in feed


def test_feed_leaves_out_drafts_and_scheduled_articles(client, frozen_now):
    current = ArticleFactory()
    ArticleFactory(title="Черновик новости", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(title="Завтрашняя новость", published_at=frozen_now + timedelta(hours=3))

    feed = recent_news(client.get(current.get_absolute_url()))

    assert "Черновик новости" not in feed
    assert "Завтрашняя новость" not in feed


def test_feed_excerpt_is_cut_at_a_word_with_an_ellipsis(client):
    current = ArticleFactory()
    ArticleFactory(
        lead="",
        body="<p>"
        + "Аграрии Здвинского района завершили уборку зерновых на площади "
        + "двенадцать тысяч гектаров и приступили к вспашке зяби.</p>",
    )

    feed = recent_news(client.get(current.get_absolute_url()))

    assert "Аграрии Здвинского района завершили уборку зерновых на площади двенадцать " in feed
    assert "тысяч гектаров и…" in feed


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Короткий лид.", "Короткий лид."),
        ("слово " * 30, ("слово " * 16).strip() + "…"),
        (
            "<p>Жители &laquo;Тогучина&raquo; <b>выбрали</b> проект</p>",
            "Жители «Тогучина» выбрали проект",
        ),
        ("а" * 150, "а" * 100 + "…"),
        ("<p>Первый абзац.</p><p>Второй абзац.</p>", "Первый абзац. Второй абзац."),
        ("<h2>Итоги</h2><ul><li>раз</li><li>два</li></ul>", "Итоги раз два"),
    ],
)
def test_excerpt_is_plain_text_within_a_hundred_characters(text, excerpt):
    article = ArticleFactory(lead="", body=text)

    assert article.excerpt == excerpt
    assert len(article.excerpt) <= 101


def test_lead_is_preferred_to_the_body_for_the_excerpt():
    article = ArticleFactory(lead="Лид статьи.", body="<p>Тело статьи.</p>")

    assert article.excerpt == "Лид статьи."


@pytest.mark.parametrize(
    ("age", "shown"),
    [
        (timedelta(minutes=1), "1 минуту назад"),
        (timedelta(minutes=2), "2 минуты назад"),
        (timedelta(minutes=5), "5 минут назад"),
        (timedelta(minutes=11), "11 минут назад"),
        (timedelta(minutes=21), "21 минуту назад"),
        (timedelta(minutes=22), "22 минуты назад"),
        (timedelta(hours=1), "1 час назад"),
        (timedelta(hours=2), "2 часа назад"),
        (timedelta(hours=3, minutes=20), "3 часа назад"),
        (timedelta(hours=5), "5 часов назад"),
        (timedelta(hours=11), "11 часов назад"),
        (timedelta(hours=21), "21 час назад"),
        (timedelta(hours=22), "22 часа назад"),
    ],
)
def test_feed_shows_fresh_items_relative_in_russian(client, frozen_now, age, shown):
    current = ArticleFactory(published_at=frozen_now - timedelta(days=3))
    ArticleFactory(published_at=frozen_now - age)

    feed = recent_news(client.get(current.get_absolute_url()))

    number, unit = shown.split(" ", 1)
    assert f">{number}\N{NO-BREAK SPACE}{unit}</time>" in feed


def test_feed_shows_items_older_than_a_day_as_a_date(client, frozen_now):
    current = ArticleFactory()
    ArticleFactory(published_at=datetime(2026, 1, 19, 8, 0, tzinfo=UTC))
    ArticleFactory(published_at=frozen_now - timedelta(hours=24, minutes=1))

    feed = recent_news(client.get(current.get_absolute_url()))

    assert ">19.01.2026</time>" in feed
    assert ">21.11.2026</time>" in feed
