"""Every admin page of ours, as each role sees it, in Russian: no English label or button, and
no noun in the wrong case after «Добавить», «Изменить», «Выберите»."""

import re
from html import unescape

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, PhotoFactory, RubricFactory, SiteFactory

pytestmark = pytest.mark.django_db

# Latin words that are right on a Russian page: names of formats, services and codes.
ALLOWED_LATIN = {
    "avif",
    "jpeg",
    "jpg",
    "webp",
    "png",
    "gif",
    "heic",
    "rss",
    "html",
    "url",
    "json",
    "jsonl",
    "seo",
    "vk",
    "telegram",
    "rutube",
    "youtube",
    "id",
    "utc",
    "http",
    "https",
    "www",
    "dzen",
    "yandex",
    "og",
    "ok",
    "mailto",
    "tel",
    "pdf",
    "svg",
    "exif",
    "gps",
    "cdn",
    "api",
    # The example domain in the site form's help text.
    "toguchin",
    "example",
}
# Django's users and groups: their permission names are Django's own ("Can add статья");
# django-axes' failed logins, whose Russian catalogue misses a few column names.
NOT_OURS = ("/admin/auth/", "/admin/axes/")
WRONG_CASE = re.compile(
    r"(?:Добавить|Изменить|Выберите|удалить) (?:статья|рубрика|фотография|сотрудник|размещение)\b"
)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    # What a reader of the page sees: text, and the words of buttons and placeholders.
    attributes = " ".join(re.findall(r'<input[^>]+type="submit"[^>]+value="([^"]*)"', html))
    text = unescape(re.sub(r"<[^>]+>", " ", html)) + " " + attributes
    return re.sub(r"\s+", " ", text)


def data_in_latin() -> set[str]:
    """Words of the data that are Latin by nature: slugs, domains, logins, e-mails."""
    from django.contrib.auth.models import User

    from articles.models import Rubric, Tag
    from network.models import Site
    from regions.models import Region
    from staff.models import StaffProfile

    values = [
        *Article.objects.values_list("slug", flat=True),
        *Rubric.objects.values_list("slug", flat=True),
        *Tag.objects.values_list("slug", flat=True),
        *Region.objects.values_list("slug", flat=True),
        *StaffProfile.objects.values_list("slug", flat=True),
        *Site.objects.values_list("domain", flat=True),
        *Site.objects.values_list("email", flat=True),
        *User.objects.values_list("username", flat=True),
    ]
    return {word.lower() for value in values for word in re.findall(r"[A-Za-z]+", value or "")}


def english_words(text: str, data_words: set[str]) -> set[str]:
    words = set(re.findall(r"\b[A-Za-z][A-Za-z]{2,}\b", text))
    return {
        word
        for word in words
        if word.lower() not in ALLOWED_LATIN and word.lower() not in data_words
    }


def admin_pages(client) -> list[str]:
    """The admin's index, each list and add form it links to, and the first object of each."""
    index = client.get(reverse("admin:index")).content.decode()
    pages = {reverse("admin:index")}
    for url in re.findall(r'href="(/admin/[^"#?]+)"', index):
        if url.startswith(NOT_OURS):
            continue
        if url.endswith(("/add/", "/")) and "logout" not in url and "password" not in url:
            pages.add(url)
    for url in list(pages):
        if url.endswith("/") and not url.endswith("/add/") and url.count("/") == 4:
            listing = client.get(url).content.decode()
            first = re.search(r'<th class="field-[^"]*"><a href="(/admin/[^"?]+/change/)', listing)
            if first:
                pages.add(first[1])
    return sorted(pages)


@pytest.fixture
def newsroom_data(superuser):
    rubric = RubricFactory(name="Экономика")
    photo = PhotoFactory(title="Комбайн")
    ArticleFactory(title="Уборка урожая", rubric=rubric, cover=photo)
    ArticleFactory(title="Черновик", status=Article.Status.DRAFT, published_at=None)
    SiteFactory(name="Тогучинские вести")


@pytest.mark.parametrize("role", ["author", "editor", "moderator", "superuser"])
def test_admin_pages_speak_russian_to_every_role(role, request, client_as, newsroom_data):
    user = request.getfixturevalue(role)
    client = client_as(user)
    data_words = data_in_latin()

    pages = admin_pages(client)

    assert len(pages) > 3
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        assert not WRONG_CASE.search(text), (url, WRONG_CASE.search(text))
        leaks = english_words(text, data_words)
        assert not leaks, (url, sorted(leaks))
