"""The desk's screens as an editor sees them, at phone and desktop widths, kept as test artifacts
(`test-artifacts/desk/`) for people to look at."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import ArticleFactory, RubricFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"
ARTIFACTS = Path("test-artifacts") / "desk"


@pytest.fixture
def newsroom(transactional_db, editor, desk_region):
    rubric = RubricFactory(name="Общество")
    ArticleFactory(title="Ждёт проверки", status=Article.Status.REVIEW, regions=[desk_region])
    ArticleFactory(
        title="Выйдет завтра утром",
        rubric=rubric,
        regions=[desk_region],
        published_at=timezone.now() + timedelta(days=1),
    )
    ArticleFactory.create_batch(5, rubric=rubric, regions=[desk_region])


@pytest.mark.parametrize(
    ("name", "path", "heading"),
    [
        ("desk", "/admin/", "Рабочий стол"),
        ("list", "/admin/articles/article/", "Статьи"),
        ("form", "/admin/articles/article/add/", "Добавить статью"),
        ("calendar", "/admin/articles/article/calendar/", "Планирование"),
    ],
)
def test_desk_screens_render_for_an_editor(
    live_server, page, screen, editor, newsroom, name, path, heading
):
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Имя пользователя").fill(editor.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()

    page.goto(live_server.url + path, wait_until="networkidle")

    expect(page.locator("h1")).to_contain_text(heading)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = screen["viewport"]["width"]
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
