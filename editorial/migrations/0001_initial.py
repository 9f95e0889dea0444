import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep the content type (and the permissions and admin log entries pointing at it)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label="editorial", model="articletransition").exists():
        return
    ContentType.objects.using(db).filter(app_label="articles", model="articletransition").update(
        app_label="editorial"
    )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="editorial", model="articletransition"
    ).update(app_label="articles")


class Migration(migrations.Migration):
    """ArticleTransition, created by articles 0004, now belongs here: state only, same table."""

    initial = True

    dependencies = [
        ("articles", "0008_move_transitions_to_editorial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ArticleTransition",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("action", models.CharField(choices=[("submit", "отправлено на проверку"), ("publish", "опубликовано"), ("return", "возвращено автору"), ("unpublish", "снято с публикации"), ("trash", "перемещено в корзину"), ("restore", "восстановлено из корзины")], max_length=20, verbose_name="действие")),
                        ("from_status", models.CharField(choices=[("draft", "черновик"), ("review", "на проверке"), ("returned", "возвращено автору"), ("published", "опубликовано"), ("unpublished", "снято с публикации")], max_length=20, verbose_name="было")),
                        ("to_status", models.CharField(choices=[("draft", "черновик"), ("review", "на проверке"), ("returned", "возвращено автору"), ("published", "опубликовано"), ("unpublished", "снято с публикации")], max_length=20, verbose_name="стало")),
                        ("comment", models.TextField(blank=True, verbose_name="комментарий")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="когда")),
                        ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="transitions", to="articles.article", verbose_name="статья")),
                        ("user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="кто")),
                    ],
                    options={
                        "verbose_name": "шаг работы над статьёй",
                        "verbose_name_plural": "история статуса",
                        "db_table": "articles_articletransition",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
