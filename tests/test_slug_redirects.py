"""A published article's old addresses keep working with a 301 to the current one."""

import pytest

from articles.models import Article
from tests.admin_forms import change_url
from tests.factories import ArticleFactory, save_changes

pytestmark = pytest.mark.django_db


def rename(article, slug):
    return save_changes(Article.objects.get(pk=article.pk), slug=slug)


def test_published_article_slug_can_be_changed_in_the_admin(client_as, superuser):
    article = ArticleFactory()

    page = client_as(superuser).get(change_url(article)).text

    assert 'name="slug"' in page


def test_old_address_redirects_permanently_to_the_new_one(client):
    article = rename(ArticleFactory(slug="staryy-adres"), "novyy-adres")

    response = client.get("/news/staryy-adres/")

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_changing_the_slug_back_makes_no_redirect_loop(client):
    article = ArticleFactory(slug="pervyy")
    rename(article, "vtoroy")
    rename(article, "pervyy")

    assert client.get("/news/pervyy/").status_code == 200
    second = client.get("/news/vtoroy/")
    assert (second.status_code, second["Location"]) == (301, "/news/pervyy/")


def test_every_old_address_redirects_straight_to_the_current_one(client):
    article = ArticleFactory(slug="odin")
    rename(article, "dva")
    rename(article, "tri")

    assert client.get("/news/odin/")["Location"] == "/news/tri/"
    assert client.get("/news/dva/")["Location"] == "/news/tri/"


def test_renaming_a_draft_leaves_no_redirect(client):
    article = ArticleFactory(slug="chernovik", status=Article.Status.DRAFT, published_at=None)
    rename(article, "chernovik-2")

    assert client.get("/news/chernovik/").status_code == 404


def test_a_new_article_does_not_take_an_address_that_still_redirects():
    rename(ArticleFactory(title="Мост открыт"), "most-otkryt-segodnya")

    newcomer = ArticleFactory(title="Мост открыт")

    assert newcomer.slug == "most-otkryt-2"


def test_old_address_of_an_unpublished_article_is_not_found(client):
    article = rename(ArticleFactory(slug="byl"), "stal")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.UNPUBLISHED)

    assert client.get("/news/byl/").status_code == 404
