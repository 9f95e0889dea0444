from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import AgeMark, Article, Tag
from editorial import services
from editorial.importing import import_articles
from editorial.revisions import recording
from tests.admin_forms import article_form_data
from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    RegionFactory,
    RubricFactory,
    StaffProfileFactory,
    UserFactory,
    save_changes,
)

pytestmark = pytest.mark.django_db

OLD_BODY = "<p>Мост откроют в пятницу.</p><p>Движение пустят сразу.</p>"
NEW_BODY = "<p>Мост откроют в субботу.</p><p>Движение пустят сразу.</p>"


def history_url(article):
    return reverse("admin:articles_article_revisions", args=[article.pk])


def compare(client, article, old, new):
    return client.get(
        reverse("admin:articles_article_revisions_compare", args=[article.pk]),
        {"old": old, "new": new},
    )


def restore_url(article, revision_id):
    return reverse("admin:articles_article_revision_restore", args=[article.pk, revision_id])


def revision_ids(article):
    """The article's revisions, oldest first."""
    versions = Version.objects.get_for_object(article).order_by("revision__date_created")
    return list(versions.values_list("revision_id", flat=True))


def save_revision(article, *, user=None, comment="", tags=None, **changes):
    """Change and save the article through the service, which records one revision."""
    for name, value in changes.items():
        setattr(article, name, value)
    services.save_article(article=article, user=user, tags=tags, revision_comment=comment)
    return revision_ids(article)[-1]


def post_back(client, url, page, rubric, **fields):
    """Post an opened article form back with `fields`, as an editor's browser does.

    Inlines the test does not fill in are posted empty, so their rows stay as they are.
    """
    data = article_form_data(
        rubric, base_version=page.context["adminform"].form["base_version"].value(), **fields
    )
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.setdefault(f"{prefix}-TOTAL_FORMS", 0)
        data.setdefault(f"{prefix}-INITIAL_FORMS", 0)
    return client.post(url, data)


def post_form(client, url, rubric, **fields):
    response = post_back(client, url, client.get(url), rubric, **fields)
    assert response.status_code == 302, response.context["errors"]
    return response


def post_change(client, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return post_form(client, url, article.rubric, slug=article.slug, **changes)


@pytest.fixture
def edited_article(superuser):
    """A draft saved twice: the bridge opens on Friday, then on Saturday."""
    with recording(user=superuser, comment="Первая версия"):
        article = ArticleFactory(
            title="Мост откроют в пятницу",
            lead="Старый лид про мост.",
            body=OLD_BODY,
            status=Article.Status.DRAFT,
            published_at=None,
        )
    save_revision(
        article,
        user=superuser,
        comment="Перенесли открытие",
        title="Мост откроют в субботу",
        lead="Новый лид про мост.",
        body=NEW_BODY,
    )
    return article


def test_each_admin_save_records_a_revision_by_its_user(superuser_client, superuser):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    post_change(superuser_client, article, title="Первая правка")
    post_change(superuser_client, article, title="Вторая правка")

    versions = Version.objects.get_for_object(article).filter(revision__user=superuser)
    versions = versions.order_by("pk")
    assert [v.field_dict["title"] for v in versions] == ["Первая правка", "Вторая правка"]
    assert {v.revision.user for v in versions} == {superuser}
    assert "Заголовок" in versions[1].revision.get_comment()


def test_admin_add_records_the_first_revision(superuser_client):
    post_form(superuser_client, reverse("admin:articles_article_add"), RubricFactory())

    article = Article.objects.get()
    assert len(revision_ids(article)) == 1


def test_admin_list_action_records_a_revision_named_after_its_step(superuser_client):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    superuser_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "submit_for_review", "_selected_action": [article.pk]},
    )

    version = Version.objects.get_for_object(article).filter(revision__user__isnull=False).get()
    assert version.field_dict["status"] == Article.Status.REVIEW
    assert version.revision.get_comment() == "Отправлено на проверку"


