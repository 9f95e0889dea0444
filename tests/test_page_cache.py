"""The anonymous page cache: what is stored, for whom, and how a change reaches readers.

These tests use a real Redis, as production does. Changes are made inside `committed()`, which
runs the transaction's on-commit callbacks (the page cache's bump) as a real commit would.
"""

import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.cache import caches
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.signals import template_rendered
from django.test.testcases import LiveServerThread
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from articles.models import AgeMark, Article
from editorial.preview import make_preview_token
from newsroom.pagecache import query_parameters_of
from newsroom.replicas import ReaderReplicaRouter
from tests.factories import (
    ArticleFactory,
    RegionFactory,
    RubricFactory,
    StaffProfileFactory,
    save_changes,
)
from tests.pages import main_column

pytestmark = pytest.mark.django_db

DEAD_REDIS_CACHE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }
}
GATE_TEXT = "Материал предназначен для лиц старше 18 лет"


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code in (200, 404, 410), (url, response.status_code)
    return response.content.decode()


def directives(response) -> set[str]:
    return {directive.strip() for directive in response["Cache-Control"].split(",")}


@pytest.fixture
def story():
    """A published article with a rubric, a region, a tag and an author: it is on every page."""
    return ArticleFactory(
        title="Паводок в Бердске",
        rubric=RubricFactory(name="Происшествия"),
        regions=[RegionFactory(name="Бердск")],
        tags=["паводок"],
        authors=[StaffProfileFactory(public_name="Ольга Петрова")],
    )


PAGES = {
    "home": lambda article: reverse("articles:home"),
    "article": lambda article: article.get_absolute_url(),
    "rubric": lambda article: article.rubric.get_absolute_url(),
    "region": lambda article: article.regions.get().get_absolute_url(),
    "tag": lambda article: reverse("articles:tag", kwargs={"slug": article.tags.get().slug}),
    "author": lambda article: article.authors.get().get_absolute_url(),
    "archive": lambda article: reverse("articles:archive"),
    "feed": lambda article: reverse("feeds:site"),
    "rubric feed": lambda article: reverse("feeds:rubric", args=[article.rubric.slug]),
    "region feed": lambda article: reverse("feeds:region", args=[article.regions.get().slug]),
    "news sitemap": lambda article: reverse("sitemaps:news"),
}
LIST_PAGES = {name: url for name, url in PAGES.items() if name != "article"}


# What is stored, and for whom


def test_second_anonymous_request_is_served_from_the_cache_without_queries(
    client, page_cache, django_assert_num_queries
):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())

    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_stored_page_is_served_in_three_reads_of_the_cache(client, page_cache, monkeypatch):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    backend = caches["default"]
    reads = []
    for method in ("get", "get_many"):
        read = getattr(backend, method)
        monkeypatch.setattr(
            backend, method, lambda *a, read=read, **k: reads.append(a) or read(*a, **k)
        )

    response = client.get(article.get_absolute_url())

    assert response["X-Page-Cache"] == "hit"
    assert "Последние новости" in response.text
    assert len(reads) == 3  # the sites' version; the generations; the page and its column


def test_cached_page_is_public_for_page_cache_max_age_and_varies_on_cookie(client, page_cache):
    ArticleFactory()
    client.get("/")

    response = client.get("/")

    assert directives(response) == {"public", "max-age=60"}
    assert "Cookie" in response["Vary"]


def test_pages_at_other_query_strings_are_stored_apart(client, page_cache):
    for number in range(25):
        ArticleFactory(title=f"Новость {number:02}")
    client.get(reverse("articles:archive"))

    second_page = main_column(client.get(reverse("articles:archive") + "?page=2"))

    assert "Новость 04" in second_page
    assert "Новость 24" not in second_page


TRACKING_PARAMETERS = "utm_source=vk&utm_medium=post&yclid=1&fbclid=ab&gclid=cd&_openstat=x&from=tg"


def test_unknown_query_parameters_get_the_page_stored_without_them(client, page_cache):
    ArticleFactory()
    first = client.get("/")

    response = client.get(f"/?{TRACKING_PARAMETERS}")

    assert first["X-Page-Cache"] == "miss"
    assert response["X-Page-Cache"] == "hit"
    assert response.content == first.content


