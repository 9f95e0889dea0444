"""The desk's acceptance journey in Chromium, at phone and desktop widths: an author writes an
article with a library photo and sends it for review from the add form; the moderator finds it
in the desk's queue, reads it as readers will, returns it with a comment; the author reads the
comment on the desk, fixes the text and sends it again; the moderator approves it. Then an
editor schedules another article for tomorrow and finds it in «Планирование»."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import ArticleFactory, PhotoFactory, RubricFactory

pytestmark = pytest.mark.browser

TITLE = "На Ине открыли новый мост"
FIXED_TITLE = "На Ине открыли новый мост через реку"
COMMENT = "Уточните, кто открыл мост"


@pytest.fixture
def rubric(transactional_db):
    return RubricFactory(name="Актуально")


@pytest.fixture
def photo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return PhotoFactory(title="Мост через Иню", alt="Новый мост через реку Иню")


@pytest.fixture
def planned_draft(transactional_db, rubric, desk_region):
    return ArticleFactory(
        title="Ярмарка в Тогучине",
        rubric=rubric,
        regions=[desk_region],
        status=Article.Status.DRAFT,
        published_at=None,
    )


def queue_item(page, title):
    """The article's line in the desk's review queue."""
    queue = page.locator(".desk-panel", has=page.get_by_role("link", name="На проверке"))
    return queue.locator("li", has=page.get_by_role("link", name=title, exact=True))


def test_an_article_goes_from_its_author_through_review_to_readers(
    live_server, page, sign_in, author, moderator, rubric, photo
):
    sign_in(author)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_label("Заголовок").fill(TITLE)
    body = page.locator("[contenteditable=true]").first
    body.click()
    body.type("Движение по мосту открыто.")
    page.get_by_role("button", name="Фото из библиотеки").click()
    picker = page.locator("dialog.body-media-dialog")
    picker.get_by_role("searchbox").fill("мост")
    picker.get_by_role("button", name="Мост через Иню").click()
    picker.get_by_role("button", name="Вставить").click()
    expect(body.locator("figure.body-media-figure")).to_have_count(1)
    page.get_by_label("Рубрика").select_option(label="Актуально")
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.locator(".messagelist")).to_contain_text(TITLE)

    sign_in(moderator)
    sent = queue_item(page, TITLE)
    with page.expect_popup() as opened:
        sent.get_by_role("link", name="Как увидят читатели").click()
    review = opened.value
    expect(review.locator("h1")).to_have_text(TITLE)
    expect(review.locator(".article__body figure img")).to_have_attribute(
        "alt", "Новый мост через реку Иню"
    )
    expect(review.locator(".preview-banner")).to_contain_text("ещё не публиковалась")
    review.close()
    sent.get_by_label("Комментарий автору").fill(COMMENT)
    sent.get_by_role("button", name="Вернуть").click()
    expect(page.locator(".messagelist")).to_be_visible()

    sign_in(author)
    returned = page.locator(".desk-panel", has=page.get_by_role("link", name="Возвращены мне"))
    expect(returned).to_contain_text(f"«{COMMENT}»")
    returned.get_by_role("link", name=TITLE).click()
    page.get_by_label("Заголовок").fill(FIXED_TITLE)
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.locator(".messagelist")).to_contain_text(FIXED_TITLE)

    sign_in(moderator)
    queue_item(page, FIXED_TITLE).get_by_role("button", name="Одобрить").click()
    expect(page.locator(".messagelist")).to_be_visible()
    article = Article.objects.get()
    assert (article.status, article.title) == (Article.Status.PUBLISHED, FIXED_TITLE)
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("h1")).to_have_text(FIXED_TITLE)


def test_an_editor_schedules_an_article_for_tomorrow_and_finds_it_in_the_calendar(
    live_server, page, sign_in, editor, planned_draft
):
    tomorrow = timezone.localdate() + timedelta(days=1)

    sign_in(editor)
    page.goto(live_server.url + f"/admin/articles/article/{planned_draft.pk}/change/")
    page.get_by_label("Дата публикации").fill(f"{tomorrow:%d.%m.%Y}")
    page.get_by_label("Время публикации").fill("09:30")
    page.get_by_role("button", name="Опубликовать").click()
    expect(page.locator(".messagelist")).to_contain_text("Запланировано: выйдет")

    page.get_by_role("link", name="Планирование").click()
    page.get_by_label("Вид").select_option("week")
    page.get_by_role("button", name="Показать").click()
    if tomorrow.weekday() == 0:
        page.get_by_role("link", name="Неделя позже").click()
    day = page.locator(
        "td.calendar__day", has=page.get_by_role("link", name=str(tomorrow.day), exact=True)
    )
    expect(day.locator(".calendar__article--scheduled")).to_have_text("09:30 Ярмарка в Тогучине")
