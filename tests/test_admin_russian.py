"""The admin speaks of our models in correct Russian: «Добавить статью», «5 статей»,
«Статья «…» сохранена» — not Django's «Добавить статья», «5 статьи», «… был успешно добавлен»."""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Article, Rubric
from editorial.nouns import ARTICLE
from newsroom import admin as newsroom_admin
from regions.models import Region
from staff.admin import StaffProfileAdmin
from tests.admin_forms import article_form_data, change_url, run_action
from tests.factories import (
    ArticleFactory,
    RegionFactory,
    RubricFactory,
    SiteFactory,
    StaffProfileFactory,
)

pytestmark = pytest.mark.django_db


def title_of(response) -> str:
    return unescape(re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)[1])


def page_text(response) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def messages_of(response) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", str(m))) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 статей"),
        (1, "1 статья"),
        (2, "2 статьи"),
        (4, "4 статьи"),
        (5, "5 статей"),
        (11, "11 статей"),
        (12, "12 статей"),
        (14, "14 статей"),
        (21, "21 статья"),
        (22, "22 статьи"),
        (101, "101 статья"),
        (111, "111 статей"),
        (301, "301 статья"),
    ],
)
def test_a_count_takes_the_noun_in_the_form_its_number_needs(count, expected):
    assert ARTICLE.counted(count) == expected.replace(" ", "\N{NO-BREAK SPACE}")


def test_another_agrees_with_gender_and_animacy():
    staff = StaffProfileAdmin.noun
    assert ARTICLE.another() == "ещё одну статью"
    assert staff.another() == "ещё одного сотрудника"


def test_article_list_is_titled_and_counted_in_russian(superuser_client):
    ArticleFactory.create_batch(5)

    response = superuser_client.get(reverse("admin:articles_article_changelist"))

    assert title_of(response) == "Статьи"
    text = page_text(response)
    assert "Добавить статью" in text
    assert "5\N{NO-BREAK SPACE}статей" in text
    assert "Добавить статья" not in text
    assert "Выберите статья" not in text


def test_article_forms_are_titled_with_the_accusative(superuser_client):
    article = ArticleFactory()

    add = superuser_client.get(reverse("admin:articles_article_add"))
    change = superuser_client.get(change_url(article))

    assert title_of(add) == "Добавить статью"
    assert "Статьи › Добавить статью" in page_text(add)
    assert title_of(change) == "Изменить статью"


