"""What an author types in a title, a byline name or a photo description stays text everywhere.

Each test renders one place with the payload in all three fields, parses the HTML as a browser
would, and checks both halves: nothing the author typed became a script or an attribute, and the
typed text is there, intact, where it should be (so a test cannot pass because the text vanished).
"""

import json

import pytest
from django.urls import reverse
from lxml import etree, html

from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    RubricFactory,
    StaffProfileFactory,
    image_file,
)

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '"><script>alert(1)</script>',
    "</script><script>alert(1)</script>",
    "' onmouseover='alert(1)",
]
INJECTED_CODE = "alert(1)"
DUBLIN_CORE_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"


@pytest.fixture(params=PAYLOADS, ids=["attribute-breakout", "script-breakout", "event-handler"])
def payload(request):
    return request.param


@pytest.fixture
def title(payload):
    return f"Паводок {payload}"


@pytest.fixture
def author_name(payload):
    return f"Иван {payload}"


@pytest.fixture
def cover_alt(payload):
    return f"Мост {payload}"


@pytest.fixture
def lead(payload):
    return f"Вода поднялась {payload}"


@pytest.fixture
def byline_author(author_name):
    """The staff profile the byline names: its public name carries the payload."""
    return StaffProfileFactory(public_name=author_name)


@pytest.fixture
def article(title, lead, cover_alt, byline_author):
    return ArticleFactory(
        title=title,
        lead=lead,
        cover=PhotoFactory(file=image_file("bridge.jpg"), title=cover_alt, alt=cover_alt),
        rubric=RubricFactory(name="Происшествия", slug="incidents"),
        authors=[byline_author],
    )


def parse(response):
    assert response.status_code == 200
    return html.document_fromstring(response.content.decode())


def assert_nothing_injected(document):
    """No element carries an event handler and no script runs the payload's code.

    JSON-LD may hold the payload as data, but only if the script still parses as JSON: a
    `</script>` that closed it early would leave a broken remainder and a new script element.
    """
    for element in document.iter(etree.Element):
        handlers = [name for name in element.attrib if name.lower().startswith("on")]
        assert not handlers, f"<{element.tag}> got {handlers}"
    for script in document.iter("script"):
        if script.get("type") == "application/ld+json":
            json.loads(script.text)
        else:
            assert INJECTED_CODE not in (script.text or "")


def texts(document, xpath):
    return [" ".join(element.text_content().split()) for element in document.xpath(xpath)]


def meta_content(document, key):
    return [
        element.get("content")
        for element in document.xpath(f'//meta[@property="{key}" or @name="{key}"]')
    ]


def json_ld(document, schema_type):
    for script in document.xpath('//script[@type="application/ld+json"]'):
        data = json.loads(script.text)
        if data["@type"] == schema_type:
            return data
    raise AssertionError(f"no {schema_type} JSON-LD")


def test_article_page_shows_the_payload_as_text_only(client, article):
    document = parse(client.get(article.get_absolute_url()))

    assert_nothing_injected(document)


def test_article_page_heading_title_and_breadcrumb_keep_the_title_as_text(client, article, title):
    document = parse(client.get(article.get_absolute_url()))

    assert texts(document, "//h1") == [title]
    assert document.findtext(".//title").startswith(f"{title} — ")
    assert texts(document, '//*[@aria-current="page"]') == [title]


def test_article_page_social_tags_keep_the_title_and_alt_as_text(client, article, title, cover_alt):
    document = parse(client.get(article.get_absolute_url()))

    assert meta_content(document, "description") == [article.excerpt]
    assert meta_content(document, "og:description") == [article.excerpt]
    assert meta_content(document, "og:title") == [title]
    assert meta_content(document, "twitter:title") == [title]
    assert meta_content(document, "og:image:alt") == [cover_alt]
    assert meta_content(document, "twitter:image:alt") == [cover_alt]


def test_article_page_cover_and_byline_keep_alt_and_name_as_text(
    client, article, cover_alt, author_name
):
    document = parse(client.get(article.get_absolute_url()))

    assert [img.get("alt") for img in document.xpath("//figure//img")] == [cover_alt]
    assert texts(document, '//*[contains(@class, "article__byline")]/a') == [author_name]


def test_article_json_ld_holds_the_title_and_name_as_data(client, article, title, author_name):
    document = parse(client.get(article.get_absolute_url()))

    news_article = json_ld(document, "NewsArticle")
    assert news_article["headline"] == title
    assert [person["name"] for person in news_article["author"]] == [author_name]
    breadcrumb_names = [
        item["name"] for item in json_ld(document, "BreadcrumbList")["itemListElement"]
    ]
    assert breadcrumb_names[-1] == title


def test_article_json_ld_never_contains_a_raw_closing_tag(client, article):
    page = client.get(article.get_absolute_url()).content.decode()

    scripts = page.split('<script type="application/ld+json">')[1:]
    assert scripts
    for script in scripts:
        assert "<" not in script.split("</script>", 1)[0]


