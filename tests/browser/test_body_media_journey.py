import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import PhotoFactory, RubricFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def rubric(transactional_db):
    return RubricFactory(name="Актуально")


@pytest.fixture
def photo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    PhotoFactory(title="Комбайн на поле под Тогучином")
    return PhotoFactory(
        title="Мост через Иню",
        alt="Новый мост через реку Иню",
        caption="Мост открыли в субботу",
        credit="Иван Петров",
    )


def test_editor_puts_a_library_photo_into_the_body_and_readers_see_it(
    live_server, page, sign_in, editor_without_desk, rubric, photo
):
    sign_in(editor_without_desk)

    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_label("Заголовок").fill("На Ине открыли новый мост")
    editor_area = page.locator("[contenteditable=true]").first
    editor_area.click()
    editor_area.type("Движение по мосту открыто.")
    page.get_by_role("button", name="Фото из библиотеки").click()
    picker = page.locator("dialog.body-media-dialog")
    picker.get_by_role("searchbox").fill("мост")
    picker.get_by_role("button", name="Мост через Иню").click()
    expect(picker.get_by_label("Подпись")).to_have_value("Мост открыли в субботу")
    picker.get_by_label("Подпись").fill("Мост открыли в субботу утром")
    picker.get_by_role("button", name="Вставить").click()
    expect(editor_area.locator("figure.body-media-figure")).to_contain_text("Фото: Иван Петров")
    page.get_by_label("Рубрика").select_option(label="Актуально")
    page.get_by_role("button", name="Опубликовать").click()

    expect(page.locator(".messagelist")).to_contain_text("На Ине открыли новый мост")
    article = Article.objects.get()
    assert article.body == (
        f'<p>Движение по мосту открыто.</p><figure data-image="{photo.pk}">'
        "<figcaption>Мост открыли в субботу утром</figcaption></figure>"
    )

    page.goto(live_server.url + article.get_absolute_url())
    shown = page.locator(".article__body figure.body-figure")
    expect(shown.locator("img")).to_have_attribute("alt", "Новый мост через реку Иню")
    expect(shown.locator("figcaption")).to_have_text(
        "Мост открыли в субботу утром Фото: Иван Петров"
    )
