"""Migrating a database that holds data from the schema before the apps were cut by concern."""

import pytest
from django.utils import timezone

# The last migrations of the schema where the workflow's log still belonged to `articles`.
BEFORE_THE_CUT = [
    ("articles", "0007_search_terms"),
    ("staff", "0002_role_groups"),
    ("auth", "0012_alter_user_first_name_max_length"),
    ("contenttypes", "0002_remove_content_type_name"),
]
AFTER_THE_CUT = ("editorial", "0001_initial")


@pytest.fixture
def populated_old_schema(migrator):
    """An article with two workflow steps and a group allowed to view them, in the old schema."""
    old = migrator.apply_initial_migration(BEFORE_THE_CUT)
    ContentType = old.apps.get_model("contenttypes", "ContentType")
    Permission = old.apps.get_model("auth", "Permission")
    Group = old.apps.get_model("auth", "Group")
    Rubric = old.apps.get_model("articles", "Rubric")
    Article = old.apps.get_model("articles", "Article")
    ArticleTransition = old.apps.get_model("articles", "ArticleTransition")

    content_type = ContentType.objects.create(app_label="articles", model="articletransition")
    permission = Permission.objects.create(
        content_type=content_type, codename="view_articletransition", name="Can view"
    )
    group, _ = Group.objects.get_or_create(name="Авторы")
    group.permissions.add(permission)
    rubric = Rubric.objects.create(name="Общество", slug="obshchestvo")
    article = Article.objects.create(
        title="Мост открыт",
        slug="most-otkryt",
        excerpt="Мост открыт",
        rubric=rubric,
        status="published",
        published_at=timezone.now(),
    )
    for action, before, after in [
        ("submit", "draft", "review"),
        ("publish", "review", "published"),
    ]:
        ArticleTransition.objects.create(
            article=article, action=action, from_status=before, to_status=after, comment=action
        )
    return {"article": article.pk, "content_type": content_type.pk, "permission": permission.pk}


def test_workflow_log_keeps_its_rows_when_it_moves_to_editorial(migrator, populated_old_schema):
    new = migrator.apply_tested_migration(AFTER_THE_CUT)

    ArticleTransition = new.apps.get_model("editorial", "ArticleTransition")
    steps = ArticleTransition.objects.order_by("pk")
    assert [(step.action, step.article_id) for step in steps] == [
        ("submit", populated_old_schema["article"]),
        ("publish", populated_old_schema["article"]),
    ]


def test_workflow_log_keeps_its_permissions_and_the_groups_holding_them(
    migrator, populated_old_schema
):
    new = migrator.apply_tested_migration(AFTER_THE_CUT)

    ContentType = new.apps.get_model("contenttypes", "ContentType")
    Group = new.apps.get_model("auth", "Group")
    content_type = ContentType.objects.get(pk=populated_old_schema["content_type"])
    assert (content_type.app_label, content_type.model) == ("editorial", "articletransition")
    assert list(Group.objects.get(name="Авторы").permissions.values_list("pk", "content_type")) == [
        (populated_old_schema["permission"], content_type.pk)
    ]


def test_migrating_back_returns_the_workflow_log_to_articles(migrator, populated_old_schema):
    migrator.apply_tested_migration(AFTER_THE_CUT)

    old = migrator.apply_tested_migration(BEFORE_THE_CUT)

    ArticleTransition = old.apps.get_model("articles", "ArticleTransition")
    ContentType = old.apps.get_model("contenttypes", "ContentType")
    assert ArticleTransition.objects.count() == 2
    assert ContentType.objects.get(pk=populated_old_schema["content_type"]).app_label == "articles"
