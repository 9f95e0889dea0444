"""The Content-Security-Policy in a real browser: Metrika's counter still starts, and a script
that an attacker slipped into a page does not run. (Every other browser test also fails on any
refusal of the policy: tests/browser/conftest.py.)"""

import pytest
from playwright.sync_api import expect

from network.models import Site
from network.services import save_site
from tests.factories import ArticleFactory

pytestmark = pytest.mark.browser

COUNTER_TAG = "https://mc.yandex.ru/metrika/tag.js"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def counted_site(transactional_db):
    site = Site.objects.get(is_default=True)
    site.metrika_counter = "98765432"
    return save_site(site=site)


def test_the_metrika_counter_starts_from_its_file_and_loads_yandexs_tag(
    live_server, page, counted_site
):
    # Yandex's tag is answered here: the test needs no network, and only the policy could stop it.
    page.route(
        COUNTER_TAG,
        lambda route: route.fulfill(
            body="window.metrikaTagRan = true;", content_type="application/javascript"
        ),
    )

    page.goto(live_server.url)
    page.wait_for_function("window.metrikaTagRan === true")

    queued = page.evaluate("Array.from(window.ym.a[0])")
    assert queued[:2] == [98765432, "init"]


def test_a_script_slipped_into_a_page_does_not_run(
    live_server, page, csp_violations, transactional_db
):
    article = ArticleFactory(title="Новость с чужим скриптом")
    page.goto(live_server.url + article.get_absolute_url())

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
        }"""
    )

    assert page.evaluate("window.injected") is None
    assert any("script-src" in violation for violation in csp_violations)
    csp_violations.clear()


def test_a_rubric_added_in_the_admins_popup_is_chosen_in_the_article_form(
    live_server, page, superuser
):
    """Django's popup answer runs from a file that reads a data attribute, which the policy
    allows, and hands the new rubric to the form that opened it."""
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Имя пользователя").fill(superuser.username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.goto(live_server.url + "/admin/articles/article/add/")

    with page.expect_popup() as opened:
        page.locator("#add_id_rubric").click()
    popup = opened.value
    popup.wait_for_load_state()
    popup.get_by_label("Название").fill("Происшествия")
    popup.get_by_role("button", name="Сохранить", exact=True).click()
    popup.wait_for_event("close")

    expect(page.locator("#id_rubric option:checked")).to_have_text("Происшествия")
