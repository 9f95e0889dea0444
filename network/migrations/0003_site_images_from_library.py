import django.db.models.deletion
from django.db import migrations, models
from PIL import Image as PillowImage


def measured(field_file) -> tuple[int, int]:
    """An image's size, read from its file's header; 0×0 when the file is gone or unreadable."""
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


def library_image(Image, alias, field_file, *, title, alt):
    """The library's photo holding this file: one already made for it (a file that is both
    logo and favicon becomes one photo, so deleting one use cannot remove the other's file),
    or a new one, with the file itself (not copied)."""
    image = Image.objects.using(alias).filter(file=field_file.name).first()
    if image is None:
        width, height = measured(field_file)
        image = Image.objects.using(alias).create(
            file=field_file.name,
            title=title[:255],
            alt=alt[:255],
            width=width,
            height=height,
            bytes=stored_bytes(field_file),
        )
    return image


def images_into_library(apps, schema_editor):
    """Every site's logo and favicon becomes a photo of the library; the site refers to it."""
    Site = apps.get_model("network", "Site")
    Image = apps.get_model("photos", "Image")
    alias = schema_editor.connection.alias
    for site in Site.objects.using(alias).order_by("pk"):
        if site.logo_file:
            site.logo = library_image(
                Image, alias, site.logo_file, title=f"Логотип: {site.name}", alt=site.name
            )
        if site.favicon_file:
            site.favicon = library_image(
                Image,
                alias,
                site.favicon_file,
                title=f"Значок сайта: {site.name}",
                alt=f"Значок сайта «{site.name}»",
            )
        site.save(update_fields=["logo", "favicon"])


def images_out_of_library(apps, schema_editor):
    """Back to plain file fields, naming the same files; the library keeps its photos."""
    Site = apps.get_model("network", "Site")
    alias = schema_editor.connection.alias
    for site in Site.objects.using(alias).select_related("logo", "favicon"):
        site.logo_file = site.logo.file.name if site.logo else ""
        site.favicon_file = site.favicon.file.name if site.favicon else ""
        site.save(update_fields=["logo_file", "favicon_file"])


def image_field(name, verbose_name, help_text):
    return models.ForeignKey(
        blank=True,
        help_text=help_text,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=name,
        to="photos.image",
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0002_default_site"),
        ("photos", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="site", old_name="logo", new_name="logo_file"),
        migrations.RenameField(model_name="site", old_name="favicon", new_name="favicon_file"),
        migrations.AddField(
            model_name="site",
            name="logo",
            field=image_field(
                "logo_of_sites",
                "логотип",
                "Из фотобиблиотеки, лучше PNG с прозрачным фоном; в шапке — высотой 48 точек. "
                "Пусто — название текстом.",
            ),
        ),
        migrations.AddField(
            model_name="site",
            name="favicon",
            field=image_field(
                "favicon_of_sites",
                "значок сайта",
                "Квадратная картинка из фотобиблиотеки, от 180×180 точек: значок во вкладке "
                "браузера и на экране телефона.",
            ),
        ),
        migrations.AddField(
            model_name="site",
            name="card_image",
            field=image_field(
                "card_of_sites",
                "картинка для соцсетей",
                "Показывается в соцсетях и мессенджерах для страниц и статей без фото "
                "(кадр 1200×630). Пусто — логотип.",
            ),
        ),
        migrations.RunPython(images_into_library, images_out_of_library, elidable=True),
    ]
