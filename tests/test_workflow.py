"""The editorial workflow driven through the admin as each role: what is allowed works, and
whatever is not allowed, crafted POSTs included, fails and leaves the database as it was."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from editorial.models import ArticleTransition
from staff.roles import AUTHORS, EDITORS, MODERATORS
from tests.admin_forms import article_form_data, change_url, run_action, snapshot
from tests.factories import ArticleFactory, RegionFactory, RubricFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def zdvinsk():
    """A district outside `editor`'s desk."""
    return RegionFactory(name="Здвинский район")


def draft_by(user, **fields):
    fields = {"status": Status.DRAFT, "published_at": None} | fields
    return ArticleFactory(created_by=user, **fields)


def post_change(client, article, **changes):
    """Post the article's change form back as it stands, with `changes` on top."""
    article.refresh_from_db()
    data = article_form_data(
        article.rubric,
        title=article.title,
        slug=article.slug,
        lead=article.lead,
        body=article.body,
        regions=[region.pk for region in article.regions.all()],
        base_version=article.version,
    )
    return client.post(change_url(article), data | changes)


# Roles


def test_migrations_create_the_three_role_groups():
    permissions = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }

    assert "add_article" in permissions[AUTHORS]
    assert "publish_article" not in permissions[AUTHORS]
    assert "change_rubric" not in permissions[AUTHORS]
    assert "publish_article" in permissions[EDITORS]
    assert {"review_article", "set_age_mark", "change_rubric"} <= permissions[MODERATORS]


def test_author_adds_an_article_as_a_draft_of_their_own(client, author):
    client.force_login(author)
    rubric = RubricFactory()

    response = client.post(reverse("admin:articles_article_add"), article_form_data(rubric))

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.created_by) == (Status.DRAFT, author)


def test_author_sends_a_new_article_for_review_from_the_add_form(client, author):
    client.force_login(author)
    data = article_form_data(RubricFactory(), _transition="submit")

    response = client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.created_by) == (Status.REVIEW, author)
    assert article.transitions.get().action == ArticleTransition.Action.SUBMIT


def test_author_sends_own_draft_for_review(client, author):
    article = draft_by(author)
    client.force_login(author)

    response = post_change(client, article, _transition="submit")

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    step = article.transitions.get()
    assert (step.user, step.from_status, step.to_status) == (author, Status.DRAFT, Status.REVIEW)


def test_author_cannot_publish_with_a_crafted_status_field(client, author):
    article = draft_by(author)
    before = snapshot(article)
    client.force_login(author)

    response = post_change(client, article, status=Status.PUBLISHED, title="Изменено")

    assert response.status_code == 200
    assert snapshot(article) == before


def test_author_cannot_publish_with_a_crafted_transition(client, author):
    article = draft_by(author)
    before = snapshot(article)
    client.force_login(author)

    response = post_change(client, article, _transition="publish", title="Изменено")

    assert response.status_code == 200
    assert "нет права" in response.text
    assert snapshot(article) == before
    assert not ArticleTransition.objects.exists()


def test_author_cannot_publish_through_the_list_action(client, author):
    article = draft_by(author)
    before = snapshot(article)
    client.force_login(author)

    run_action(client, "publish", [article])

    assert snapshot(article) == before


def test_author_does_not_see_others_articles(client, author):
    draft_by(author, title="Моя заметка")
    ArticleFactory(title="Чужая заметка", status=Status.DRAFT, published_at=None)
    client.force_login(author)

    response = client.get(reverse("admin:articles_article_changelist"))

    assert "Моя заметка" in response.text
    assert "Чужая заметка" not in response.text


def test_author_cannot_change_someone_elses_article(client, author):
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    before = snapshot(article)
    client.force_login(author)

    post_change(client, article, title="Подменённый заголовок")

    assert snapshot(article) == before


def test_author_cannot_edit_own_article_while_it_is_in_review(client, author):
    article = draft_by(author, status=Status.REVIEW)
    before = snapshot(article)
    client.force_login(author)

    response = post_change(client, article, title="Правка на проверке")

    assert response.status_code == 403
    assert snapshot(article) == before


