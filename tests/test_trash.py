"""Deleting an article moves it to the trash; readers get 410; restoring and emptying work."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.admin_forms import run_action, snapshot
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


def test_deleting_in_the_admin_moves_the_article_to_the_trash(client, editor, desk_region):
    article = ArticleFactory(regions=[desk_region])
    client.force_login(editor)

    response = client.post(delete_url(article))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.deleted_at is not None
    assert article.deleted_by == editor


def test_delete_confirmation_says_the_article_goes_to_the_trash(client, editor, desk_region):
    article = ArticleFactory(regions=[desk_region])
    client.force_login(editor)

    response = client.get(delete_url(article))

    assert "корзину" in response.text
    assert Article.objects.not_trashed().filter(pk=article.pk).exists()


def test_readers_get_410_gone_for_a_trashed_article(client, editor, desk_region):
    article = ArticleFactory(regions=[desk_region])
    client.force_login(editor)
    client.post(delete_url(article))
    client.logout()

    response = client.get(article.get_absolute_url())

    assert response.status_code == 410
    assert article.title not in client.get("/").text


def test_trashed_articles_leave_the_list_and_wait_in_the_trash(client, editor, desk_region):
    article = ArticleFactory(title="Ушла в корзину", regions=[desk_region])
    client.force_login(editor)
    run_action(client, "move_to_trash", [article])
    changelist = reverse("admin:articles_article_changelist")

    assert "Ушла в корзину" not in client.get(changelist).text
    assert "Ушла в корзину" in client.get(changelist, {"trash": "yes"}).text


def test_editor_restores_an_article_from_the_trash(client, editor, desk_region):
    article = ArticleFactory(regions=[desk_region])
    client.force_login(editor)
    client.post(delete_url(article))

    client.post(reverse("admin:articles_article_restore", args=[article.pk]))

    article.refresh_from_db()
    assert article.deleted_at is None
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_restoring_is_a_post_only_action(client, editor, desk_region):
    article = ArticleFactory(regions=[desk_region])
    client.force_login(editor)
    client.post(delete_url(article))

    response = client.get(reverse("admin:articles_article_restore", args=[article.pk]))

    assert response.status_code == 403
    assert Article.objects.trashed().filter(pk=article.pk).exists()


def test_emptying_the_trash_asks_before_deleting(client, editor, desk_region):
    article = ArticleFactory(regions=[desk_region])
    client.force_login(editor)
    run_action(client, "move_to_trash", [article])

    response = run_action(client, "empty_trash", [article], in_trash=True)

    assert "Удалить навсегда" in response.text
    assert Article.objects.filter(pk=article.pk).exists()


def test_confirmed_emptying_deletes_for_good(client, editor, desk_region):
    article = ArticleFactory(regions=[desk_region])
    client.force_login(editor)
    run_action(client, "move_to_trash", [article])

    client.post(
        reverse("admin:articles_article_changelist") + "?trash=yes",
        {"action": "empty_trash", "_selected_action": [article.pk], "confirmed": "yes"},
    )

    assert not Article.objects.filter(pk=article.pk).exists()


def test_emptying_the_trash_never_deletes_a_live_article(client, editor, desk_region):
    article = ArticleFactory(regions=[desk_region])
    client.force_login(editor)

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "empty_trash", "_selected_action": [article.pk], "confirmed": "yes"},
    )

    assert Article.objects.not_trashed().filter(pk=article.pk).exists()


def test_author_bins_own_draft_but_not_a_published_article(client, author):
    draft = ArticleFactory(created_by=author, status=Article.Status.DRAFT, published_at=None)
    published = ArticleFactory(created_by=author)
    before = snapshot(published)
    client.force_login(author)

    client.post(delete_url(draft))
    response = client.post(delete_url(published))

    assert Article.objects.trashed().filter(pk=draft.pk).exists()
    assert response.status_code == 403
    assert snapshot(published) == before


def test_author_cannot_empty_the_trash(client, author):
    draft = ArticleFactory(created_by=author, status=Article.Status.DRAFT, published_at=None)
    client.force_login(author)
    client.post(delete_url(draft))

    client.post(
        reverse("admin:articles_article_changelist") + "?trash=yes",
        {"action": "empty_trash", "_selected_action": [draft.pk], "confirmed": "yes"},
    )

    assert Article.objects.trashed().filter(pk=draft.pk).exists()
