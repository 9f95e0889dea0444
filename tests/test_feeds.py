from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import resolve, reverse
from lxml import etree

from articles.models import AgeMark, Article
from regions.models import RegionKind
from syndication import feeds
from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    RegionFactory,
    RubricFactory,
    StaffProfileFactory,
    image_file,
    save_changes,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
NAMESPACES = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "media": "http://search.yahoo.com/mrss/",
    "yandex": "http://news.yandex.ru",
}
SITE_FEEDS = ["feeds:site", "feeds:yandex", "feeds:dzen"]


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return etree.fromstring(response.content)


def titles(feed):
    return [title.text for title in feed.iterfind("channel/item/title")]


def only_item(feed):
    (item,) = feed.iterfind("channel/item")
    return item


@pytest.fixture
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def every_feed(frozen_time):
    """The URL of each feed, all of them covering one rubric and one region."""
    rubric, region = RubricFactory(slug="sport"), RegionFactory(slug="berdsk")
    articles = {"rubric": rubric, "regions": [region]}
    ArticleFactory(title="Опубликовано", **articles)
    ArticleFactory(title="Черновик", status=Article.Status.DRAFT, **articles)
    ArticleFactory(title="Запланировано", published_at=NOW + timedelta(days=1), **articles)
    return [
        *(reverse(name) for name in SITE_FEEDS),
        reverse("feeds:rubric", kwargs={"slug": rubric.slug}),
        reverse("feeds:region", kwargs={"slug": region.slug}),
    ]


def test_every_feed_lists_only_published_articles(client, every_feed):
    for url in every_feed:
        assert titles(fetch(client, url)) == ["Опубликовано"], url


def test_site_feed_lists_newest_first(client):
    with time_machine.travel(NOW, tick=False):
        ArticleFactory(title="Вчера", published_at=NOW - timedelta(days=1))
        ArticleFactory(title="Час назад", published_at=NOW - timedelta(hours=1))
        ArticleFactory(title="Утром", published_at=NOW - timedelta(hours=5))

        feed = fetch(client, reverse("feeds:site"))

    assert titles(feed) == ["Час назад", "Утром", "Вчера"]


