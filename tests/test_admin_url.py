"""The admin answers at ADMIN_URL, and only there."""

import importlib

import pytest
from django.urls import clear_url_caches, reverse

from newsroom import urls as site_urls

pytestmark = pytest.mark.django_db

ELSEWHERE = "desk-7f3a/"


@pytest.fixture
def admin_elsewhere(settings):
    """The site's URLs rebuilt with the admin at ELSEWHERE, and rebuilt back afterwards."""
    original = settings.ADMIN_URL
    settings.ADMIN_URL = ELSEWHERE
    importlib.reload(site_urls)
    clear_url_caches()
    yield
    settings.ADMIN_URL = original
    importlib.reload(site_urls)
    clear_url_caches()


def test_admin_opens_at_the_configured_path(admin_elsewhere, superuser_client):
    response = superuser_client.get(f"/{ELSEWHERE}")

    assert response.status_code == 200
    assert reverse("admin:index") == f"/{ELSEWHERE}"


def test_anonymous_visitor_is_sent_to_the_login_at_the_configured_path(admin_elsewhere, client):
    response = client.get(f"/{ELSEWHERE}articles/article/")

    assert response.status_code == 302
    assert response["Location"].startswith(f"/{ELSEWHERE}login/?next=")


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/admin/articles/article/"])
def test_stock_admin_path_is_not_found_when_the_admin_is_elsewhere(
    admin_elsewhere, superuser_client, path
):
    assert superuser_client.get(path).status_code == 404


def test_admin_at_the_configured_path_is_never_stored_in_the_page_cache(
    admin_elsewhere, page_cache, client
):
    client.get(f"/{ELSEWHERE}login/")

    assert "X-Page-Cache" not in client.get(f"/{ELSEWHERE}login/")


def test_robots_txt_does_not_give_the_admin_path_away(admin_elsewhere, client):
    assert ELSEWHERE.strip("/") not in client.get("/robots.txt").content.decode()
