import pytest

from tests.factories import ArticleFactory
from tests.pages import main_column

pytestmark = pytest.mark.django_db

GATE_TEXT = "Материал предназначен для лиц старше 18 лет"


@pytest.fixture
def adult_article():
    return ArticleFactory(age_mark="18+", body="<p>Подробности задержания.</p>")


def test_adult_article_first_asks_for_confirmation(client, adult_article):
    page = client.get(adult_article.get_absolute_url()).content.decode()

    assert GATE_TEXT in page


def test_adult_article_text_is_still_in_the_page_for_search_engines(client, adult_article):
    page = main_column(client.get(adult_article.get_absolute_url()))

    assert "Подробности задержания." in page


def test_confirmation_is_remembered_for_the_session(client, adult_article):
    response = client.post("/age-confirm/", {"next": adult_article.get_absolute_url()})

    assert response.status_code == 302
    assert response["Location"] == adult_article.get_absolute_url()
    assert GATE_TEXT not in client.get(adult_article.get_absolute_url()).content.decode()


def test_confirmation_never_redirects_to_another_site(client):
    response = client.post("/age-confirm/", {"next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_confirmation_needs_a_post(client):
    assert client.get("/age-confirm/").status_code == 405


def test_other_articles_have_no_gate(client):
    article = ArticleFactory(age_mark="16+")

    assert GATE_TEXT not in client.get(article.get_absolute_url()).content.decode()
