from django.db import migrations

from staff import roles


def create_role_groups(apps, schema_editor):
    """Only the groups: their permissions are set after every `migrate` (staff.apps), when the
    models of every app, including those added after this migration, exist."""
    roles.create_role_groups(apps, using=schema_editor.connection.alias)


def remove_role_groups(apps, schema_editor):
    from staff.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0001_initial"),
        ("articles", "0004_workflow_trash_redirects"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