def test_each_new_unknown_parameter_value_is_a_hit(client, page_cache):
    ArticleFactory()
    client.get("/news/?utm_source=1")

    assert [client.get(f"/news/?utm_source={n}")["X-Page-Cache"] for n in range(2, 6)] == [
        "hit"
    ] * 4


def test_unknown_query_parameters_never_reach_a_stored_page(client, page_cache):
    """The page's own links (pagination, the age gate's return address) are built from the
    query the view sees: a stored copy must not carry one reader's parameters to others."""
    for number in range(25):
        ArticleFactory(title=f"Новость {number:02}")

    html = client.get("/news/?utm_source=evil&fbclid=evil").content.decode()

    assert "evil" not in html
    assert "page=2" in html


def test_known_parameters_in_another_order_share_the_stored_page(client, page_cache):
    ArticleFactory(age_mark=AgeMark.SIXTEEN)
    client.get("/news/?age_mark=16%2B&page=1")

    assert client.get("/news/?page=1&utm_source=x&age_mark=16%2B")["X-Page-Cache"] == "hit"


def test_every_cached_view_declares_the_query_parameters_it_reads():
    """Undeclared, a view's pages are never stored: only a view that answers POST alone may."""
    post_only = {"confirm_age"}
    undeclared = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif (
                namespace in settings.PAGE_CACHE_NAMESPACES
                and query_parameters_of(pattern.callback) is None
                and pattern.name not in post_only
            ):
                undeclared.append(str(pattern.pattern))

    walk(get_resolver().url_patterns, None)

    assert undeclared == []


def test_invented_session_cookie_gets_the_stored_page(client, page_cache):
    ArticleFactory()
    client.get("/")
    stranger = Client()

    for invented in ["bogus", "0123456789abcdefghijklmnopqrstuv"]:
        stranger.cookies[settings.SESSION_COOKIE_NAME] = invented
        response = stranger.get("/")
        assert response["X-Page-Cache"] == "hit"
        assert "public" in directives(response)


def test_expired_session_gets_the_stored_page(client, page_cache):
    ArticleFactory()
    client.get("/")
    session = SessionStore()
    session["adult_confirmed"] = True
    session.create()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key

    assert client.get("/")["X-Page-Cache"] == "hit"


def test_logged_in_staff_never_get_the_cached_copy(client, page_cache, superuser):
    article = ArticleFactory(title="Старый заголовок")
    client.get(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(title="Новый заголовок")
    staff = Client()
    staff.force_login(superuser)

    response = staff.get(article.get_absolute_url())

    assert "Новый заголовок" in response.content.decode()
    assert "X-Page-Cache" not in response
    assert "private" in directives(response)
    assert "Старый заголовок" in page(client, article.get_absolute_url())


def test_page_rendered_for_staff_is_not_stored_for_readers(client, page_cache, superuser):
    article = ArticleFactory()
    staff = Client()
    staff.force_login(superuser)
    staff.get(article.get_absolute_url())

    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"


def test_reader_who_confirmed_their_age_gets_the_article_without_the_gate(client, page_cache):
    article = ArticleFactory(age_mark=AgeMark.EIGHTEEN)
    assert GATE_TEXT in page(client, article.get_absolute_url())
    client.post(reverse("articles:confirm_age"), {"next": article.get_absolute_url()})

    response = client.get(article.get_absolute_url())

    assert GATE_TEXT not in response.content.decode()
    assert "X-Page-Cache" not in response


def test_not_found_page_is_not_stored(client, page_cache):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    assert client.get(draft.get_absolute_url()).status_code == 404
    # A queryset update sends no signal: only a stored 404 could hide the article now.
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )

    assert client.get(draft.get_absolute_url()).status_code == 200


def test_shared_preview_of_a_draft_is_never_stored(client, page_cache):
    draft = ArticleFactory(title="Черновик", status=Article.Status.DRAFT, published_at=None)
    url = reverse("editorial:preview", kwargs={"token": make_preview_token(draft)})
    client.get(url)
    Article.objects.filter(pk=draft.pk).update(title="Исправленный черновик")

    response = client.get(url)

    assert "Исправленный черновик" in response.content.decode()
    assert "X-Page-Cache" not in response
    assert "no-store" in directives(response)


def test_admin_pages_are_never_stored(client, page_cache):
    client.get(reverse("admin:login"))

    assert "X-Page-Cache" not in client.get(reverse("admin:login"))


