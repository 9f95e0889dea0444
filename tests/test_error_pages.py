"""Error pages keep the site's design, imprint and age mark, in Russian."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.urls import path, reverse

from editorial import services
from network.models import Site
from newsroom import urls as site_urls
from newsroom import views
from tests.factories import ArticleFactory


def breaks(request):
    raise RuntimeError("a bug")


def suspicious(request):
    raise SuspiciousOperation("a forged request")


# This module is the URLconf of the 400 and 500 tests: the site's own URLs and two that fail.
urlpatterns = [path("breaks/", breaks), path("suspicious/", suspicious), *site_urls.urlpatterns]
handler400 = views.bad_request
handler500 = views.server_error

pytestmark = pytest.mark.django_db


def test_forbidden_page_is_russian_with_the_sites_imprint(client_as, author):
    site = Site.objects.get(is_default=True)

    response = client_as(author).get(reverse("admin:articles_rubric_add"))

    assert response.status_code == 403
    html = response.content.decode()
    assert "Доступ закрыт" in html
    assert "Forbidden" not in html
    assert site.name in html
    assert 'class="site-footer"' in html


def test_server_error_page_keeps_the_sites_design(client, settings):
    settings.ROOT_URLCONF = __name__
    site = Site.objects.get(is_default=True)
    client.raise_request_exception = False

    response = client.get("/breaks/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Ошибка на сервере" in html
    assert site.name in html
    assert 'class="site-footer"' in html


def test_bad_request_page_is_russian_with_the_sites_imprint(client, settings):
    settings.ROOT_URLCONF = __name__
    site = Site.objects.get(is_default=True)

    response = client.get("/suspicious/")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Неверный запрос" in html
    assert "Bad Request" not in html
    assert site.name in html
    assert 'class="site-footer"' in html


# Error answers are kept only briefly, by browsers and proxies


def cache_control(response) -> dict[str, str]:
    directives = (part.strip().partition("=") for part in response["Cache-Control"].split(","))
    return {name: value for name, _, value in directives}


def test_not_found_page_is_kept_only_briefly(client, settings):
    response = client.get("/news/no-such-article/")

    assert response.status_code == 404
    assert int(cache_control(response)["max-age"]) == settings.ERROR_PAGE_MAX_AGE <= 60


def test_removed_article_page_is_kept_only_briefly(client, settings, superuser):
    article = ArticleFactory()
    services.move_to_trash(article=article, user=superuser)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 410
    assert "Материал удалён" in response.content.decode()
    assert int(cache_control(response)["max-age"]) == settings.ERROR_PAGE_MAX_AGE <= 60


def test_not_found_page_seen_with_a_session_is_private(superuser_client):
    response = superuser_client.get("/news/no-such-article/")

    assert "private" in cache_control(response)
    assert "public" not in cache_control(response)


def test_restored_article_is_back_on_the_next_request_with_the_page_cache_on(
    client, page_cache, committed, superuser
):
    article = ArticleFactory()
    with committed():
        services.move_to_trash(article=article, user=superuser)
    assert client.get(article.get_absolute_url()).status_code == 410

    with committed():
        services.restore_from_trash(article=article, user=superuser)

    assert client.get(article.get_absolute_url()).status_code == 200
