import json
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
import time_machine
from django.urls import resolve, reverse
from lxml import etree

from articles.models import Article, Rubric
from regions.models import RegionKind
from syndication.sitemaps import ArticleSitemap
from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    RegionFactory,
    RubricFactory,
    StaffProfileFactory,
    image_file,
)
from tests.pages import meta, page

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NEWS = {**SITEMAP, "news": "http://www.google.com/schemas/sitemap-news/0.9"}
HOSTILE_TITLE = 'Цены "выросли" & </script><script>alert(1)</script>'


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return etree.fromstring(response.content)


def sitemap_locations(client):
    """Every page the sitemap index leads to, following it into each section."""
    index = xml(client, reverse("sitemaps:index"))
    return {
        location
        for section in index.xpath("//s:sitemap/s:loc/text()", namespaces=SITEMAP)
        for location in xml(client, section).xpath("//s:url/s:loc/text()", namespaces=SITEMAP)
    }


def structured_data(document, kind):
    (data,) = [
        data
        for data in map(json.loads, document.xpath('//script[@type="application/ld+json"]/text()'))
        if data["@type"] == kind
    ]
    return data


@pytest.fixture
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def test_sitemap_lists_published_articles_rubrics_regions_and_tags(client, frozen_time):
    rubric = RubricFactory(slug="sport")
    region = RegionFactory(slug="berdsk")
    published = ArticleFactory(rubric=rubric, regions=[region], tags=["хоккей"])
    ArticleFactory(rubric=rubric, status=Article.Status.DRAFT)
    ArticleFactory(rubric=rubric, published_at=NOW + timedelta(hours=1))

    assert sitemap_locations(client) == {
        f"http://testserver{published.get_absolute_url()}",
        "http://testserver/rubric/sport/",
        "http://testserver/region/berdsk/",
        "http://testserver/tag/khokkey/",
    }


def test_sitemap_leaves_out_tags_that_only_unpublished_articles_carry(client, frozen_time):
    ArticleFactory(status=Article.Status.DRAFT, tags=["визит министра"])
    ArticleFactory(published_at=NOW + timedelta(hours=1), tags=["отставка мэра"])
    ArticleFactory(deleted_at=NOW - timedelta(hours=1), tags=["снятый материал"])

    assert not {url for url in sitemap_locations(client) if "/tag/" in url}


def test_sitemap_article_lastmod_is_its_last_update(client, frozen_time):
    article = ArticleFactory(published_at=NOW - timedelta(days=3))
    Article.objects.filter(pk=article.pk).update(updated_at=datetime(2026, 11, 21, 18, tzinfo=UTC))

    section = xml(client, reverse("sitemaps:section", kwargs={"section": "articles"}))

    assert section.xpath("//s:url/s:lastmod/text()", namespaces=SITEMAP) == ["2026-11-22"]


def test_sitemap_rubric_lastmod_follows_its_newest_article(client, frozen_time):
    rubric = RubricFactory()
    Article.objects.filter(pk=ArticleFactory(rubric=rubric).pk).update(updated_at=NOW)
    Rubric.objects.filter(pk=rubric.pk).update(updated_at=NOW - timedelta(days=30))

    section = xml(client, reverse("sitemaps:section", kwargs={"section": "rubrics"}))

    assert section.xpath("//s:url/s:lastmod/text()", namespaces=SITEMAP) == ["2026-11-22"]


