"""The article admin as those who read more than they write see it: no form-only fields shown
empty, the body rendered rather than as tags, people by name, an honest trash and messages."""

import re
import warnings
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.deprecation import RemovedInDjango60Warning

from articles.models import Article
from editorial import services
from photos.renditions import make_renditions
from tests.admin_forms import article_form_data, change_url
from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    RubricFactory,
    SiteFactory,
    StaffProfileFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text)


def test_read_only_article_shows_no_form_only_fields(client_as):
    reader = UserFactory(is_staff=True)
    reader.user_permissions.set(
        Permission.objects.filter(codename__in=["view_article", "view_all_articles"])
    )
    article = ArticleFactory(body="<p>Текст</p>")

    response = client_as(reader).get(change_url(article))

    assert response.status_code == 200
    text = page_text(response)
    for leak in ("Workflow comment", "Base version", "None", "Комментарий к смене статуса"):
        assert leak not in text


def test_read_only_body_is_shown_as_readers_see_it(client_as, moderator):
    article = ArticleFactory(body="<p>Первый <strong>важный</strong> абзац.</p>")

    response = client_as(moderator).get(change_url(article))

    html = response.content.decode()
    assert '<div class="article-body-preview"><p>Первый <strong>важный</strong> абзац.</p>' in html
    assert "&lt;strong&gt;" not in html


def test_scheduling_says_when_the_article_comes_out(client_as, editor, desk_region):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None, regions=[desk_region])
    tomorrow = timezone.localtime() + timedelta(days=1)
    data = article_form_data(
        article.rubric,
        title=article.title,
        slug=article.slug,
        body=article.body,
        regions=[desk_region.pk],
        base_version=article.version,
        published_at_0=tomorrow.strftime("%d.%m.%Y"),
        published_at_1="09:30",
        _transition="publish",
    )

    response = client_as(editor).post(change_url(article), data)

    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert not any(message == "Опубликовано" for message in said), said
    assert any(
        message.startswith("Запланировано: выйдет ") and "09:30" in message for message in said
    )


def test_status_history_names_people_by_their_byline(client_as, superuser, moderator):
    moderator.staff_profile.public_name = "Мария Петрова"
    moderator.staff_profile.save()
    article = ArticleFactory(status=Article.Status.REVIEW)
    client = client_as(moderator)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk], "index": 0},
    )

    response = client_as(superuser).get(change_url(article))

    assert "Мария Петрова" in page_text(response)


def test_empty_trash_says_so(superuser_client):
    ArticleFactory()

    response = superuser_client.get(reverse("admin:articles_article_changelist") + "?trash=yes")

    assert re.search(r"<h1[^>]*>Корзина</h1>", response.content.decode())
    assert "Корзина пуста." in page_text(response)


def test_taggits_own_unused_tags_are_not_in_the_admin(superuser_client):
    response = superuser_client.get(reverse("admin:index"))

    assert "/admin/taggit/" not in response.content.decode()


def changelist_row(response, title: str) -> str:
    html = response.content.decode()
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    return next(row for row in rows if title in row)


def test_article_list_shows_a_status_badge_and_the_whole_title_on_hover(superuser_client):
    title = "Очень длинный заголовок о ремонте моста через реку Иня в Тогучинском районе"
    ArticleFactory(title=title, status=Article.Status.REVIEW)

    row = changelist_row(superuser_client.get(reverse("admin:articles_article_changelist")), title)

    assert '<span class="status-badge status-badge--review">на проверке</span>' in row
    assert f'title="{title}"' in row


def test_article_list_shows_the_cover_as_a_small_square_rendition(superuser_client):
    photo = PhotoFactory()
    make_renditions(photo)
    square = photo.renditions.filter(slot="1x1", format="jpeg").order_by("width").first()
    ArticleFactory(title="С фото", cover=photo)

    row = changelist_row(
        superuser_client.get(reverse("admin:articles_article_changelist")), "С фото"
    )

    assert f'src="{square.file.url}"' in row
    assert photo.file.url not in row


def test_article_list_keeps_a_place_for_a_missing_cover_in_a_way_django_6_accepts(
    superuser_client,
):
    ArticleFactory(title="Без фото", cover=None)

    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInDjango60Warning)
        response = superuser_client.get(reverse("admin:articles_article_changelist"))

    row = changelist_row(response, "Без фото")
    assert '<span class="list-thumbnail list-thumbnail--none"></span>' in row


def test_article_list_counts_the_other_sites_carrying_an_article(superuser_client):
    article = ArticleFactory(title="Новость сети")
    services.place_article(article=article, sites=SiteFactory.create_batch(3), user=None)

    row = changelist_row(
        superuser_client.get(reverse("admin:articles_article_changelist")), "Новость сети"
    )

    assert '<span class="list-more">+3</span>' in row


def test_article_list_queries_do_not_grow_with_covers_bylines_and_sites(
    superuser_client, django_assert_num_queries
):
    url = reverse("admin:articles_article_changelist")
    ArticleFactory(cover=PhotoFactory())
    with CaptureQueriesContext(connection) as one:
        superuser_client.get(url)
    for _ in range(4):
        article = ArticleFactory(cover=PhotoFactory(), authors=[StaffProfileFactory()])
        services.place_article(article=article, sites=[SiteFactory()], user=None)
    superuser_client.get(url)  # new sites: each process rereads the site map once
    with CaptureQueriesContext(connection) as five:
        superuser_client.get(url)

    assert len(five) == len(one)


def test_a_new_articles_byline_starts_with_its_writer(client_as, author):
    client = client_as(author)
    profile = author.staff_profile

    form = client.get(reverse("admin:articles_article_add"))
    response = client.post(
        reverse("admin:articles_article_add"),
        article_form_data(RubricFactory(), title="Про мост", bylines=[(profile, 0)]),
    )

    assert f'<option value="{profile.pk}" selected>{profile.public_name}</option>' in form.text
    assert response.status_code == 302
    article = Article.objects.get(title="Про мост")
    assert [byline.author for byline in article.bylines.all()] == [profile]


def test_the_article_form_keeps_publishing_and_settings_in_a_side_panel(client_as, editor):
    html = client_as(editor).get(reverse("admin:articles_article_add")).content.decode()

    main, side = html.split('<div class="article-layout__side">', 1)
    assert 'id="id_title"' in main and 'id="id_body"' in main
    assert '<div class="publish-box">' in side
    assert 'value="publish"' in side and 'name="_save"' in side
    for setting in ('id="id_published_at_0"', 'id="id_rubric"', 'id="id_regions"'):
        assert setting in side
    assert html.count('name="_save"') == 1


def test_the_publication_date_and_time_inputs_are_named(client_as, editor):
    html = client_as(editor).get(reverse("admin:articles_article_add")).content.decode()

    date = re.search(r'<input[^>]*id="id_published_at_0"[^>]*>', html).group()
    time = re.search(r'<input[^>]*id="id_published_at_1"[^>]*>', html).group()
    assert 'aria-label="Дата публикации"' in date
    assert 'aria-label="Время публикации"' in time
