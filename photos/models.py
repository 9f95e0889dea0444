"""The media library: photos uploaded once and used by articles, sites and staff pages."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.models import TimestampedModel

FOCUS = [MinValueValidator(0.0), MaxValueValidator(1.0)]


def photo_path(instance: "Image", filename: str) -> str:
    """A name the server chooses: the uploader's file name never reaches the disk or a URL."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"photos/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def rendition_path(instance: "Rendition", filename: str) -> str:
    return f"renditions/{instance.image_id}/{filename}"


class Image(TimestampedModel):
    """A photo of the library, stored as uploaded after its checks: re-encoded, oriented, and
    stripped of EXIF and GPS data, so that it can be shown until its renditions exist."""

    file = models.ImageField(
        _("файл"), upload_to=photo_path, width_field="width", height_field="height", max_length=255
    )
    title = models.CharField(_("название"), max_length=255)
    alt = models.CharField(
        _("описание для незрячих"),
        max_length=255,
        help_text=_("Что на фото, одной фразой: его читают программы экранного доступа."),
    )
    caption = models.CharField(_("подпись"), max_length=300, blank=True)
    credit = models.CharField(
        _("автор фото"), max_length=150, blank=True, help_text=_("Например: «Фото: ТАСС».")
    )
    width = models.PositiveIntegerField(_("ширина"), editable=False, default=0)
    height = models.PositiveIntegerField(_("высота"), editable=False, default=0)
    bytes = models.PositiveBigIntegerField(_("размер, байт"), editable=False, default=0)
    focal_x = models.FloatField(
        _("фокус по горизонтали"),
        default=0.5,
        validators=FOCUS,
        help_text=_("0 — левый край, 1 — правый; кадрирование держит эту точку в кадре."),
    )
    focal_y = models.FloatField(
        _("фокус по вертикали"),
        default=0.5,
        validators=FOCUS,
        help_text=_("0 — верх, 1 — низ."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("загрузил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("фотография")
        verbose_name_plural = _("фотографии")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def thumbnail_url(self) -> str:
        """The smallest square JPEG rendition (320 px, a few KB), or the upload until the worker
        has made it: admin lists show dozens at once. Reads prefetched `renditions`."""
        squares = [
            rendition
            for rendition in self.renditions.all()
            if rendition.slot == "1x1" and rendition.format == Rendition.Format.JPEG
        ]
        if not squares:
            return self.file.url
        return min(squares, key=lambda rendition: rendition.width).file.url


class Rendition(models.Model):
    """One size of a photo in one format, made by the worker (`photos.tasks`)."""

    class Format(models.TextChoices):
        AVIF = "avif", "AVIF"
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    image = models.ForeignKey(
        Image, verbose_name=_("фотография"), on_delete=models.CASCADE, related_name="renditions"
    )
    slot = models.CharField(
        _("пропорции"),
        max_length=20,
        help_text=_("«original» — пропорции фото, иначе кадр: «16x9», «1x1», «og»."),
    )
    format = models.CharField(_("формат"), max_length=4, choices=Format.choices)
    width = models.PositiveIntegerField(_("ширина"))
    height = models.PositiveIntegerField(_("высота"))
    file = models.FileField(_("файл"), upload_to=rendition_path, max_length=255)
    bytes = models.PositiveBigIntegerField(_("размер, байт"), default=0)

    class Meta:
        verbose_name = _("вариант фотографии")
        verbose_name_plural = _("варианты фотографий")
        ordering = ["slot", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "slot", "format", "width"], name="rendition_unique_size"
            )
        ]

    def __str__(self):
        return f"{self.image} — {self.slot} {self.width}×{self.height} {self.format}"
