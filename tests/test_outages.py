"""A database that does not answer: readers get a Russian 503 that needs no database."""

import pytest
from django.db import OperationalError
from django.urls import path

from network.models import Site
from newsroom import urls as site_urls
from newsroom import views


def database_gone(request):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def breaks(request):
    raise RuntimeError("a bug")


# This module is the URLconf of its tests: the site's own URLs and two that fail.
urlpatterns = [path("gone/", database_gone), path("breaks/", breaks), *site_urls.urlpatterns]
handler500 = views.server_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    return client


def test_a_database_that_does_not_answer_gives_a_russian_503_with_the_sites_imprint(failing):
    site = Site.objects.get(is_default=True)

    response = failing.get("/gone/")

    assert response.status_code == 503
    html = response.content.decode()
    assert "Сайт временно недоступен" in html
    assert site.name in html
    assert site.age_mark in html
    assert site.founder in html
    assert 'class="site-footer"' in html


def test_the_outage_answer_asks_to_retry_soon_and_is_kept_by_no_cache(failing):
    response = failing.get("/gone/")

    assert int(response["Retry-After"]) <= 10
    assert response["Cache-Control"] == "no-store"


def test_the_outage_page_needs_no_database(failing, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = failing.get("/gone/")

    assert response.status_code == 503


def test_other_errors_are_still_500s(failing):
    assert failing.get("/breaks/").status_code == 500