def test_author_cannot_set_the_age_mark(client, author):
    article = draft_by(author, age_mark="12+")
    client.force_login(author)

    post_change(client, article, age_mark="18+")

    article.refresh_from_db()
    assert article.age_mark == "12+"


def test_author_cannot_manage_rubrics(client, author):
    client.force_login(author)

    response = client.post(reverse("admin:articles_rubric_add"), {"name": "Своя рубрика"})

    assert response.status_code == 403


def test_editor_publishes_an_article_of_their_desk(client, editor, desk_region):
    article = ArticleFactory(status=Status.REVIEW, published_at=None, regions=[desk_region])
    client.force_login(editor)

    post_change(client, article, _transition="publish")

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.is_published
    assert client.get(article.get_absolute_url()).status_code == 200


def test_editor_schedules_an_article_for_later(client, editor, desk_region):
    article = ArticleFactory(status=Status.DRAFT, published_at=None, regions=[desk_region])
    later = timezone.localtime() + timedelta(days=1)
    client.force_login(editor)

    post_change(
        client,
        article,
        _transition="publish",
        published_at_0=later.strftime("%d.%m.%Y"),
        published_at_1=later.strftime("%H:%M:%S"),
    )

    article.refresh_from_db()
    assert article.is_scheduled
    assert client.get(article.get_absolute_url()).status_code == 404


def test_editor_cannot_publish_an_article_only_of_another_desk(client, editor, zdvinsk):
    article = ArticleFactory(status=Status.REVIEW, published_at=None, regions=[zdvinsk])
    before = snapshot(article)
    client.force_login(editor)

    post_change(client, article, _transition="publish")
    run_action(client, "publish", [article])

    assert snapshot(article) == before


def test_editor_cannot_publish_by_moving_an_article_into_their_desk(client, editor, zdvinsk):
    article = ArticleFactory(status=Status.REVIEW, published_at=None, regions=[zdvinsk])
    before = snapshot(article)
    client.force_login(editor)

    post_change(client, article, _transition="publish", regions=[RegionFactory().pk])

    assert snapshot(article) == before


def test_editor_of_a_region_may_publish_articles_of_places_within_it(client, editor, desk_region):
    village = RegionFactory(name="Горный", parent=RegionFactory(parent=desk_region))
    article = ArticleFactory(status=Status.DRAFT, published_at=None, regions=[village])
    client.force_login(editor)

    run_action(client, "publish", [article])

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_editor_without_desk_regions_may_publish_anything(client, editor_without_desk, zdvinsk):
    article = ArticleFactory(status=Status.DRAFT, published_at=None, regions=[zdvinsk])
    client.force_login(editor_without_desk)

    run_action(client, "publish", [article])

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_editor_cannot_move_a_desk_article_out_of_their_desk(client, editor, desk_region, zdvinsk):
    article = ArticleFactory(status=Status.DRAFT, published_at=None, regions=[desk_region])
    before = snapshot(article)
    client.force_login(editor)

    response = post_change(client, article, regions=[zdvinsk.pk])

    assert "регион вашей редакции" in response.text
    assert snapshot(article) == before


def test_editor_sees_but_cannot_edit_articles_of_another_desk(client, editor, zdvinsk):
    article = ArticleFactory(status=Status.DRAFT, published_at=None, regions=[zdvinsk])
    client.force_login(editor)

    page = client.get(change_url(article))
    response = post_change(client, article, title="Чужая правка")

    assert page.status_code == 200
    assert 'name="title"' not in page.text
    assert response.status_code == 403


def test_editor_unpublishes_and_readers_lose_the_page(client, editor, desk_region):
    article = ArticleFactory(regions=[desk_region])
    client.force_login(editor)

    run_action(client, "unpublish", [article])

    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_editor_sends_an_unpublished_correction_back_through_review(client, editor, desk_region):
    article = ArticleFactory(status=Status.UNPUBLISHED, regions=[desk_region])
    client.force_login(editor)

    response = post_change(client, article, title="Исправленный заголовок", _transition="submit")

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.title) == (Status.REVIEW, "Исправленный заголовок")
    assert article.transitions.get().from_status == Status.UNPUBLISHED


