from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.models import SluggedModel
from newsroom.slugs import slug_address


class StaffProfile(SluggedModel):
    """A person who signs articles; not every author has an admin login."""

    slug_source = "public_name"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("учётная запись"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_profile",
        help_text=_("Пусто для внештатных авторов, которые не входят в админку."),
    )
    public_name = models.CharField(_("имя в подписи"), max_length=150, unique=True)
    position = models.CharField(_("должность"), max_length=150, blank=True)
    photo = models.ForeignKey(
        "photos.Image",
        verbose_name=_("фото"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_profiles",
        help_text=_("Из фотобиблиотеки; на странице автора — квадратом."),
    )
    bio = models.TextField(_("о себе"), blank=True)
    desk_regions = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("регионы редакции"),
        blank=True,
        related_name="desk_staff",
        help_text=_("Районы, за которые отвечает сотрудник."),
    )
    sites = models.ManyToManyField(
        "network.Site",
        verbose_name=_("сайты редакции"),
        blank=True,
        related_name="staff",
        help_text=_(
            "Сайты, для которых сотрудник пишет и редактирует. Пусто — сайт по умолчанию. "
            "Редакции сети доступны все сайты."
        ),
    )

    class Meta:
        verbose_name = _("сотрудник")
        verbose_name_plural = _("сотрудники")
        ordering = ["public_name"]

    def __str__(self):
        return self.public_name

    def get_absolute_url(self):
        return slug_address("articles:author", self.slug)