def test_page_to_be_stored_is_read_from_the_primary_not_a_replica(client, page_cache, settings):
    """A replica lagging behind the commit would store the old page under the new generation."""
    # No replica database exists here: a read routed to one would fail the request.
    settings.DATABASE_ROUTERS = [ReaderReplicaRouter()]
    article = ArticleFactory()

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"


# Invalidation: the next request after a change shows it, on every page


@pytest.mark.parametrize("name", PAGES)
def test_edited_title_is_fresh_on_the_next_request(client, page_cache, committed, story, name):
    url = PAGES[name](story)
    page(client, url)

    with committed():
        save_changes(story, title="Паводок в Бердске отступил")

    assert "Паводок в Бердске отступил" in page(client, url)


@pytest.mark.parametrize("name", PAGES)
def test_published_draft_is_on_the_next_request(client, page_cache, committed, story, name):
    draft = ArticleFactory(
        title="Мост через Бердь открыт",
        status=Article.Status.DRAFT,
        published_at=None,
        rubric=story.rubric,
        regions=list(story.regions.all()),
        tags=["паводок"],
        authors=list(story.authors.all()),
    )
    url = PAGES[name](draft)
    page(client, url)

    with committed():
        save_changes(draft, status=Article.Status.PUBLISHED)

    assert "Мост через Бердь открыт" in page(client, url)


@pytest.mark.parametrize("name", PAGES)
def test_unpublished_article_is_gone_on_the_next_request(
    client, page_cache, committed, story, name
):
    url = PAGES[name](story)
    assert "Паводок в Бердске" in page(client, url)

    with committed():
        save_changes(story, status=Article.Status.UNPUBLISHED)

    assert "Паводок в Бердске" not in page(client, url)


@pytest.mark.parametrize("name", PAGES)
def test_trashed_article_is_gone_on_the_next_request(client, page_cache, committed, story, name):
    url = PAGES[name](story)
    assert "Паводок в Бердске" in page(client, url)

    with committed():
        save_changes(story, deleted_at=timezone.now())

    assert "Паводок в Бердске" not in page(client, url)


@pytest.mark.parametrize("name", LIST_PAGES)
def test_deleted_article_is_gone_on_the_next_request(client, page_cache, committed, story, name):
    url = LIST_PAGES[name](story)
    assert "Паводок в Бердске" in page(client, url)

    with committed():
        story.delete()

    assert "Паводок в Бердске" not in page(client, url)


@pytest.mark.parametrize("name", ["home", "article", "rubric", "feed", "rubric feed"])
def test_renamed_rubric_is_fresh_on_the_next_request(client, page_cache, committed, story, name):
    url = PAGES[name](story)
    page(client, url)

    with committed():
        story.rubric.name = "Чрезвычайные происшествия"
        story.rubric.save()

    assert "Чрезвычайные происшествия" in page(client, url)


def test_rubric_renamed_in_the_admin_is_fresh_for_readers(
    client, page_cache, committed, story, superuser
):
    page(client, "/")
    editor = Client()
    editor.force_login(superuser)
    rubric = story.rubric

    with committed():
        response = editor.post(
            reverse("admin:articles_rubric_change", args=[rubric.pk]),
            {
                "name": "Чрезвычайные происшествия",
                "slug": rubric.slug,
                "description": "",
                "order": rubric.order,
                "default_age_mark": rubric.default_age_mark,
                "is_active": "on",
            },
        )

    assert response.status_code == 302
    assert "Чрезвычайные происшествия" in page(client, "/")


@pytest.mark.parametrize("name", ["article", "region", "archive", "region feed"])
def test_renamed_region_is_fresh_on_the_next_request(client, page_cache, committed, story, name):
    url = PAGES[name](story)
    page(client, url)

    with committed():
        region = story.regions.get()
        region.name = "Город Бердск"
        region.save()

    assert "Город Бердск" in page(client, url)


@pytest.mark.parametrize("name", ["article", "tag"])
def test_renamed_tag_is_fresh_on_the_next_request(client, page_cache, committed, story, name):
    url = PAGES[name](story)
    page(client, url)

    with committed():
        tag = story.tags.get()
        tag.name = "половодье"
        tag.save()

    assert "половодье" in page(client, url)


