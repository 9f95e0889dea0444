from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("staff", "0004_staffprofile_photo_from_library")]

    operations = [migrations.RemoveField(model_name="staffprofile", name="photo_file")]
