import pytest
from django.test import Client

from articles.models import Article
from tests.admin_forms import article_form_data, change_url
from tests.factories import ArticleFactory, UserFactory, save_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(
        title="Исходный заголовок", status=Article.Status.DRAFT, published_at=None
    )


def editor_session(username):
    client = Client()
    client.force_login(UserFactory(username=username, is_staff=True, is_superuser=True))
    return client


def open_and_edit(client, article, **changes):
    """Open the change form, then post it back with changes, as an editor's browser does."""
    url = change_url(article)
    version = client.get(url).context["adminform"].form["base_version"].value()
    data = article_form_data(article.rubric, slug=article.slug, base_version=version, **changes)
    return url, data


def test_change_form_carries_the_version_the_editor_started_from(article):
    client = editor_session("anna")

    _, data = open_and_edit(client, article)

    assert data["base_version"] == article.version


def test_saving_an_article_raises_its_version(article):
    client = editor_session("anna")
    url, data = open_and_edit(client, article, title="Новый заголовок")

    assert client.post(url, data).status_code == 302

    article.refresh_from_db()
    assert article.version == 2
    assert article.title == "Новый заголовок"


def test_second_editor_cannot_overwrite_the_first_editors_save(article):
    anna, boris = editor_session("anna"), editor_session("boris")
    anna_url, anna_data = open_and_edit(anna, article, title="Заголовок Анны")
    boris_url, boris_data = open_and_edit(boris, article, title="Заголовок Бориса")

    assert anna.post(anna_url, anna_data).status_code == 302
    response = boris.post(boris_url, boris_data)

    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "Заголовок Анны"
    page = response.content.decode()
    assert "Пока вы редактировали, статью сохранил anna" in page
    assert 'value="Заголовок Бориса"' in page
    assert f'href="{anna_url}"' in page


def test_editor_can_save_after_reopening_the_newer_version(article):
    anna, boris = editor_session("anna"), editor_session("boris")
    anna_url, anna_data = open_and_edit(anna, article, title="Заголовок Анны")
    anna.post(anna_url, anna_data)

    url, data = open_and_edit(boris, article, title="Заголовок Бориса")

    assert boris.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.title == "Заголовок Бориса"
    assert article.version == 3


def test_a_save_from_an_import_also_counts_as_a_newer_version(article):
    client = editor_session("anna")
    url, data = open_and_edit(client, article, title="Заголовок редактора")
    save_changes(article, lead="Лид из импорта")

    assert client.post(url, data).status_code == 200
    article.refresh_from_db()
    assert article.lead == "Лид из импорта"
