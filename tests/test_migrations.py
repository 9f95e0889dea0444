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


BEFORE_THE_NETWORK = [("articles", "0009_site_rubric_menu"), ("network", "0002_default_site")]
AFTER_THE_NETWORK = ("articles", "0011_article_site_required")


def test_existing_articles_go_to_the_default_site_and_are_placed_there(migrator):
    old = migrator.apply_initial_migration(BEFORE_THE_NETWORK)
    Rubric = old.apps.get_model("articles", "Rubric")
    Article = old.apps.get_model("articles", "Article")
    rubric = Rubric.objects.create(name="Общество", slug="obshchestvo")
    published = Article.objects.create(
        title="Мост открыт",
        slug="most-otkryt",
        excerpt="Мост открыт",
        rubric=rubric,
        status="published",
        published_at=timezone.now(),
        is_featured=True,
    )
    draft = Article.objects.create(title="Черновик", slug="chernovik", excerpt="", rubric=rubric)

    new = migrator.apply_tested_migration(AFTER_THE_NETWORK)

    Site = new.apps.get_model("network", "Site")
    Placement = new.apps.get_model("articles", "Placement")
    default = Site.objects.get(is_default=True)
    placements = {p.article_id: p for p in Placement.objects.all()}
    assert set(
        new.apps.get_model("articles", "Article").objects.values_list("site", flat=True)
    ) == {default.pk}
    assert placements[published.pk].is_listed and placements[published.pk].is_featured
    assert placements[published.pk].rubric_id == rubric.pk
    assert not placements[draft.pk].is_listed


BEFORE_THE_LIBRARY = [("articles", "0011_article_site_required"), ("photos", "0001_initial")]
AFTER_THE_LIBRARY = ("articles", "0012_article_cover_from_library")


def test_covers_move_into_the_library_with_their_file_and_words(migrator):
    old = migrator.apply_initial_migration(BEFORE_THE_LIBRARY)
    Site = old.apps.get_model("network", "Site")
    Rubric = old.apps.get_model("articles", "Rubric")
    Article = old.apps.get_model("articles", "Article")
    rubric = Rubric.objects.create(name="Общество", slug="obshchestvo")
    covered = Article.objects.create(
        title="Мост открыт",
        slug="most-otkryt",
        excerpt="",
        rubric=rubric,
        site=Site.objects.get(is_default=True),
        cover_image="covers/2026/11/most.jpg",
        cover_alt="Новый мост через Иню",
        cover_caption="Мост в день открытия",
        cover_credit="Фото: пресс-служба",
        cover_width=1600,
        cover_height=900,
        cover_bytes=345678,
    )
    bare = Article.objects.create(
        title="Без фото",
        slug="bez-foto",
        excerpt="",
        rubric=rubric,
        site=Site.objects.get(is_default=True),
    )

    new = migrator.apply_tested_migration(AFTER_THE_LIBRARY)

    Article = new.apps.get_model("articles", "Article")
    image = Article.objects.get(pk=covered.pk).cover
    assert (image.file.name, image.alt, image.caption, image.credit) == (
        "covers/2026/11/most.jpg",
        "Новый мост через Иню",
        "Мост в день открытия",
        "Фото: пресс-служба",
    )
    assert (image.width, image.height, image.bytes) == (1600, 900, 345678)
    assert Article.objects.get(pk=bare.pk).cover is None
