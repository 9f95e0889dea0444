"""Error pages keep the site's design, imprint and age mark, in Russian."""

import pytest
from django.urls import path, reverse

from network.models import Site
from newsroom import urls as site_urls
from newsroom import views


def breaks(request):
    raise RuntimeError("a bug")


# This module is the URLconf of the 500 test: the site's own URLs and one that fails.
urlpatterns = [path("breaks/", breaks), *site_urls.urlpatterns]
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
