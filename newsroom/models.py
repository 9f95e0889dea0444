"""Abstract models and choices shared by the apps."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.slugs import unique_slug


class AgeMark(models.TextChoices):
    """The five information-product marks of Federal Law 436-FZ."""

    ZERO = "0+", "0+"
    SIX = "6+", "6+"
    TWELVE = "12+", "12+"
    SIXTEEN = "16+", "16+"
    EIGHTEEN = "18+", "18+"


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        abstract = True


class SluggedModel(models.Model):
    """A Latin address made from the field named by `slug_source` when left empty.

    Kept in `save()` because it must hold for every write (admin, import, shell): a row without
    a slug would have no page.
    """

    slug_source: ClassVar[str] = "name"

    slug = models.SlugField(_("адрес"), max_length=100, unique=True, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), getattr(self, self.slug_source), exclude_pk=self.pk)
        super().save(*args, **kwargs)
