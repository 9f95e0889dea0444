import json
import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from tests.admin_forms import article_form_data, change_url
from tests.factories import (
    ArticleFactory,
    RegionFactory,
    RubricFactory,
    StaffProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Session, user, counts, filters' choices, the page, and one each for the rows' regions, bylines
# and (when any article has a cover) the covers' renditions.
CHANGELIST_MAX_QUERIES = 13


@pytest.fixture
def rubric():
    return RubricFactory(name="Общество")


def changelist(client, **params):
    return client.get(reverse("admin:articles_article_changelist"), params)


def change_page(client, article):
    return client.get(change_url(article))


def add_article(client, rubric, **fields):
    response = client.post(
        reverse("admin:articles_article_add"), article_form_data(rubric, **fields)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get()


def script_urls(html):
    """Every URL the page loads a script from: <script src> and the import map's entries."""
    urls = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", html)
    for importmap in re.findall(r"<script type=\"importmap\"[^>]*>(.*?)</script>", html, re.S):
        urls += json.loads(importmap)["imports"].values()
    return urls


def test_article_changelist_lists_articles_with_their_regions(superuser_client):
    ArticleFactory(
        title="Открытие моста",
        regions=[RegionFactory(name="Бердск"), RegionFactory(name="Искитим")],
    )

    response = changelist(superuser_client)

    assert response.status_code == 200
    assert "Открытие моста" in response.text
    assert "Бердск, Искитим" in response.text


def test_article_changelist_filters_by_status(superuser_client):
    ArticleFactory(title="Вышедшая новость")
    ArticleFactory(title="Черновик новости", status=Article.Status.DRAFT, published_at=None)

    response = changelist(superuser_client, status=Article.Status.DRAFT)

    assert "Черновик новости" in response.text
    assert "Вышедшая новость" not in response.text


def test_article_changelist_filters_by_region(superuser_client):
    berdsk = RegionFactory(name="Бердск")
    ArticleFactory(title="Новость Бердска", regions=[berdsk])
    ArticleFactory(title="Новость Оби", regions=[RegionFactory(name="Обь")])

    response = changelist(superuser_client, regions__id__exact=berdsk.pk)

    assert "Новость Бердска" in response.text
    assert "Новость Оби" not in response.text


def test_article_search_matches_cyrillic_in_any_case(superuser_client):
    ArticleFactory(title="Выставка в Минске")
    ArticleFactory(title="Выставка в Томске")

    response = changelist(superuser_client, q="минск")

    assert "Выставка в Минске" in response.text
    assert "Выставка в Томске" not in response.text


def test_article_changelist_marks_scheduled_articles(superuser_client):
    ArticleFactory(published_at=timezone.now() + timedelta(days=1))

    response = changelist(superuser_client)

    assert "запланировано" in response.text


@pytest.mark.parametrize("regions_per_article", [1, 8])
def test_article_changelist_queries_do_not_grow_with_regions(
    superuser_client, django_assert_max_num_queries, regions_per_article
):
    for _ in range(5):
        ArticleFactory(regions=RegionFactory.create_batch(regions_per_article))

    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
        response = changelist(superuser_client)

    assert response.status_code == 200


def test_article_add_form_loads_prose_editor_from_own_static(superuser_client):
    response = superuser_client.get(reverse("admin:articles_article_add"))

    urls = script_urls(response.text)
    assert "/static/django_prose_editor/editor.js" in urls
    assert "data-django-prose-editor-configurable" in response.text
    assert not [url for url in urls if re.match(r"(https?:)?//", url)]


def test_added_article_gets_latin_slug_from_title(superuser_client, rubric):
    article = add_article(superuser_client, rubric, title="Хабаровск принимает гостей")

    assert article.slug == "khabarovsk-prinimaet-gostey"


def test_added_article_body_is_sanitised(superuser_client, rubric):
    body = '<p onclick="steal()">Текст</p><script>steal()</script>'

    article = add_article(superuser_client, rubric, body=body)

    assert article.body == "<p>Текст</p>"


def test_added_article_gets_typed_tags(superuser_client, rubric):
    article = add_article(superuser_client, rubric, tags="беларусь, экономика")

    assert sorted(article.tags.names()) == ["беларусь", "экономика"]


def test_added_article_byline_follows_order_field(superuser_client, rubric):
    first, second = StaffProfileFactory(), StaffProfileFactory()

    article = add_article(superuser_client, rubric, bylines=[(second, 2), (first, 1)])

    assert [byline.author for byline in article.bylines.all()] == [first, second]


def test_added_article_records_its_creator(superuser_client, superuser, rubric):
    article = add_article(superuser_client, rubric)

    assert article.created_by == superuser
    assert article.updated_by == superuser


def test_changed_article_records_who_changed_it(client_as, rubric):
    creator = UserFactory(is_staff=True, is_superuser=True)
    article = ArticleFactory(rubric=rubric, status=Article.Status.DRAFT, published_at=None)
    Article.objects.filter(pk=article.pk).update(created_by=creator)
    editor = UserFactory(is_staff=True, is_superuser=True)

    client_as(editor).post(
        change_url(article),
        article_form_data(
            rubric, title=article.title, slug=article.slug, base_version=article.version
        ),
    )

    article.refresh_from_db()
    assert (article.created_by, article.updated_by) == (creator, editor)


def test_published_article_change_page_links_to_site(superuser_client):
    article = ArticleFactory()

    response = change_page(superuser_client, article)

    assert 'class="viewsitelink"' in response.text
    assert article.get_absolute_url() in response.text


@pytest.mark.parametrize(
    "status, published_at",
    [
        (Article.Status.DRAFT, None),
        (Article.Status.PUBLISHED, timezone.now() + timedelta(days=1)),
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_article_change_page_has_no_site_link(superuser_client, status, published_at):
    article = ArticleFactory(status=status, published_at=published_at)

    response = change_page(superuser_client, article)

    assert 'class="viewsitelink"' not in response.text


def test_draft_slug_can_be_edited(superuser_client):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    response = change_page(superuser_client, article)

    assert 'name="slug"' in response.text


def test_tag_input_suggests_existing_tags_from_its_endpoint(superuser_client):
    Tag.objects.create(name="Экономика")
    Tag.objects.create(name="экология")
    Tag.objects.create(name="спорт")
    form = superuser_client.get(reverse("admin:articles_article_add")).text
    suggest_url = unescape(re.search(r'data-tag-suggest-url="([^"]+)"', form).group(1))

    response = superuser_client.get(f"{suggest_url}&term=эко")

    assert "admin_extras/tag_suggest.js" in form
    assert sorted(result["text"] for result in response.json()["results"]) == [
        "Экономика",
        "экология",
    ]


def test_tag_suggestions_refuse_anonymous_users(client):
    url = reverse("admin:autocomplete")
    params = {"app_label": "articles", "model_name": "article", "field_name": "tags"}

    response = client.get(url, params | {"term": "эко"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_tag_suggestions_need_permission_to_view_tags(client_as):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    url = reverse("admin:autocomplete")
    params = {"app_label": "articles", "model_name": "article", "field_name": "tags"}

    response = client_as(user).get(url, params | {"term": "эко"})

    assert response.status_code == 403


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:articles_rubric_changelist",
        "admin:articles_rubric_add",
        "admin:articles_tag_changelist",
        "admin:articles_tag_add",
        "admin:regions_region_changelist",
        "admin:regions_region_add",
        "admin:staff_staffprofile_changelist",
        "admin:staff_staffprofile_add",
    ],
)
def test_other_admin_pages_open(superuser_client, url_name):
    RubricFactory()
    RegionFactory(parent=RegionFactory())
    StaffProfileFactory(user=UserFactory())

    response = superuser_client.get(reverse(url_name))

    assert response.status_code == 200
