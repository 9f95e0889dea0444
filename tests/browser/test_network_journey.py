import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from network.models import Site

pytestmark = pytest.mark.browser

BELARUS = "Регион активно развивает сотрудничество с предприятиями Республики Беларусь"


@pytest.fixture
def demo_network(transactional_db, settings, tmp_path):
    """The demo network as `make run` seeds it (Chromium resolves *.localhost to this machine,
    where the live server listens)."""
    settings.BASE_DIR = tmp_path
    call_command("seed_demo", "--count", "5", stdout=StringIO())


def address(live_server, domain: str, path: str = "/") -> str:
    return f"http://{domain}:{live_server.thread.port}{path}"


def test_reader_of_a_district_site_follows_oblast_news_to_the_oblast_site(
    live_server, page, demo_network
):
    oblast_site = Site.objects.get(is_default=True)

    page.goto(address(live_server, "toguchin.localhost"))
    expect(page).to_have_title("Тогучинские вести")
    page.locator("main").get_by_role("link", name=BELARUS).first.click()

    expect(page.locator("h1")).to_have_text(BELARUS)
    expect(page.locator(".article__topline .rubric-label")).to_have_text("Новости региона")
    expect(page.locator(".site-footer")).to_contain_text("Тогучинские вести")
    expect(page.locator(".imprint")).to_contain_text("Сидоренко Е. В.")
    origin = page.locator(".article__origin")
    expect(origin).to_have_text(f"Материал сайта {oblast_site.name}")

    origin.get_by_role("link", name=oblast_site.name).click()

    expect(page).to_have_url(
        re.compile(rf"^http://{re.escape(oblast_site.domain)}:{live_server.thread.port}/news/")
    )
    expect(page.locator("h1")).to_have_text(BELARUS)
    expect(page.locator(".article__topline .rubric-label")).to_have_text("Экономика")
    expect(page.locator(".article__origin")).to_have_count(0)
    expect(page.locator(".imprint")).to_contain_text(oblast_site.editor_in_chief)
