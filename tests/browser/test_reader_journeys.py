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