def test_revision_keeps_bylines_and_tags(superuser):
    first, second = StaffProfileFactory(), StaffProfileFactory()
    with recording(user=superuser):
        article = ArticleFactory(authors=[second, first], tags=["мост"])

    version = Version.objects.get_for_object(article).get()
    stored = {v.content_type.model for v in version.revision.version_set.all()}
    assert {"article", "articleauthor", "taggedarticle", "tag"} <= stored


def test_history_page_lists_revisions_with_user_comment_and_version(
    superuser_client, edited_article
):
    other = ArticleFactory(title="Чужая статья")
    save_revision(other, comment="Правка чужой статьи")

    response = superuser_client.get(history_url(edited_article))

    assert response.status_code == 200
    assert "Первая версия" in response.text
    assert "Перенесли открытие" in response.text
    assert "Правка чужой статьи" not in response.text
    assert "chief" in response.text
    assert [row["number"] for row in response.context["rows"]] == [2, 1]


def test_history_page_queries_do_not_grow_with_revisions(
    superuser_client, superuser, edited_article, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as two_revisions:
        superuser_client.get(history_url(edited_article))
    for number in range(10):
        save_revision(edited_article, user=superuser, title=f"Заголовок {number}")

    with django_assert_num_queries(len(two_revisions)):
        superuser_client.get(history_url(edited_article))


def test_change_form_links_to_the_history(superuser_client, edited_article):
    response = superuser_client.get(
        reverse("admin:articles_article_change", args=[edited_article.pk])
    )

    assert history_url(edited_article) in response.text


def test_compare_marks_removed_and_added_words_of_title_lead_and_body(
    superuser_client, edited_article
):
    old, new = revision_ids(edited_article)

    response = compare(superuser_client, edited_article, old, new)

    assert response.status_code == 200
    assert response.text.count("<del>пятницу</del><ins>субботу</ins>") == 2
    assert "<del>Старый</del><ins>Новый</ins> лид про мост." in response.text
    assert "Движение пустят сразу." in response.text


def test_compare_orders_the_revisions_oldest_first(superuser_client, edited_article):
    old, new = revision_ids(edited_article)

    response = compare(superuser_client, edited_article, new, old)

    assert "<del>Старый</del><ins>Новый</ins>" in response.text


def test_compare_shows_article_text_as_text(superuser_client, superuser):
    with recording(user=superuser):
        article = ArticleFactory(title='<script>alert("x")</script> Мост')
    save_revision(article, title="Мост через Обь открыт", lead="<img src=x onerror=alert(1)>")
    old, new = revision_ids(article)

    response = compare(superuser_client, article, old, new)

    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert "<del>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Мост</del>" in response.text
    assert "<ins>&lt;img src=x onerror=alert(1)&gt;</ins>" in response.text


def test_compare_lists_other_changed_fields(superuser_client, superuser):
    with recording(user=superuser):
        article = ArticleFactory(rubric=RubricFactory(name="Общество"))
    save_revision(article, rubric=RubricFactory(name="Экономика"), tags=["мост"])
    old, new = revision_ids(article)

    response = compare(superuser_client, article, old, new)

    changes = {
        change.label: (change.old, change.new)
        for change in response.context["comparison"].other_changes
    }
    assert changes == {"рубрика": ("Общество", "Экономика"), "теги": ("", "мост")}


def test_compare_with_another_articles_revision_is_404(superuser_client, edited_article):
    other = ArticleFactory()
    foreign = save_revision(other, title="Чужая")

    response = compare(superuser_client, edited_article, foreign, revision_ids(edited_article)[-1])

    assert response.status_code == 404


@pytest.mark.parametrize("bad_id", ["", "abc", "999999", "1.5", "-1", "9" * 30])
def test_compare_with_a_bad_revision_id_is_404(superuser_client, edited_article, bad_id):
    response = compare(superuser_client, edited_article, bad_id, revision_ids(edited_article)[-1])

    assert response.status_code == 404


def test_djangos_history_button_opens_the_articles_one_history(superuser_client, edited_article):
    response = superuser_client.get(
        reverse("admin:articles_article_history", args=[edited_article.pk])
    )

    assert response.status_code == 302
    assert response.url == history_url(edited_article)


def test_history_of_a_missing_article_is_404(superuser_client):
    response = superuser_client.get(reverse("admin:articles_article_revisions", args=[999999]))

    assert response.status_code == 404


def test_restore_puts_the_old_content_back(superuser_client, superuser):
    rubric, region = RubricFactory(name="Общество"), RegionFactory(name="Бердск")
    author = StaffProfileFactory(public_name="Ирина Петрова")
    old_photo = PhotoFactory(title="Старое фото")
    with recording(user=superuser):
        article = ArticleFactory(
            title="Старый заголовок",
            lead="Старый лид.",
            body=OLD_BODY,
            cover=old_photo,
            source_name="ТАСС",
            rubric=rubric,
            regions=[region],
            tags=["мост"],
            authors=[author],
        )
    old = revision_ids(article)[0]
    save_changes(
        article,
        user=superuser,
        title="Новый",
        lead="Новый лид.",
        body=NEW_BODY,
        cover=PhotoFactory(title="Новое фото"),
        source_name="",
        rubric=RubricFactory(name="Экономика"),
        regions=[RegionFactory(name="Обь")],
        tags=["дороги"],
        authors=[StaffProfileFactory()],
    )

    response = superuser_client.post(restore_url(article, old))

    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert (article.title, article.lead, article.body) == (
        "Старый заголовок",
        "Старый лид.",
        OLD_BODY,
    )
    assert (article.cover, article.source_name) == (old_photo, "ТАСС")
    assert article.rubric == rubric
    assert list(article.regions.all()) == [region]
    assert list(article.tags.names()) == ["мост"]
    assert [byline.author for byline in article.bylines.all()] == [author]


def test_restore_keeps_status_publication_time_address_and_age_mark(superuser_client, superuser):
    with recording(user=superuser):
        article = ArticleFactory(
            title="Черновик", status=Article.Status.DRAFT, published_at=None, age_mark=AgeMark.SIX
        )
    draft = revision_ids(article)[0]
    published_at = timezone.now() - timedelta(hours=2)
    save_revision(
        article,
        title="Вышло",
        slug="vyshlo",
        status=Article.Status.PUBLISHED,
        published_at=published_at,
        age_mark=AgeMark.SIXTEEN,
    )

    superuser_client.post(restore_url(article, draft))

    article.refresh_from_db()
    assert article.title == "Черновик"
    assert (article.status, article.published_at) == (Article.Status.PUBLISHED, published_at)
    assert (article.slug, article.age_mark) == ("vyshlo", AgeMark.SIXTEEN)


def test_restore_raises_the_version_and_records_a_revision(
    superuser_client, superuser, edited_article
):
    old = revision_ids(edited_article)[0]
    version_before = Article.objects.get(pk=edited_article.pk).version

    superuser_client.post(restore_url(edited_article, old))

    article = Article.objects.get(pk=edited_article.pk)
    assert article.version == version_before + 1
    latest = Version.objects.get_for_object(article).order_by("-pk").first()
    assert latest.field_dict["title"] == "Мост откроют в пятницу"
    assert latest.field_dict["version"] == article.version
    assert latest.revision.user == superuser
    assert latest.revision.comment.startswith("Восстановлено из версии от ")


def test_form_opened_before_a_restore_is_refused(superuser_client, edited_article):
    url = reverse("admin:articles_article_change", args=[edited_article.pk])
    opened = superuser_client.get(url)
    superuser_client.post(restore_url(edited_article, revision_ids(edited_article)[0]))

    response = post_back(
        superuser_client,
        url,
        opened,
        edited_article.rubric,
        title="Правка поверх",
        slug=edited_article.slug,
    )

    assert response.status_code == 200
    assert Article.objects.get(pk=edited_article.pk).title == "Мост откроют в пятницу"


def test_restore_brings_back_a_tag_deleted_since(superuser_client, superuser):
    with recording(user=superuser):
        article = ArticleFactory(tags=["мост"])
    old = revision_ids(article)[0]
    save_revision(article, tags=[])
    Tag.objects.filter(name="мост").delete()

    superuser_client.post(restore_url(article, old))

    assert list(article.tags.names()) == ["мост"]


def test_restore_of_another_articles_revision_is_404_and_changes_nothing(
    superuser_client, edited_article
):
    other = ArticleFactory(title="Чужая статья")
    foreign = save_revision(other, title="Чужая статья, правка")

    response = superuser_client.post(restore_url(edited_article, foreign))

    assert response.status_code == 404
    article = Article.objects.get(pk=edited_article.pk)
    assert (article.title, article.version) == (edited_article.title, edited_article.version)


@pytest.mark.parametrize("bad_id", [999999, int("9" * 30)])
def test_restore_of_a_missing_revision_is_404(superuser_client, edited_article, bad_id):
    response = superuser_client.post(restore_url(edited_article, bad_id))

    assert response.status_code == 404


def test_get_on_the_restore_address_changes_nothing(superuser_client, edited_article):
    revisions_before = revision_ids(edited_article)

    response = superuser_client.get(restore_url(edited_article, revisions_before[0]))

    assert response.status_code == 405
    article = Article.objects.get(pk=edited_article.pk)
    assert (article.title, article.version) == (edited_article.title, edited_article.version)
    assert revision_ids(article) == revisions_before


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    return user


def test_user_who_may_only_view_cannot_restore(client_as, edited_article):
    client = client_as(staff_with("view_article", "view_all_articles"))

    response = client.post(restore_url(edited_article, revision_ids(edited_article)[0]))

    assert response.status_code == 403
    assert Article.objects.get(pk=edited_article.pk).title == edited_article.title


def test_user_who_may_only_view_sees_history_without_restore_buttons(client_as, edited_article):
    client = client_as(staff_with("view_article", "view_all_articles"))

    response = client.get(history_url(edited_article))

    assert response.status_code == 200
    assert "Перенесли открытие" in response.text
    assert "/revert/" not in response.text


def test_user_who_may_not_view_the_article_cannot_see_its_history(client_as, edited_article):
    client = client_as(staff_with("view_all_articles"))

    assert client.get(history_url(edited_article)).status_code == 403
    old, new = revision_ids(edited_article)
    assert compare(client, edited_article, old, new).status_code == 403


def test_import_records_a_revision_with_its_user(superuser):
    line = (
        '{"title": "Импортная новость", "rubric": "Общество", "tags": ["мост"],'
        ' "authors": ["Ирина Петрова"]}'
    )

    import_articles(lines=[line], user=superuser)

    version = Version.objects.get_for_object(Article.objects.get()).get()
    assert (version.revision.user, version.revision.comment) == (superuser, "Импорт")
    stored = {v.content_type.model for v in version.revision.version_set.all()}
    assert {"articleauthor", "taggedarticle"} <= stored


def test_desk_editor_cannot_restore_an_article_out_of_their_desk(client, editor, desk_region):
    elsewhere = RegionFactory(name="Здвинский район")
    article = ArticleFactory(title="Было", regions=[elsewhere])
    first = save_revision(article)
    article.regions.set([desk_region])
    save_revision(article, title="Стало")
    client.force_login(editor)

    client.post(restore_url(article, first))

    article.refresh_from_db()
    assert article.title == "Было"
    assert list(article.regions.all()) == [desk_region]