def test_site_feed_stops_at_its_length(client, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_LENGTH", 2)
    ArticleFactory.create_batch(3)

    assert len(titles(fetch(client, reverse("feeds:site")))) == 2


def test_feed_item_has_absolute_link_date_category_and_excerpt(client):
    with time_machine.travel(NOW, tick=False):
        article = ArticleFactory(
            title="Матч в Бердске",
            lead="Команда выиграла со счётом 3:1.",
            rubric=RubricFactory(name="Спорт"),
            published_at=NOW - timedelta(hours=1),
        )

        item = only_item(fetch(client, reverse("feeds:site")))

    assert item.findtext("link") == f"http://testserver{article.get_absolute_url()}"
    assert item.findtext("pubDate") == "Sun, 22 Nov 2026 11:00:00 +0000"
    assert item.findtext("category") == "Спорт"
    assert item.findtext("description") == "Команда выиграла со счётом 3:1."


def test_feed_title_is_plain_text_escaped_once(client):
    ArticleFactory(title="Цены & тарифы: <итоги> «года»")

    raw = client.get(reverse("feeds:site")).content.decode()

    assert "<title>Цены &amp; тарифы: &lt;итоги&gt; «года»</title>" in raw
    assert titles(etree.fromstring(raw.encode())) == ["Цены & тарифы: <итоги> «года»"]


def test_feed_item_author_is_the_byline(client):
    ArticleFactory(
        authors=[
            StaffProfileFactory(public_name="Ирина Петрова"),
            StaffProfileFactory(public_name="Олег Смирнов"),
        ]
    )

    item = only_item(fetch(client, reverse("feeds:site")))

    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == (
        "Ирина Петрова, Олег Смирнов"
    )


@pytest.mark.parametrize("name", ["feeds:yandex", "feeds:dzen"])
def test_aggregator_feed_signs_an_article_without_authors_by_the_newsroom(client, name):
    ArticleFactory()

    item = only_item(fetch(client, reverse(name)))

    assert item.findtext("author") == "Редакция"


def test_rubric_feed_lists_only_its_rubric(client):
    sport = RubricFactory(name="Спорт")
    ArticleFactory(title="Матч в Бердске", rubric=sport)
    ArticleFactory(title="Урожай в Куйбышеве")

    feed = fetch(client, reverse("feeds:rubric", kwargs={"slug": sport.slug}))

    assert titles(feed) == ["Матч в Бердске"]
    assert feed.findtext("channel/link") == "http://testserver/rubric/sport/"


def test_region_feed_includes_news_of_its_sub_regions(client):
    oblast = RegionFactory(name="Новосибирская область", kind=RegionKind.OBLAST)
    district = RegionFactory(name="Здвинский район", parent=oblast)
    village = RegionFactory(name="Здвинск", kind=RegionKind.SETTLEMENT, parent=district)
    neighbour = RegionFactory(name="Алтайский край", kind=RegionKind.OBLAST)
    ArticleFactory(title="Новость области", regions=[oblast])
    ArticleFactory(title="Новость района", regions=[district])
    ArticleFactory(title="Новость села", regions=[village])
    ArticleFactory(title="Новость соседей", regions=[neighbour])
    ArticleFactory(title="Новость области и района", regions=[oblast, district])

    feed = fetch(client, reverse("feeds:region", kwargs={"slug": oblast.slug}))

    assert sorted(titles(feed)) == [
        "Новость области",
        "Новость области и района",
        "Новость района",
        "Новость села",
    ]


@pytest.mark.parametrize("url", ["/rubric/no-such-rubric/feed/", "/region/no-such-region/feed/"])
def test_feed_of_an_unknown_rubric_or_region_is_404(client, url):
    assert client.get(url).status_code == 404


def test_yandex_item_carries_the_full_text_of_the_body(client):
    ArticleFactory(body="<p>Первый абзац.</p><p>Второй <strong>абзац</strong>.</p>")

    feed = fetch(client, reverse("feeds:yandex"))
    item = only_item(feed)

    assert item.findtext("yandex:full-text", namespaces=NAMESPACES) == (
        "<p>Первый абзац.</p><p>Второй <strong>абзац</strong>.</p>"
    )
    assert item.findtext("yandex:genre", namespaces=NAMESPACES) == "message"


def test_dzen_item_carries_the_full_text_in_content_encoded(client):
    ArticleFactory(body="<p>Первый абзац.</p><p>Второй <em>абзац</em>.</p>")

    item = only_item(fetch(client, reverse("feeds:dzen")))

    assert item.findtext("content:encoded", namespaces=NAMESPACES) == (
        "<p>Первый абзац.</p><p>Второй <em>абзац</em>.</p>"
    )


@pytest.mark.parametrize(
    ("age_mark", "rating"),
    [
        (AgeMark.ZERO, "nonadult"),
        (AgeMark.TWELVE, "nonadult"),
        (AgeMark.SIXTEEN, "nonadult"),
        (AgeMark.EIGHTEEN, "adult"),
    ],
)
def test_dzen_rating_is_adult_only_for_the_18_plus_mark(client, age_mark, rating):
    ArticleFactory(age_mark=age_mark)

    rating_element = only_item(fetch(client, reverse("feeds:dzen"))).find(
        "media:rating", namespaces=NAMESPACES
    )

    assert rating_element.text == rating
    assert rating_element.get("scheme") == "urn:simple"


def test_dzen_lists_only_the_last_three_days(client):
    with time_machine.travel(NOW, tick=False):
        ArticleFactory(title="Почти три дня", published_at=NOW - timedelta(days=3, minutes=-1))
        ArticleFactory(title="Больше трёх дней", published_at=NOW - timedelta(days=3, minutes=1))

        feed = fetch(client, reverse("feeds:dzen"))

    assert titles(feed) == ["Почти три дня"]


def test_dzen_feed_stops_at_its_length(client, monkeypatch):
    monkeypatch.setattr(feeds, "DZEN_FEED_LENGTH", 2)
    ArticleFactory.create_batch(3)

    assert len(titles(fetch(client, reverse("feeds:dzen")))) == 2


@pytest.mark.parametrize("name", [*SITE_FEEDS, "feeds:rubric"])
def test_guid_stays_the_same_when_the_article_is_edited(client, name):
    article = ArticleFactory(title="Первый заголовок", rubric=RubricFactory(slug="sport"))
    url = reverse(name, kwargs={"slug": "sport"} if name == "feeds:rubric" else None)
    before = only_item(fetch(client, url)).find("guid")

    save_changes(article, title="Исправленный заголовок")
    after = only_item(fetch(client, url)).find("guid")

    assert after.text == before.text == f"urn:newsroom:article:{article.pk}"
    assert after.get("isPermaLink") == "false"


def test_dzen_enclosure_is_a_cover_at_least_400_px_wide(client):
    photo = PhotoFactory(file=image_file("wide.jpg", 400))
    ArticleFactory(cover=photo)

    enclosure = only_item(fetch(client, reverse("feeds:dzen"))).find("enclosure")

    assert enclosure.get("url") == f"http://testserver{photo.file.url}"
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == photo.file.size


def test_dzen_leaves_out_a_cover_narrower_than_400_px(client):
    ArticleFactory(cover=PhotoFactory(file=image_file("narrow.jpg", 399)))

    assert only_item(fetch(client, reverse("feeds:dzen"))).find("enclosure") is None


def test_an_article_without_a_cover_has_no_enclosure(client):
    ArticleFactory()

    assert only_item(fetch(client, reverse("feeds:dzen"))).find("enclosure") is None


def test_yandex_enclosure_is_the_image_file(client):
    photo = PhotoFactory(file=image_file("field.jpg", 200))
    ArticleFactory(cover=photo)

    enclosure = only_item(fetch(client, reverse("feeds:yandex"))).find("enclosure")

    assert enclosure.get("url") == f"http://testserver{photo.file.url}"


@pytest.mark.parametrize("per_article", [1, 4])
def test_feeds_run_a_fixed_number_of_queries(client, django_assert_num_queries, per_article):
    rubric, region = RubricFactory(slug="sport"), RegionFactory(slug="berdsk")
    for _ in range(per_article + 2):
        ArticleFactory(
            rubric=rubric,
            regions=[region],
            authors=StaffProfileFactory.create_batch(per_article),
            cover=PhotoFactory(file=image_file("photo.jpg", 800)),
        )
    queries = {
        reverse("feeds:site"): 2,
        reverse("feeds:yandex"): 2,
        reverse("feeds:dzen"): 2,
        reverse("feeds:rubric", kwargs={"slug": "sport"}): 3,
        reverse("feeds:region", kwargs={"slug": "berdsk"}): 4,
    }

    for url, count in queries.items():
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("feeds:site", {}, "/feed/"),
        ("feeds:yandex", {}, "/feed/yandex/"),
        ("feeds:dzen", {}, "/feed/dzen/"),
        ("feeds:rubric", {"slug": "sport"}, "/rubric/sport/feed/"),
        ("feeds:region", {"slug": "berdsk"}, "/region/berdsk/feed/"),
    ],
)
def test_feed_url_names_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


