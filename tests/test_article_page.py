from datetime import UTC, datetime

import pytest
from django.urls import reverse

from articles.models import AgeMark
from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    RegionFactory,
    RubricFactory,
    StaffProfileFactory,
    save_changes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(
        title="Новосибирская область и Республика Беларусь обсудили совместные проекты",
        lead="Стороны договорились о поставках техники.",
        body="<p>Переговоры прошли в Минске.</p>",
        rubric=RubricFactory(name="Актуально"),
        age_mark=AgeMark.TWELVE,
        source_name="Сайт Правительства НСО.",
        source_url="https://nso.example.ru/news/1",
        regions=[RegionFactory(name="Тогучинский район")],
        tags=["Беларусь", "экономика"],
        authors=[
            StaffProfileFactory(public_name="Ирина Петрова"),
            StaffProfileFactory(public_name="Олег Смирнов"),
        ],
    )


def test_article_page_shows_every_part_of_the_article(client, article):
    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    for expected in (
        "Актуально",
        "Новосибирская область и Республика Беларусь обсудили совместные проекты",
        "Стороны договорились о поставках техники.",
        "<p>Переговоры прошли в Минске.</p>",
        "Сайт Правительства НСО.",
        'href="https://nso.example.ru/news/1"',
        "12+",
        'href="/region/toguchinskiy-rayon/"',
        "#Беларусь",
        "#экономика",
    ):
        assert expected in page


def test_article_url_is_transliterated_from_the_russian_title(article):
    assert article.get_absolute_url() == (
        "/news/novosibirskaya-oblast-i-respublika-belarus-obsudili-sovmestnye-proekty/"
    )


def test_byline_lists_authors_in_order_with_links(client, article):
    page = client.get(article.get_absolute_url()).content.decode()

    first, second = page.index("Ирина Петрова"), page.index("Олег Смирнов")
    assert first < second
    assert 'href="/author/irina-petrova/"' in page


def test_article_without_authors_is_signed_by_the_newsroom(client):
    article = ArticleFactory()

    page = client.get(article.get_absolute_url()).content.decode()

    assert 'class="article__byline"' in page
    assert "Редакция" in page.split('class="article__byline"')[1]


def test_article_age_mark_defaults_to_its_rubric_mark():
    article = ArticleFactory(rubric=RubricFactory(default_age_mark=AgeMark.SIXTEEN))

    assert article.age_mark == "16+"


def test_cover_photo_is_shown_with_caption_and_credit(client):
    photo = PhotoFactory(
        alt="Комбайн в поле",
        caption="Уборка урожая в Здвинском районе",
        credit="Фото: пресс-служба",
    )
    article = ArticleFactory(cover=photo)

    page = client.get(article.get_absolute_url()).content.decode()

    assert f'src="{photo.file.url}"' in page
    assert 'alt="Комбайн в поле"' in page
    assert "Уборка урожая в Здвинском районе" in page
    assert "Фото: пресс-служба" in page


def test_article_page_shows_publication_date_in_site_time_zone(client):
    article = ArticleFactory(published_at=datetime(2026, 1, 19, 3, 30, tzinfo=UTC))

    page = client.get(article.get_absolute_url()).content.decode()

    assert "19 января 2026, 10:30" in page


@pytest.mark.parametrize("extra", [1, 8])
def test_article_page_query_count_does_not_grow_with_tags_regions_and_authors(
    client, django_assert_num_queries, extra
):
    ArticleFactory.create_batch(12)
    article = ArticleFactory(
        regions=RegionFactory.create_batch(extra),
        tags=[f"тег {n}" for n in range(extra)],
        authors=StaffProfileFactory.create_batch(extra),
    )

    # The article with its regions, tags and bylines; the rubric menu; the recent news.
    with django_assert_num_queries(3):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    for name in [*article.regions.values_list("name", flat=True), *article.tags.names()]:
        assert name in response.text


def test_unknown_article_is_404(client):
    assert (
        client.get(reverse("articles:detail", kwargs={"slug": "no-such-news"})).status_code == 404
    )


def test_published_article_keeps_its_address_when_the_title_changes():
    article = ArticleFactory(title="Первый заголовок")
    address = article.get_absolute_url()

    save_changes(article, title="Совсем другой заголовок")

    assert article.get_absolute_url() == address
