import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.urls import resolve, reverse
from django.utils import timezone
from lxml import html

from articles.models import AgeMark, Article
from editorial.preview import make_preview_token
from tests.factories import ArticleFactory, UserFactory
from tests.pages import recent_news

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
MAX_AGE = timedelta(days=3)
BANNER = "Предпросмотр — статья не опубликована"


@pytest.fixture
def draft():
    return ArticleFactory(
        title="Черновик о новом мосте", status=Article.Status.DRAFT, published_at=None
    )


@pytest.fixture
def page_cache(settings):
    """The anonymous page cache on, in the test settings' local-memory cache."""
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


def link_page_url(article):
    return reverse("admin:articles_article_preview_link", args=[article.pk])


def shared_url(article):
    return reverse("editorial:preview", kwargs={"token": make_preview_token(article)})


def banner(response):
    document = html.document_fromstring(response.content.decode())
    return " ".join(document.find_class("preview-banner__title")[0].text_content().split())


def h1(response):
    return html.document_fromstring(response.content.decode()).findtext(".//h1")


def test_preview_urls_round_trip():
    assert resolve("/preview/abc:def:ghi/").view_name == "editorial:preview"
    assert reverse("editorial:preview", kwargs={"token": "abc:def:ghi"}) == "/preview/abc:def:ghi/"
    assert resolve("/admin/articles/article/7/preview/").url_name == "articles_article_preview"
    assert (
        resolve("/admin/articles/article/7/preview/link/").url_name
        == "articles_article_preview_link"
    )


def test_admin_preview_shows_a_draft_on_the_article_page_under_a_banner(superuser_client, draft):
    response = superuser_client.get(preview_url(draft))

    assert response.status_code == 200
    assert "articles/article_detail.html" in [template.name for template in response.templates]
    assert h1(response) == "Черновик о новом мосте"
    assert banner(response) == BANNER


@pytest.mark.parametrize(
    ("status", "published_at", "expected_banner"),
    [
        (Article.Status.DRAFT, None, BANNER),
        (Article.Status.REVIEW, None, BANNER),
        (Article.Status.RETURNED, None, BANNER),
        (Article.Status.UNPUBLISHED, NOW - timedelta(days=1), BANNER),
        (
            Article.Status.PUBLISHED,
            NOW + timedelta(hours=5),
            "Предпросмотр — статья выйдет 23 ноября 2026, 00:00",
        ),
        (Article.Status.PUBLISHED, NOW - timedelta(hours=5), "Предпросмотр — статья опубликована"),
    ],
)
def test_admin_preview_works_for_every_status(
    superuser_client, status, published_at, expected_banner
):
    with time_machine.travel(NOW, tick=False):
        article = ArticleFactory(title="Статья", status=status, published_at=published_at)

        response = superuser_client.get(preview_url(article))

    assert response.status_code == 200
    assert h1(response) == "Статья"
    assert banner(response) == expected_banner


def test_admin_preview_links_back_to_the_change_form(superuser_client, draft):
    page = superuser_client.get(preview_url(draft)).content.decode()

    assert f'href="{reverse("admin:articles_article_change", args=[draft.pk])}"' in page


def test_admin_preview_shows_an_article_in_the_trash(superuser_client, draft):
    Article.objects.filter(pk=draft.pk).update(deleted_at=timezone.now())

    response = superuser_client.get(preview_url(draft))

    assert response.status_code == 200
    assert banner(response) == "Предпросмотр — статья в корзине"


def test_preview_has_the_article_page_age_gate_and_recent_news(superuser_client):
    adult = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, age_mark=AgeMark.EIGHTEEN
    )
    ArticleFactory(title="Уже вышедшая новость")

    response = superuser_client.get(preview_url(adult))

    assert response.context["needs_age_gate"] is True
    assert 'class="age-gate"' in response.content.decode()
    assert "Уже вышедшая новость" in recent_news(response)


def test_author_previews_their_own_draft(client, author):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=author)
    client.force_login(author)

    assert client.get(preview_url(article)).status_code == 200


def test_author_cannot_preview_someone_elses_draft(client, author, draft):
    client.force_login(author)

    response = client.get(preview_url(draft))

    assert response.status_code == 404
    assert "Черновик о новом мосте" not in response.content.decode()


def test_staff_without_article_permissions_is_refused_their_own_article(client):
    user = UserFactory(is_staff=True)
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=user)
    client.force_login(user)

    assert client.get(preview_url(article)).status_code == 403
    assert client.get(link_page_url(article)).status_code == 403


def test_admin_preview_of_a_missing_article_is_404(superuser_client):
    assert superuser_client.get("/admin/articles/article/999999/preview/").status_code == 404


def test_admin_preview_sends_anonymous_visitors_to_the_login_page(client, draft):
    response = client.get(preview_url(draft))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_change_form_offers_preview_and_share_link(superuser_client, draft):
    page = superuser_client.get(reverse("admin:articles_article_change", args=[draft.pk]))

    assert f'href="{preview_url(draft)}"' in page.content.decode()
    assert f'href="{link_page_url(draft)}"' in page.content.decode()


