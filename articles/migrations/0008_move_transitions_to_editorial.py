from django.db import migrations


class Migration(migrations.Migration):
    """ArticleTransition moves to the editorial app; its table and rows stay where they are."""

    dependencies = [("articles", "0007_search_terms")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ArticleTransition")],
            database_operations=[],
        )
    ]