@pytest.mark.parametrize("name", ["article", "author", "archive", "feed"])
def test_renamed_author_is_fresh_on_the_next_request(client, page_cache, committed, story, name):
    url = PAGES[name](story)
    page(client, url)

    with committed():
        author = story.authors.get()
        author.public_name = "Ольга Петрова-Сидорова"
        author.save()

    assert "Ольга Петрова-Сидорова" in page(client, url)


def test_tag_added_to_a_published_article_puts_it_on_the_tag_page(
    client, page_cache, committed, story
):
    other = ArticleFactory(title="Урожай в Искитиме")
    url = PAGES["tag"](story)
    assert "Урожай в Искитиме" not in main_column(client.get(url))

    with committed():
        save_changes(other, tags=["паводок"])

    assert "Урожай в Искитиме" in main_column(client.get(url))


def test_region_added_to_a_published_article_puts_it_on_the_region_page(
    client, page_cache, committed, story
):
    other = ArticleFactory(title="Урожай в Искитиме")
    url = PAGES["region"](story)
    assert "Урожай в Искитиме" not in main_column(client.get(url))

    with committed():
        save_changes(other, regions=[story.regions.get()])

    assert "Урожай в Искитиме" in main_column(client.get(url))


def test_author_added_to_a_byline_is_on_the_next_request(client, page_cache, committed, story):
    url = story.get_absolute_url()
    page(client, url)

    with committed():
        save_changes(
            story, authors=[*story.authors.all(), StaffProfileFactory(public_name="Иван Сидоров")]
        )

    assert "Иван Сидоров" in page(client, url)


# A list's pages are refreshed by the articles entering, leaving or changing in it, not by
# other publications on the site


LIST_SUBJECTS = {
    "rubric": lambda: {"rubric": RubricFactory(name="Спорт")},
    "tag": lambda: {"tags": ["лыжи"]},
    "region": lambda: {"regions": [RegionFactory(name="Искитим")]},
    "author": lambda: {"authors": [StaffProfileFactory(public_name="Иван Сидоров")]},
}


@pytest.mark.parametrize("name", LIST_SUBJECTS)
def test_publication_elsewhere_leaves_a_list_page_stored(client, page_cache, committed, name):
    listed = ArticleFactory(title="Лыжня России", **LIST_SUBJECTS[name]())
    url = PAGES[name](listed)
    page(client, url)
    draft = ArticleFactory(
        title="Паводок в Бердске", status=Article.Status.DRAFT, published_at=None
    )

    with committed():
        save_changes(draft, status=Article.Status.PUBLISHED)

    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert "Паводок в Бердске" in response.text  # in the recent-news column, filled in late
    assert "Паводок в Бердске" not in main_column(response)


@pytest.mark.parametrize("name", ["rubric", "tag", "region", "author"])
def test_article_taken_out_of_a_list_leaves_its_page(client, page_cache, committed, story, name):
    url = PAGES[name](story)
    assert "Паводок в Бердске" in main_column(client.get(url))
    elsewhere = {
        "rubric": {"rubric": RubricFactory(name="Общество")},
        "tag": {"tags": ["половодье"]},
        "region": {"regions": [RegionFactory(name="Искитим")]},
        "author": {"authors": [StaffProfileFactory(public_name="Иван Сидоров")]},
    }[name]

    with committed():
        save_changes(story, **elsewhere)

    assert "Паводок в Бердске" not in main_column(client.get(url))


def test_article_of_a_village_is_fresh_on_its_district_page(client, page_cache, committed):
    district = RegionFactory(name="Искитимский район")
    village = RegionFactory(name="Линёво", parent=district)
    draft = ArticleFactory(
        title="Школа в Линёво", status=Article.Status.DRAFT, published_at=None, regions=[village]
    )
    url = district.get_absolute_url()
    page(client, url)

    with committed():
        save_changes(draft, status=Article.Status.PUBLISHED)

    assert "Школа в Линёво" in main_column(client.get(url))


def test_rubric_feed_is_fresh_and_another_rubric_feed_stays_stored(
    client, page_cache, committed, story
):
    other = RubricFactory(name="Спорт")
    ArticleFactory(title="Лыжня России", rubric=other)
    own_feed = PAGES["rubric feed"](story)
    other_feed = reverse("feeds:rubric", args=[other.slug])
    page(client, own_feed)
    page(client, other_feed)

    with committed():
        save_changes(story, title="Паводок в Бердске отступил")

    assert "Паводок в Бердске отступил" in page(client, own_feed)
    assert client.get(other_feed)["X-Page-Cache"] == "hit"


