import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import RubricFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture
def rubric(transactional_db):
    return RubricFactory(name="Актуально")


def test_editor_writes_and_publishes_an_article_that_readers_then_see(
    live_server, page, editor_without_desk, rubric
):
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Имя пользователя").fill(editor_without_desk.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()

    page.goto(live_server.url + "/admin/articles/article/add/")
    title = page.get_by_label("Заголовок")
    title.press_sequentially("Губернатор открыл новую школу в Бердске")
    title.press("Tab")
    expect(page.locator("#id_slug")).to_have_value("gubernator-otkryl-novuyu-shkolu-v-berdske")
    editor_area = page.locator("[contenteditable=true]").first
    editor_area.click()
    editor_area.type("В школе будут учиться 1100 детей.")
    page.get_by_label("Рубрика").select_option(label="Актуально")
    page.get_by_role("button", name="Опубликовать").click()

    expect(page.locator(".messagelist")).to_contain_text("Губернатор открыл новую школу")
    article = Article.objects.get()
    assert article.body == "<p>В школе будут учиться 1100 детей.</p>"

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Губернатор открыл новую школу в Бердске").first.click()
    expect(page.locator(".article__body")).to_contain_text("В школе будут учиться 1100 детей.")
