from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("network", "0003_site_images_from_library")]

    operations = [
        migrations.RemoveField(model_name="site", name="logo_file"),
        migrations.RemoveField(model_name="site", name="favicon_file"),
    ]
