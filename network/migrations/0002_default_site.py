from django.db import migrations

from network.defaults import ensure_default_site


def create_default_site(apps, schema_editor):
    """The one site an installation had before the network: its imprint came from settings."""
    ensure_default_site(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(create_default_site, migrations.RunPython.noop)]
