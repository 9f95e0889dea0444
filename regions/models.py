from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from newsroom.models import SluggedModel
from newsroom.slugs import slug_address


class RegionKind(models.TextChoices):
    COUNTRY = "country", _("страна")
    OBLAST = "oblast", _("область")
    CITY = "city", _("город")
    DISTRICT = "district", _("район")
    SETTLEMENT = "settlement", _("населённый пункт")


class RegionQuerySet(models.QuerySet):
    def with_descendants(self, *regions):
        """The regions and every region below them, at any depth, in one SQL subquery."""
        tree = RawSQL(
            "WITH RECURSIVE tree(id) AS ("
            " SELECT id FROM regions_region WHERE id = ANY(%s)"
            " UNION SELECT child.id FROM regions_region child"
            " JOIN tree ON child.parent_id = tree.id"
            ") SELECT id FROM tree",
            [[region.pk for region in regions]],
        )
        return self.filter(pk__in=tree)


class Region(SluggedModel):
    name = models.CharField(_("название"), max_length=200)
    kind = models.CharField(
        _("тип"), max_length=20, choices=RegionKind.choices, default=RegionKind.DISTRICT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("входит в"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_(
            "Область для района, район для села. Новости района видны на странице области."
        ),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("регион")
        verbose_name_plural = _("регионы")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="region_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_address("articles:region", self.slug)

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("Регион не может входить сам в себя.")})
            ancestor = ancestor.parent