def test_draft_edits_leave_cached_pages_in_place(
    client, page_cache, committed, story, django_assert_num_queries
):
    draft = ArticleFactory(title="Черновик", status=Article.Status.DRAFT, published_at=None)
    page(client, "/")

    with committed():
        save_changes(
            draft,
            title="Черновик, вторая редакция",
            tags=["паводок", "новый тег"],
            regions=[story.regions.get()],
            authors=[story.authors.get()],
        )

    with django_assert_num_queries(0):
        assert client.get("/")["X-Page-Cache"] == "hit"


# Scheduled articles appear at their time, with no write to announce them


def test_scheduled_article_appears_at_its_time_without_a_save(client, page_cache, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    ArticleFactory(title="Старая новость")
    ArticleFactory(title="Отложенная новость", published_at=timezone.now() + timedelta(minutes=2))
    assert "Отложенная новость" not in page(client, "/")
    assert client.get("/")["X-Page-Cache"] == "hit"

    time_machine.move_to(datetime(2026, 3, 2, 9, 2, 1, tzinfo=UTC), tick=False)

    assert "Отложенная новость" in page(client, "/")


def test_max_age_never_reaches_past_the_next_scheduled_publication(
    client, page_cache, time_machine
):
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False)
    ArticleFactory(published_at=timezone.now() + timedelta(seconds=30))
    client.get("/")

    assert "max-age=30" in directives(client.get("/"))


# Conditional GET


@pytest.mark.parametrize("name", ["article", "feed"])
def test_matching_etag_gets_304_without_a_body(client, page_cache, story, name):
    url = PAGES[name](story)
    first = client.get(url)

    response = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 304
    assert response.content == b""


@pytest.mark.parametrize("name", ["article", "feed"])
def test_unchanged_since_last_modified_gets_304(client, page_cache, story, name):
    url = PAGES[name](story)
    first = client.get(url)

    response = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})

    assert response.status_code == 304


def test_old_etag_gets_the_new_page_after_an_edit(client, page_cache, committed, story):
    url = story.get_absolute_url()
    first = client.get(url)
    with committed():
        save_changes(story, title="Паводок в Бердске отступил")

    response = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert response.status_code == 200
    assert "Паводок в Бердске отступил" in response.content.decode()


# Under load, and without the cache


class RoomyWSGIServer(ThreadedWSGIServer):
    """Django's live server queues 10 connections; the kernel drops the rest of a burst of 200,
    and the clients retry seconds later. Room for the whole burst keeps the test quick."""

    request_queue_size = 256


class RoomyLiveServerThread(LiveServerThread):
    server_class = RoomyWSGIServer


@pytest.fixture
def roomy_live_server(transactional_db):
    thread = RoomyLiveServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def test_cold_page_requested_200_times_at_once_is_rendered_about_once(
    roomy_live_server, page_cache
):
    article = ArticleFactory()
    url = roomy_live_server + article.get_absolute_url()
    renders = []

    def count_render(sender, template, **kwargs):
        if template.name == "articles/article_detail.html":
            renders.append(template.name)

    start = threading.Barrier(200)

    def fetch(_):
        start.wait()
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()

    template_rendered.connect(count_render)
    try:
        with ThreadPoolExecutor(max_workers=200) as pool:
            results = list(pool.map(fetch, range(200)))
    finally:
        template_rendered.disconnect(count_render)

    assert [status for status, _ in results] == [200] * 200
    assert len({body for _, body in results}) == 1
    assert len(renders) <= 3


def test_pages_render_when_the_cache_is_down(client, settings):
    settings.CACHES = DEAD_REDIS_CACHE
    settings.PAGE_CACHE_SECONDS = 300
    article = ArticleFactory(title="Паводок в Бердске")

    for url in ("/", article.get_absolute_url(), reverse("feeds:site")):
        response = client.get(url)
        assert response.status_code == 200
        assert "Паводок в Бердске" in response.content.decode()


def test_article_saves_when_the_cache_is_down(settings, committed):
    settings.CACHES = DEAD_REDIS_CACHE
    settings.PAGE_CACHE_SECONDS = 300
    article = ArticleFactory()

    with committed():
        save_changes(article, title="Сохранено без кэша")

    article.refresh_from_db()
    assert article.title == "Сохранено без кэша"