def test_saving_a_new_article_says_it_was_added(superuser_client):
    rubric = RubricFactory()

    response = superuser_client.post(
        reverse("admin:articles_article_add"), article_form_data(rubric, title="Мост открыт")
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Статья «Мост открыт» добавлена."]


def test_saving_an_article_and_continuing_says_so(superuser_client):
    article = ArticleFactory(title="Мост открыт")

    response = superuser_client.post(
        change_url(article),
        article_form_data(article.rubric, title="Мост открыт", _continue="1")
        | {"base_version": article.version},
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        "Статья «Мост открыт» сохранена. Можно продолжить правку ниже."
    ]


def test_adding_another_rubric_names_it_in_the_accusative(superuser_client):
    response = superuser_client.post(
        reverse("admin:articles_rubric_add"),
        {
            "name": "Спорт",
            "slug": "",
            "description": "",
            "order": 5,
            "default_age_mark": "12+",
            "is_active": "on",
            "_addanother": "1",
        },
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        "Рубрика «Спорт» добавлена. Ниже можно добавить ещё одну рубрику."
    ]


def test_deleting_a_rubric_asks_and_reports_in_russian(superuser_client):
    rubric = RubricFactory(name="Спорт")
    url = reverse("admin:articles_rubric_delete", args=[rubric.pk])

    confirmation = superuser_client.get(url)
    response = superuser_client.post(url, {"post": "yes"})

    assert "Удалить рубрику «Спорт»? Вместе с ней удалятся" in page_text(confirmation)
    assert messages_of(response) == ["Рубрика «Спорт» удалена."]
    assert not Rubric.objects.filter(pk=rubric.pk).exists()


def test_deleting_a_rubric_in_use_is_refused_in_russian(superuser_client):
    article = ArticleFactory()

    response = superuser_client.get(
        reverse("admin:articles_rubric_delete", args=[article.rubric.pk])
    )

    assert title_of(response) == "Нельзя удалить рубрику"
    assert f"Удалить рубрику «{article.rubric}» нельзя, пока на неё ссылаются" in page_text(
        response
    )


def test_saving_the_rubric_list_counts_the_rubrics_saved(superuser_client):
    first, second = RubricFactory(order=1), RubricFactory(order=2)
    data = {
        "form-TOTAL_FORMS": 2,
        "form-INITIAL_FORMS": 2,
        "form-0-id": first.pk,
        "form-0-order": 3,
        "form-0-is_active": "on",
        "form-1-id": second.pk,
        "form-1-order": 4,
        "form-1-is_active": "on",
        "_save": "Сохранить",
    }

    response = superuser_client.post(reverse("admin:articles_rubric_changelist"), data)

    assert messages_of(response) == ["Сохранено: 2\N{NO-BREAK SPACE}рубрики."]


def test_deleting_selected_regions_counts_them(superuser_client):
    regions = RegionFactory.create_batch(5)

    response = superuser_client.post(
        reverse("admin:regions_region_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in regions], "post": "yes"},
    )

    assert messages_of(response) == ["Удалено: 5\N{NO-BREAK SPACE}регионов."]
    assert not Region.objects.filter(pk__in=[r.pk for r in regions]).exists()


def test_the_delete_action_names_animate_nouns_in_the_accusative(superuser_client):
    StaffProfileFactory()
    response = superuser_client.get(reverse("admin:staff_staffprofile_changelist"))

    assert "Удалить выбранные сотрудников" in page_text(response)


def test_workflow_action_reports_its_count_in_russian(client_as, moderator):
    articles = ArticleFactory.create_batch(5, status=Article.Status.REVIEW)
    client = client_as(moderator)

    response = run_action(client, "publish", articles)

    assert "Опубликовано: 5\N{NO-BREAK SPACE}статей." in messages_of(response)


def test_picking_up_articles_counts_them_in_russian(superuser_client):
    oblast = SiteFactory(domain="oblast.example.ru")
    articles = ArticleFactory.create_batch(2, site=oblast)

    response = superuser_client.post(
        reverse("admin:editorial_networkarticle_changelist"),
        {"action": "pick_up", "_selected_action": [a.pk for a in articles], "rubric": ""},
    )

    assert any(
        message.endswith(": 2\N{NO-BREAK SPACE}статьи.") and message.startswith("Размещено")
        for message in messages_of(response)
    )


def our_model_admins():
    return [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, newsroom_admin.ModelAdmin)
    ]


OUR_APPS = {"articles", "editorial", "network", "photos", "regions", "staff"}


def test_every_model_of_ours_has_a_russian_admin():
    ours = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS
    ]

    assert ours
    assert all(isinstance(model_admin, newsroom_admin.ModelAdmin) for model_admin in ours)


def test_no_list_or_add_form_of_ours_puts_the_noun_in_the_wrong_case(superuser_client):
    ArticleFactory()
    for model_admin in our_model_admins():
        opts = model_admin.model._meta
        noun = model_admin.noun
        pages = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        if model_admin.has_add_permission(superuser_client.get("/").wsgi_request):
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        for url in pages:
            response = superuser_client.get(url)
            assert response.status_code == 200, url
            text = page_text(response)
            if noun.accusative != noun.one:
                for verb in ("Добавить", "Изменить", "Выберите"):
                    assert not re.search(rf"{verb} {noun.one}\b", text), (url, verb)
            assert f"Выберите {noun.one} для изменения" not in text, url


def test_the_task_queue_is_named_in_russian(superuser_client):
    index = superuser_client.get(reverse("admin:index"))
    tasks = superuser_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))

    assert "Фоновые задачи" in page_text(index)
    for english in ("Tasks Database Backend", "Task Results", "Task Result"):
        assert english not in page_text(index)
        assert english not in page_text(tasks)