def test_pages_link_the_site_feed(client):
    page = client.get("/").content.decode()

    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert 'href="/feed/"' in page


def test_rubric_page_links_its_feed(client):
    rubric = RubricFactory(slug="sport")

    page = client.get(rubric.get_absolute_url()).content.decode()

    assert 'type="application/rss+xml"' in page
    assert 'href="/rubric/sport/feed/"' in page


def test_region_page_links_its_feed(client):
    region = RegionFactory(slug="berdsk")

    page = client.get(region.get_absolute_url()).content.decode()

    assert 'href="/region/berdsk/feed/"' in page


def test_tag_page_links_only_the_site_feed(client):
    ArticleFactory(tags=["дороги"])

    page = client.get(reverse("articles:tag", kwargs={"slug": "dorogi"})).content.decode()

    assert page.count('type="application/rss+xml"') == 1


def test_control_characters_pasted_into_a_title_do_not_break_the_feed(client):
    ArticleFactory(title="Заголовок\x0bиз Word\x01", lead="Лид\x0c")

    response = client.get("/feed/")

    assert response.status_code == 200
    etree.fromstring(response.content)
    assert "Заголовокиз Word" in response.content.decode()


def test_feeds_never_open_cover_files(client):
    """Sizes are stored with the photo, so a feed on remote storage stays one request."""
    photo = PhotoFactory(file=image_file("wide.jpg", 800))
    ArticleFactory(cover=photo)
    photo.file.storage.delete(photo.file.name)

    enclosure = only_item(fetch(client, reverse("feeds:dzen"))).find("enclosure")

    assert int(enclosure.get("length")) == photo.bytes > 0
