"""The Open Graph tags of templates/includes/head_meta.html, as the home page renders them."""

import pytest

from tests.factories import ArticleFactory
from tests.pages import meta, page

pytestmark = pytest.mark.django_db


def test_home_page_has_website_opengraph_tags_and_no_twitter_card(client):
    ArticleFactory()

    document = page(client, "/")

    assert meta(document, "og:type") == "website"
    assert meta(document, "og:site_name") == "Новости Новосибирской области"
    assert meta(document, "og:locale") == "ru_RU"
    assert meta(document, "og:title") == "Новости Новосибирской области"
    assert meta(document, "og:url") == "http://testserver/"
    assert meta(document, "og:description") is None
    assert meta(document, "twitter:card") is None
    assert meta(document, "og:image") is None
