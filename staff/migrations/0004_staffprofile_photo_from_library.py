import django.db.models.deletion
from django.db import migrations, models
from PIL import Image as PillowImage


def measured(field_file) -> tuple[int, int]:
    """A photo's size, read from its file's header; 0×0 when the file is gone or unreadable."""
    try:
        with field_file.storage.open(field_file.name) as handle:
            return PillowImage.open(handle).size
    except (OSError, ValueError, PillowImage.DecompressionBombError):
        return 0, 0


def stored_bytes(field_file) -> int:
    try:
        return field_file.storage.size(field_file.name)
    except (OSError, NotImplementedError):
        return 0


def photos_into_library(apps, schema_editor):
    """Every staff photo becomes a photo of the library, with its file (not copied); the
    profile then refers to it."""
    StaffProfile = apps.get_model("staff", "StaffProfile")
    Image = apps.get_model("photos", "Image")
    alias = schema_editor.connection.alias
    for profile in StaffProfile.objects.using(alias).exclude(photo_file="").order_by("pk"):
        image = Image.objects.using(alias).filter(file=profile.photo_file.name).first()
        if image is None:
            width, height = measured(profile.photo_file)
            image = Image.objects.using(alias).create(
                file=profile.photo_file.name,
                title=profile.public_name[:255],
                alt=profile.public_name[:255],
                width=width,
                height=height,
                bytes=stored_bytes(profile.photo_file),
                uploaded_by_id=profile.user_id,
            )
        profile.photo = image
        profile.save(update_fields=["photo"])


def photos_out_of_library(apps, schema_editor):
    """Back to a plain file field, naming the same files; the library keeps its photos."""
    StaffProfile = apps.get_model("staff", "StaffProfile")
    alias = schema_editor.connection.alias
    for profile in StaffProfile.objects.using(alias).filter(photo__isnull=False):
        profile.photo_file = profile.photo.file.name
        profile.save(update_fields=["photo_file"])


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0003_staffprofile_sites"),
        ("photos", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="staffprofile", old_name="photo", new_name="photo_file"),
        migrations.AddField(
            model_name="staffprofile",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                help_text="Из фотобиблиотеки; на странице автора — квадратом.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="staff_profiles",
                to="photos.image",
                verbose_name="фото",
            ),
        ),
        migrations.RunPython(photos_into_library, photos_out_of_library, elidable=True),
    ]