def test_sitemap_index_splits_a_long_section_into_pages(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = ArticleFactory.create_batch(3)

    index = xml(client, reverse("sitemaps:index"))
    sections = index.xpath("//s:sitemap/s:loc/text()", namespaces=SITEMAP)

    assert "http://testserver/sitemap-articles.xml?p=2" in sections
    # Every article once, newest first (equal times: the newer id first), across the pages.
    assert [
        location
        for section in sections
        if "articles" in section
        for location in xml(client, section).xpath("//s:url/s:loc/text()", namespaces=SITEMAP)
    ] == [
        f"http://testserver{article.get_absolute_url()}"
        for article in sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
    ]


def test_unknown_sitemap_section_or_page_is_404(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-articles.xml", {"p": "abc"}).status_code == 404


def test_news_sitemap_lists_only_the_last_48_hours(client, frozen_time):
    fresh = ArticleFactory(published_at=NOW - timedelta(hours=47, minutes=59))
    ArticleFactory(published_at=NOW - timedelta(hours=48, minutes=1))
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=NOW + timedelta(hours=1))

    news = xml(client, reverse("sitemaps:news"))

    assert news.xpath("//s:url/s:loc/text()", namespaces=NEWS) == [
        f"http://testserver{fresh.get_absolute_url()}"
    ]


def test_news_sitemap_names_the_publication_language_date_and_title(client, frozen_time):
    ArticleFactory(title="Матч в Бердске", published_at=datetime(2026, 11, 22, 3, 30, tzinfo=UTC))

    (news,) = xml(client, reverse("sitemaps:news")).xpath("//news:news", namespaces=NEWS)

    assert news.findtext("news:publication/news:name", namespaces=NEWS) == (
        "Новости Новосибирской области"
    )
    assert news.findtext("news:publication/news:language", namespaces=NEWS) == "ru"
    assert news.findtext("news:publication_date", namespaces=NEWS) == "2026-11-22T10:30:00+07:00"
    assert news.findtext("news:title", namespaces=NEWS) == "Матч в Бердске"


def test_robots_txt_allows_all_but_search_and_points_to_the_sitemaps(client):
    """The admin is not named: its path may be a secret (ADMIN_URL), and its pages say noindex."""
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Allow: /",
        "Disallow: /search/",
        "",
        "Sitemap: http://testserver/sitemap.xml",
        "Sitemap: http://testserver/sitemap-news.xml",
    ]


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("sitemaps:index", {}, "/sitemap.xml"),
        ("sitemaps:section", {"section": "articles"}, "/sitemap-articles.xml"),
        ("sitemaps:news", {}, "/sitemap-news.xml"),
        ("robots", {}, "/robots.txt"),
    ],
)
def test_seo_url_names_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


def test_article_page_title_is_the_headline_and_the_publication(client):
    article = ArticleFactory(title="Матч в Бердске")

    document = page(client, article.get_absolute_url())

    assert document.findtext(".//title") == "Матч в Бердске — Новости Новосибирской области"


def test_article_page_has_an_absolute_canonical_url_and_a_description(client):
    article = ArticleFactory(lead="Команда выиграла со счётом 3:1.")

    document = page(client, article.get_absolute_url())

    assert document.xpath('//link[@rel="canonical"]/@href') == [
        f"http://testserver{article.get_absolute_url()}"
    ]
    assert meta(document, "description") == "Команда выиграла со счётом 3:1."


def test_article_page_has_opengraph_and_twitter_tags(client):
    article = ArticleFactory(title="Матч в Бердске", lead="Команда выиграла.")

    document = page(client, article.get_absolute_url())

    assert meta(document, "og:type") == "article"
    assert meta(document, "og:title") == "Матч в Бердске"
    assert meta(document, "og:description") == "Команда выиграла."
    assert meta(document, "og:url") == f"http://testserver{article.get_absolute_url()}"
    assert meta(document, "og:site_name") == "Новости Новосибирской области"
    assert meta(document, "twitter:card") == "summary"
    assert meta(document, "og:image") is None


def test_article_cover_is_the_absolute_og_and_twitter_image(client):
    photo = PhotoFactory(file=image_file("field.jpg"), alt="Комбайн в поле")
    article = ArticleFactory(cover=photo)
    image_url = f"http://testserver{photo.file.url}"

    document = page(client, article.get_absolute_url())

    assert meta(document, "og:image") == image_url
    assert meta(document, "og:image:alt") == "Комбайн в поле"
    assert meta(document, "twitter:card") == "summary_large_image"
    assert meta(document, "twitter:image") == image_url


def test_article_json_ld_describes_the_news_article(client):
    rubric = RubricFactory(name="Спорт")
    with time_machine.travel(NOW, tick=False):
        article = ArticleFactory(
            title="Матч в Бердске",
            rubric=rubric,
            published_at=datetime(2026, 11, 22, 3, 30, tzinfo=UTC),
            cover=PhotoFactory(file=image_file("match.jpg")),
        )

    data = structured_data(page(client, article.get_absolute_url()), "NewsArticle")

    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "Матч в Бердске"
    assert data["datePublished"] == "2026-11-22T10:30:00+07:00"
    assert data["dateModified"] == "2026-11-22T19:00:00+07:00"
    assert data["image"] == [f"http://testserver{article.cover.file.url}"]
    assert data["mainEntityOfPage"]["@id"] == f"http://testserver{article.get_absolute_url()}"
    assert data["publisher"]["name"] == "Новости Новосибирской области"
    assert data["articleSection"] == "Спорт"