def test_home_card_keeps_the_title_and_alt_as_text(client, article, title, cover_alt):
    document = parse(client.get(reverse("articles:home")))

    assert_nothing_injected(document)
    assert texts(document, '//*[contains(@class, "card__title")]') == [title]
    assert [img.get("alt") for img in document.xpath('//img[@class="card__image"]')] == [cover_alt]


def test_rubric_page_card_keeps_the_title_and_alt_as_text(client, article, title, cover_alt):
    document = parse(client.get(article.rubric.get_absolute_url()))

    assert_nothing_injected(document)
    assert texts(document, '//*[contains(@class, "card__title")]') == [title]
    assert [img.get("alt") for img in document.xpath('//img[@class="card__image"]')] == [cover_alt]


def test_recent_news_column_keeps_the_title_as_text(client, article, title):
    other = ArticleFactory()

    document = parse(client.get(other.get_absolute_url()))

    assert_nothing_injected(document)
    assert texts(document, '//a[@class="recent-news__link"]') == [title]


def test_search_result_highlights_the_match_and_keeps_the_rest_as_text(client, article, title):
    document = parse(client.get(reverse("articles:search"), {"q": "паводок"}))

    assert_nothing_injected(document)
    assert texts(document, '//*[contains(@class, "card__title")]') == [title]
    assert texts(document, '//*[contains(@class, "card__title")]//mark') == ["Паводок"]


def test_search_for_the_payload_itself_keeps_it_as_text(client, article, payload):
    document = parse(client.get(reverse("articles:search"), {"q": payload}))

    assert_nothing_injected(document)
    assert payload in document.findtext(".//title")


def test_author_page_keeps_the_name_and_title_as_text(
    client, article, byline_author, author_name, title
):
    document = parse(client.get(byline_author.get_absolute_url()))

    assert_nothing_injected(document)
    assert texts(document, "//h1") == [author_name]
    assert document.findtext(".//title").startswith(f"{author_name} — ")
    assert texts(document, '//*[contains(@class, "card__title")]') == [title]
    breadcrumb_names = [
        item["name"] for item in json_ld(document, "BreadcrumbList")["itemListElement"]
    ]
    assert breadcrumb_names[-1] == author_name


@pytest.mark.parametrize("feed", ["feeds:site", "feeds:yandex", "feeds:dzen"])
def test_feed_is_well_formed_xml_with_the_title_and_name_as_text(
    client, article, title, author_name, feed
):
    response = client.get(reverse(feed))

    channel = etree.fromstring(response.content).find("channel")
    item = channel.find("item")
    assert item.findtext("title") == title
    byline = item.findtext("author") or item.findtext(DUBLIN_CORE_CREATOR)
    assert byline == author_name


def test_news_sitemap_is_well_formed_xml_with_the_title_as_text(client, article, title):
    response = client.get(reverse("sitemaps:news"))

    titles = etree.fromstring(response.content).xpath(
        "//news:title/text()", namespaces={"news": "http://www.google.com/schemas/sitemap-news/0.9"}
    )
    assert titles == [title]


def test_admin_preview_keeps_title_alt_and_name_as_text(
    admin_client, article, title, cover_alt, author_name
):
    url = reverse("admin:articles_article_preview", args=[article.pk])
    document = parse(admin_client.get(url))

    assert_nothing_injected(document)
    assert texts(document, "//h1") == [title]
    assert meta_content(document, "og:image:alt") == [cover_alt]
    assert texts(document, '//*[contains(@class, "article__byline")]/a') == [author_name]


def test_admin_preview_link_page_keeps_the_title_as_text(admin_client, article, title):
    url = reverse("admin:articles_article_preview_link", args=[article.pk])
    document = parse(admin_client.get(url))

    assert_nothing_injected(document)
    assert title in texts(document, '//*[@id="content"]//h2')


def test_admin_article_list_keeps_the_title_as_text(admin_client, article, title):
    document = parse(admin_client.get(reverse("admin:articles_article_changelist")))

    assert_nothing_injected(document)
    headlines = '//table[@id="result_list"]//*[contains(@class, "field-headline")]'
    assert texts(document, headlines) == [title]
    assert [span.get("title") for span in document.xpath(f"{headlines}//span")] == [title]


def test_admin_article_form_keeps_title_alt_and_byline_as_text(
    admin_client, article, title, cover_alt, author_name
):
    document = parse(admin_client.get(reverse("admin:articles_article_change", args=[article.pk])))

    assert_nothing_injected(document)
    assert document.get_element_by_id("id_title").get("value") == title
    assert texts(document, '//select[@id="id_cover"]/option[@selected]') == [cover_alt]
    assert texts(document, '//select[@id="id_bylines-0-author"]/option[@selected]') == [author_name]


def test_admin_staff_list_keeps_the_name_as_text(admin_client, byline_author, author_name):
    document = parse(admin_client.get(reverse("admin:staff_staffprofile_changelist")))

    assert_nothing_injected(document)
    assert texts(
        document, '//table[@id="result_list"]//th[contains(@class, "field-public_name")]'
    ) == [author_name]
