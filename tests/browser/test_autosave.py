import pytest
from playwright.sync_api import expect

from tests.factories import RubricFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture
def rubric(transactional_db):
    return RubricFactory(name="Актуально")


def test_text_typed_and_left_unsaved_is_offered_back(live_server, page, author, rubric):
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Имя пользователя").fill(author.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    add = live_server.url + "/admin/articles/article/add/"

    page.goto(add)
    page.get_by_label("Заголовок").fill("Паводок в Тогучине")
    body = page.locator("[contenteditable=true]").first
    body.click()
    body.type("Вода поднялась на два метра.")
    page.goto(live_server.url + "/admin/")  # the tab is left without saving
    page.goto(add)

    notice = page.locator(".autosave-notice")
    expect(notice).to_contain_text("несохранённая правка")
    notice.get_by_role("button", name="Вернуть её").click()

    expect(page.get_by_label("Заголовок")).to_have_value("Паводок в Тогучине")
    expect(page.locator("[contenteditable=true]").first).to_contain_text(
        "Вода поднялась на два метра."
    )
    page.get_by_label("Рубрика").select_option(label="Актуально")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Статья «Паводок в Тогучине» добавлена.")

    page.goto(add)
    expect(page.locator(".autosave-notice")).to_have_count(0)