def test_article_json_ld_authors_are_the_byline_in_order(client):
    article = ArticleFactory(
        authors=[
            StaffProfileFactory(public_name="Ирина Петрова"),
            StaffProfileFactory(public_name="Олег Смирнов"),
        ]
    )

    data = structured_data(page(client, article.get_absolute_url()), "NewsArticle")

    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Ирина Петрова",
            "url": "http://testserver/author/irina-petrova/",
        },
        {
            "@type": "Person",
            "name": "Олег Смирнов",
            "url": "http://testserver/author/oleg-smirnov/",
        },
    ]


def test_article_json_ld_author_without_byline_is_the_newsroom(client):
    article = ArticleFactory()

    data = structured_data(page(client, article.get_absolute_url()), "NewsArticle")

    assert data["author"]["@type"] == "Organization"
    assert data["author"]["name"] == "Редакция"


def test_hostile_title_stays_inside_json_ld_and_meta_tags(client):
    article = ArticleFactory(
        title=HOSTILE_TITLE, lead=HOSTILE_TITLE, cover=PhotoFactory(alt=HOSTILE_TITLE)
    )

    response = client.get(article.get_absolute_url())
    document = lxml.html.fromstring(response.content)

    assert "<script>alert(1)" not in response.content.decode()
    assert {script.get("type") for script in document.iter("script")} == {"application/ld+json"}
    assert structured_data(document, "NewsArticle")["headline"] == HOSTILE_TITLE
    assert meta(document, "og:title") == HOSTILE_TITLE
    assert meta(document, "twitter:title") == HOSTILE_TITLE
    assert meta(document, "description") == article.excerpt


def breadcrumbs(document):
    return [
        (item.text_content(), next(iter(item.xpath("a/@href")), None))
        for item in document.xpath('//nav[@class="breadcrumbs"]//li')
    ]


def test_article_breadcrumbs_lead_from_home_through_the_rubric(client):
    article = ArticleFactory(title="Матч в Бердске", rubric=RubricFactory(name="Спорт"))

    document = page(client, article.get_absolute_url())

    assert breadcrumbs(document) == [
        ("Главная", "/"),
        ("Спорт", "/rubric/sport/"),
        ("Матч в Бердске", None),
    ]
    trail = structured_data(document, "BreadcrumbList")["itemListElement"]
    assert [crumb["name"] for crumb in trail] == ["Главная", "Спорт", "Матч в Бердске"]


def test_region_breadcrumbs_lead_down_the_region_tree(client):
    oblast = RegionFactory(name="Новосибирская область", kind=RegionKind.OBLAST)
    district = RegionFactory(name="Здвинский район", parent=oblast)
    village = RegionFactory(name="Здвинск", kind=RegionKind.SETTLEMENT, parent=district)

    document = page(client, village.get_absolute_url())

    assert breadcrumbs(document) == [
        ("Главная", "/"),
        ("Новосибирская область", oblast.get_absolute_url()),
        ("Здвинский район", district.get_absolute_url()),
        ("Здвинск", None),
    ]


@pytest.mark.parametrize("kind", ["rubric", "tag", "author"])
def test_list_page_breadcrumbs_lead_from_home(client, kind):
    author = StaffProfileFactory(public_name="Анна Кузнецова")
    article = ArticleFactory(rubric=RubricFactory(name="Спорт"), tags=["хоккей"], authors=[author])
    subject = {"rubric": article.rubric, "tag": article.tags.get(), "author": author}[kind]

    assert breadcrumbs(page(client, subject.get_absolute_url())) == [
        ("Главная", "/"),
        (str(subject), None),
    ]


def test_list_page_canonical_url_keeps_only_the_page_number(client):
    rubric = RubricFactory(slug="sport")
    ArticleFactory.create_batch(21, rubric=rubric)

    first = page(client, "/rubric/sport/?utm_source=vk")
    second = page(client, "/rubric/sport/?page=2&utm_source=vk")

    assert first.xpath('//link[@rel="canonical"]/@href') == ["http://testserver/rubric/sport/"]
    assert second.xpath('//link[@rel="canonical"]/@href') == [
        "http://testserver/rubric/sport/?page=2"
    ]