def test_moderator_approves_an_article_in_review(client, moderator, zdvinsk):
    article = ArticleFactory(status=Status.REVIEW, published_at=None, regions=[zdvinsk])
    client.force_login(moderator)

    run_action(client, "publish", [article])

    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.transitions.get().user == moderator


def test_moderator_cannot_publish_a_draft_that_skipped_review(client, moderator):
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    before = snapshot(article)
    client.force_login(moderator)

    run_action(client, "publish", [article])

    assert snapshot(article) == before


def test_moderator_returns_an_article_with_a_comment_the_author_sees(client, moderator, author):
    article = draft_by(author, status=Status.REVIEW)
    client.force_login(moderator)

    run_action(client, "return_to_author", [article], comment="Уточните цифры во втором абзаце")

    article.refresh_from_db()
    assert article.status == Status.RETURNED
    client.force_login(author)
    assert "Уточните цифры во втором абзаце" in client.get(change_url(article)).text


def test_returning_an_article_needs_a_comment(client, moderator):
    article = ArticleFactory(status=Status.REVIEW, published_at=None)
    before = snapshot(article)
    client.force_login(moderator)

    response = post_change(client, article, _transition="return", workflow_comment=" ")

    assert "что исправить" in response.text
    assert snapshot(article) == before


def test_moderator_sets_the_age_mark_but_not_the_text(client, moderator):
    article = ArticleFactory(title="Исходный заголовок", age_mark="12+")
    client.force_login(moderator)

    post_change(client, article, age_mark="18+", title="Заголовок модератора")

    article.refresh_from_db()
    assert (article.age_mark, article.title) == ("18+", "Исходный заголовок")


def test_moderator_manages_rubrics(client, moderator):
    client.force_login(moderator)

    response = client.post(
        reverse("admin:articles_rubric_add"),
        {"name": "Актуально", "slug": "", "order": 1, "default_age_mark": "12+", "is_active": "on"},
    )

    assert response.status_code == 302


def test_review_queue_lists_only_articles_in_review(client, moderator):
    ArticleFactory(title="Ждёт проверки", status=Status.REVIEW, published_at=None)
    ArticleFactory(title="Ещё черновик", status=Status.DRAFT, published_at=None)
    client.force_login(moderator)

    response = client.get(reverse("admin:articles_article_changelist"), {"status": "review"})

    assert "Ждёт проверки" in response.text
    assert "Ещё черновик" not in response.text


def test_change_page_shows_the_last_step_and_the_history_every_step(
    client, author, editor, desk_region
):
    article = draft_by(author, regions=[desk_region])
    client.force_login(author)
    post_change(client, article, _transition="submit")
    client.force_login(editor)
    post_change(client, article, _transition="publish")

    page = client.get(change_url(article)).text
    history = client.get(reverse("admin:articles_article_revisions", args=[article.pk])).text

    assert "Последний шаг" in page and "опубликовано" in page
    assert "отправлено на проверку" in history and "опубликовано" in history
    assert author.staff_profile.public_name in history
    assert editor.staff_profile.public_name in history


def test_change_page_tells_who_else_has_the_article_open(client, superuser, editor, desk_region):
    article = ArticleFactory(regions=[desk_region])
    client.force_login(superuser)
    client.get(change_url(article))
    client.force_login(editor)

    page = client.get(change_url(article)).text

    assert "Сейчас эту статью также открыли" in page
    assert "chief" in page


def test_article_list_links_to_the_review_queue_with_its_size(client, moderator):
    ArticleFactory.create_batch(2, status=Status.REVIEW, published_at=None)
    ArticleFactory(status=Status.DRAFT, published_at=None)
    client.force_login(moderator)

    response = client.get(reverse("admin:articles_article_changelist"))

    assert "На проверке: 2" in response.text
    assert "?status__exact=review" in response.text


def test_moderator_is_not_offered_the_writers_actions(client, moderator):
    ArticleFactory()
    client.force_login(moderator)

    actions = client.get(reverse("admin:articles_article_changelist")).context["action_form"]

    offered = {value for value, _label in actions.fields["action"].choices}
    assert {"publish", "return_to_author"} <= offered
    assert not offered & {"submit_for_review", "move_to_trash", "restore_from_trash"}
