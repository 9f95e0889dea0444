"""Every article has a primary site once 0010 has given the existing ones the default site.

A migration of its own: PostgreSQL refuses to change a table that has deferred constraint
checks pending from the same transaction's UPDATE.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_placements"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="site",
            field=models.ForeignKey(
                help_text="Сайт, чья редакция ведёт статью; её канонический адрес — на нём. "
                "На другие сайты статья попадает размещениями.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="network.site",
                verbose_name="основной сайт",
            ),
        ),
        ]