def test_link_page_gives_a_link_that_opens_the_draft_without_logging_in(
    superuser_client, client, draft
):
    link = superuser_client.get(link_page_url(draft)).context["preview_url"]
    superuser_client.logout()

    response = client.get(link)

    assert link.startswith("http://testserver/preview/")
    assert response.status_code == 200
    assert h1(response) == "Черновик о новом мосте"
    assert banner(response) == BANNER


def test_shared_preview_has_no_link_into_the_admin(client, draft):
    page = client.get(shared_url(draft)).content.decode()

    assert "/admin/" not in page


def test_author_cannot_make_a_link_to_someone_elses_draft(client, author, draft):
    client.force_login(author)

    assert client.get(link_page_url(draft)).status_code == 404


def test_shared_preview_works_until_the_link_expires(client, draft):
    with time_machine.travel(NOW, tick=False):
        url = shared_url(draft)

    with time_machine.travel(NOW + MAX_AGE - timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 200


def test_expired_link_answers_410_saying_it_expired(client, draft):
    with time_machine.travel(NOW, tick=False):
        url = shared_url(draft)

    with time_machine.travel(NOW + MAX_AGE + timedelta(seconds=1), tick=False):
        response = client.get(url)

    assert response.status_code == 410
    assert h1(response) == "Ссылка для предпросмотра устарела"
    assert "Черновик о новом мосте" not in response.content.decode()


def test_link_lifetime_comes_from_the_setting(client, draft, settings):
    settings.NEWSROOM_PREVIEW_MAX_AGE = 60
    with time_machine.travel(NOW, tick=False):
        url = shared_url(draft)

    with time_machine.travel(NOW + timedelta(seconds=61), tick=False):
        assert client.get(url).status_code == 410


def test_link_to_one_article_never_shows_another(client, draft):
    other = ArticleFactory(title="Другой черновик", status=Article.Status.DRAFT, published_at=None)

    page = client.get(shared_url(draft)).content.decode()

    assert "Черновик о новом мосте" in page
    assert other.title not in page


def test_token_with_another_article_put_in_is_refused(client, draft):
    other = ArticleFactory(title="Другой черновик", status=Article.Status.DRAFT, published_at=None)
    _payload, timestamp, signature = make_preview_token(draft).split(":")
    forged_payload = signing.b64_encode(json.dumps({"pk": other.pk}).encode()).decode()
    forged = f"{forged_payload}:{timestamp}:{signature}"

    response = client.get(reverse("editorial:preview", kwargs={"token": forged}))

    assert response.status_code == 404
    assert "Другой черновик" not in response.content.decode()


@pytest.mark.parametrize(
    "make_token",
    [
        lambda pk: signing.dumps({"pk": pk}),
        lambda pk: signing.TimestampSigner(salt="another.purpose").sign_object({"pk": pk}),
        lambda pk: signing.TimestampSigner(
            key="not-the-secret-key", salt="articles.preview"
        ).sign_object({"pk": pk}),
    ],
    ids=["default-salt", "other-salt", "other-key"],
)
def test_token_not_signed_for_previews_is_refused(client, draft, make_token):
    url = reverse("editorial:preview", kwargs={"token": make_token(draft.pk)})

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("token", ["abc", "a:b:c", "::", "x" * 5000])
def test_garbage_token_is_404(client, token):
    assert client.get(f"/preview/{token}/").status_code == 404


def test_token_with_a_nul_byte_is_a_bad_request(client):
    assert client.get("/preview/a%00b/").status_code == 400


def test_link_to_an_article_moved_to_the_trash_is_404(client, draft):
    url = shared_url(draft)
    Article.objects.filter(pk=draft.pk).update(deleted_at=timezone.now())

    assert client.get(url).status_code == 404


def test_link_to_a_deleted_article_is_404(client, draft):
    url = shared_url(draft)
    draft.delete()

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url_for", [shared_url, preview_url], ids=["shared", "admin"])
def test_preview_is_never_cached_nor_indexed(superuser_client, draft, url_for):
    response = superuser_client.get(url_for(draft))

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    document = html.document_fromstring(response.content.decode())
    assert document.xpath('//meta[@name="robots"]/@content') == ["noindex, nofollow"]
    assert not document.xpath('//link[@rel="canonical"]')


def test_shared_preview_is_never_served_from_the_page_cache(client, draft, page_cache):
    url = shared_url(draft)
    client.get(url)
    Article.objects.filter(pk=draft.pk).update(title="Заголовок после правки")

    response = client.get(url)

    assert h1(response) == "Заголовок после правки"
    assert response.get("X-Page-Cache") != "hit"


@pytest.mark.parametrize(
    ("make_url", "status"),
    [
        (lambda article: reverse("editorial:preview", kwargs={"token": "bad"}), 404),
        (shared_url, 410),
    ],
    ids=["bad-token", "expired"],
)
def test_refused_preview_is_never_cached_nor_indexed(client, draft, make_url, status):
    with time_machine.travel(NOW, tick=False):
        url = make_url(draft)

    with time_machine.travel(NOW + MAX_AGE * 2, tick=False):
        response = client.get(url)

    assert response.status_code == status
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
