import pytest
from playwright.sync_api import expect

from tests.factories import RubricFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture
def rubric(transactional_db):
    return RubricFactory(name="Актуально")


def test_the_body_editor_speaks_russian_and_ctrl_s_saves(live_server, page, author, rubric):
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Имя пользователя").fill(author.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()

    page.goto(live_server.url + "/admin/articles/article/add/")

    expect(page.get_by_role("button", name="Полужирный")).to_be_visible()
    expect(page.get_by_role("button", name="Вставить ссылку")).to_be_attached()
    titles = page.eval_on_selector_all("button[title]", "buttons => buttons.map(b => b.title)")
    assert not [title for title in titles if title.isascii() and title.strip()], titles
    page.get_by_label("Заголовок").fill("Мост через Иню")
    expect(page.locator(".title-hint")).to_contain_text("14 из 70")
    page.get_by_label("Рубрика").select_option(label="Актуально")
    page.keyboard.press("Control+s")

    expect(page.locator(".messagelist")).to_contain_text("Статья «Мост через Иню» добавлена.")
