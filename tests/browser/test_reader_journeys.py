import pytest
from playwright.sync_api import expect

from regions.models import RegionKind
from tests.factories import ArticleFactory, RegionFactory, RubricFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def published_news(transactional_db):
    oblast = RegionFactory(name="Новосибирская область", kind=RegionKind.OBLAST)
    district = RegionFactory(name="Здвинский район", parent=oblast)
    rubric = RubricFactory(name="Сельское хозяйство")
    ArticleFactory(title="Соседняя новость области", regions=[oblast], rubric=rubric)
    return ArticleFactory(
        title="В Здвинском районе завершили уборку урожая",
        lead="Аграрии собрали больше зерна, чем в прошлом году.",
        rubric=rubric,
        regions=[district],
        is_featured=True,
    )


def test_reader_follows_the_lead_story_and_then_its_region(live_server, page, published_news):
    page.goto(live_server.url)
    page.get_by_role("link", name="В Здвинском районе завершили уборку урожая").first.click()

    expect(page.locator("h1")).to_have_text("В Здвинском районе завершили уборку урожая")
    expect(page.locator(".article__lead")).to_contain_text("Аграрии собрали больше зерна")

    page.locator(".article__footer").get_by_role("link", name="Здвинский район").click()

    expect(page.locator("h1")).to_have_text("Здвинский район")
    expect(page.locator("main")).to_contain_text("В Здвинском районе завершили уборку урожая")


def test_reader_sees_the_recent_news_feed_beside_the_article(live_server, page, published_news):
    page.goto(live_server.url + published_news.get_absolute_url())

    feed = page.locator(".recent-news")
    expect(feed).to_contain_text("Последние новости")
    expect(feed.get_by_role("link", name="Соседняя новость области")).to_be_visible()


def test_reader_searches_in_another_word_form_and_opens_the_result(
    live_server, page, published_news
):
    ArticleFactory(title="Делегация Беларуси посетила Новосибирск")

    page.goto(live_server.url)
    page.get_by_role("searchbox").first.fill("Беларусь")
    page.get_by_role("searchbox").first.press("Enter")

    result = page.get_by_role("link", name="Делегация Беларуси посетила Новосибирск").first
    expect(page.locator("main mark").first).to_have_text("Беларуси")
    result.click()
    expect(page.locator("h1")).to_have_text("Делегация Беларуси посетила Новосибирск")


def test_reader_passes_the_adult_gate_once_per_session(live_server, page, transactional_db):
    adult = ArticleFactory(title="Полиция изъяла партию наркотиков", age_mark="18+")
    other = ArticleFactory(title="Ещё один материал для взрослых", age_mark="18+")

    page.goto(live_server.url + adult.get_absolute_url())
    gate = page.get_by_role("dialog")
    expect(gate).to_contain_text("Материал предназначен для лиц старше 18 лет")
    gate.get_by_role("button", name="Мне есть 18 лет").click()

    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.locator("h1")).to_have_text("Полиция изъяла партию наркотиков")
    page.goto(live_server.url + other.get_absolute_url())
    expect(page.get_by_role("dialog")).to_have_count(0)
