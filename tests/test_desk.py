"""The desk: the admin's start page shows each role what it has to do next."""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from editorial import services
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 2, 12, 0, tzinfo=ZoneInfo("Asia/Novosibirsk"))


def desk_of(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response


def panel_html(response, title: str) -> str:
    html = response.content.decode()
    sections = re.findall(r'<section class="desk-panel".*?</section>', html, re.S)
    for section in sections:
        if f">{title}</a>" in section:
            return section
    raise AssertionError(f"no panel {title!r}")


def panel(response, title: str) -> str:
    """The text of the desk's panel with that title, tags removed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", panel_html(response, title))).split())


def panel_titles(response) -> list[str]:
    return re.findall(
        r'<h2 id="desk-panel-\d+"><a href="[^"]*">([^<]+)</a>', response.content.decode()
    )


def test_author_sees_own_drafts_not_colleagues(client_as, author):
    ArticleFactory(title="Мой черновик", status=Article.Status.DRAFT, created_by=author)
    ArticleFactory(title="Чужой черновик", status=Article.Status.DRAFT)

    drafts = panel(desk_of(client_as(author)), "Мои черновики")

    assert "Мой черновик" in drafts
    assert "Чужой черновик" not in drafts


def test_author_sees_what_came_back_with_the_moderators_comment(client_as, author, moderator):
    article = ArticleFactory(
        title="Про мост", status=Article.Status.REVIEW, created_by=author, published_at=None
    )
    services.take_step(article=article, action="return", user=moderator, comment="Уточните цифры")

    returned = panel(desk_of(client_as(author)), "Возвращены мне")

    assert "Про мост" in returned
    assert "«Уточните цифры»" in returned


def test_moderator_sees_the_review_queue_with_who_sent_it(client_as, author, moderator):
    article = ArticleFactory(
        title="Про школу", status=Article.Status.DRAFT, created_by=author, published_at=None
    )
    services.take_step(article=article, action="submit", user=author)

    response = desk_of(client_as(moderator))

    queue = panel(response, "На проверке")
    assert "Про школу" in queue
    assert f"{author.staff_profile.public_name}, ждёт" in queue
    assert "Мои черновики" not in panel_titles(response)


def test_editor_sees_what_comes_out_later_today(client_as, editor, desk_region):
    with time_machine.travel(NOON, tick=False):
        ArticleFactory(
            title="Вечерний выпуск",
            regions=[desk_region],
            published_at=NOON + timedelta(hours=5),
        )
        ArticleFactory(
            title="Завтрашний", regions=[desk_region], published_at=NOON + timedelta(days=1)
        )

        today = panel(desk_of(client_as(editor)), "Выйдут сегодня")

    assert "Вечерний выпуск" in today
    assert "в 17:00" in today
    assert "Завтрашний" not in today


def test_desk_queries_do_not_grow_with_the_articles(client_as, author):
    client = client_as(author)
    ArticleFactory(status=Article.Status.DRAFT, created_by=author)
    with CaptureQueriesContext(connection) as few:
        desk_of(client)
    ArticleFactory.create_batch(8, status=Article.Status.DRAFT, created_by=author)
    with CaptureQueriesContext(connection) as many:
        desk_of(client)

    assert len(many) == len(few)


def test_moderator_approves_from_the_queue_in_one_step(client_as, author, moderator):
    article = ArticleFactory(status=Article.Status.REVIEW, created_by=author, published_at=None)
    client = client_as(moderator)
    assert 'value="publish"' in panel_html(desk_of(client), "На проверке")

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": article.pk, "index": 0, "comment": ""},
    )

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_the_queue_opens_each_article_as_readers_will_see_it(client_as, author, moderator):
    article = ArticleFactory(status=Article.Status.REVIEW, created_by=author, published_at=None)
    client = client_as(moderator)
    preview = reverse("admin:articles_article_preview", args=[article.pk])

    queue = panel_html(desk_of(client), "На проверке")

    assert f'href="{preview}"' in queue
    assert client.get(preview).status_code == 200


def test_moderator_returns_from_the_queue_with_a_comment(client_as, author, moderator):
    article = ArticleFactory(status=Article.Status.REVIEW, created_by=author, published_at=None)

    client_as(moderator).post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "return_to_author",
            "_selected_action": article.pk,
            "index": 0,
            "comment": "Проверьте цифры",
        },
    )

    article.refresh_from_db()
    assert article.status == Article.Status.RETURNED
    assert "«Проверьте цифры»" in panel(desk_of(client_as(author)), "Возвращены мне")


def test_an_author_is_not_offered_review_buttons(client_as, author):
    ArticleFactory(status=Article.Status.REVIEW, created_by=author, published_at=None)

    assert 'value="publish"' not in panel_html(desk_of(client_as(author)), "На проверке")
