"""The sites of the network: the oblast's news site and each district newspaper's."""

import re

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from newsroom.models import AgeMark, TimestampedModel

HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
ACCENT_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Цвет в виде #RRGGBB, например #0b4f8a."))
# The imprint of Mass Media Law art. 27, besides the name.
IMPRINT_FIELDS = ("founder", "editor_in_chief", "registration", "email", "phone", "address")
DIGITS = RegexValidator(r"^[0-9]+$", _("Номер счётчика — только цифры."))


def validate_host(value: str) -> None:
    if not HOST.match(normalise_host(value)):
        raise ValidationError(
            _(
                "«%(value)s» — не домен: нужен адрес без http:// и пути, "
                "например toguchin.example.ru."
            ),
            params={"value": value},
            code="invalid_host",
        )


def normalise_host(host: str) -> str:
    """Lower case, no trailing dot, and Cyrillic domains (.рф) in their ASCII (punycode) form."""
    host = host.strip().lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def cache_partition(site_id: int) -> str:
    """The page cache's partition of a site's pages (`newsroom.pagecache`)."""
    return f"site-{site_id}"


class SiteQuerySet(models.QuerySet):
    def with_host(self, host: str) -> "SiteQuerySet":
        """The site answering at this host: its domain or one of its aliases."""
        host = normalise_host(host)
        return self.filter(Q(domain=host) | Q(aliases__contains=[host]))

    def for_host_map(self) -> "SiteQuerySet":
        """Every site as each process keeps it (`network.hosts`): with its region, and its
        logo, favicon and card image with their renditions, which every page shows."""
        return self.select_related("region", "logo", "favicon", "card_image").prefetch_related(
            "logo__renditions", "favicon__renditions", "card_image__renditions"
        )


class Site(TimestampedModel):
    """One news site of the network, with its own address, imprint (Mass Media Law art. 27) and
    age mark."""

    domain = models.CharField(
        _("домен"),
        max_length=253,
        unique=True,
        validators=[validate_host],
        help_text=_("Основной адрес сайта, например toguchin.example.ru; ссылки ведут на него."),
    )
    aliases = ArrayField(
        models.CharField(max_length=253, validators=[validate_host]),
        verbose_name=_("другие домены"),
        blank=True,
        default=list,
        help_text=_("Через запятую: адреса, по которым сайт тоже открывается (например, www.…)."),
    )
    name = models.CharField(_("название издания"), max_length=200)
    is_default = models.BooleanField(
        _("сайт по умолчанию"),
        default=False,
        help_text=_("Открывается по адресам из ALLOWED_HOSTS, не принадлежащим другим сайтам."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("регион"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
        help_text=_("Область для сайта области, район для районной газеты."),
    )
    age_mark = models.CharField(
        _("возрастная маркировка сайта"),
        max_length=3,
        choices=AgeMark.choices,
        default=AgeMark.SIXTEEN,
    )
    founder = models.CharField(_("учредитель"), max_length=300)
    editor_in_chief = models.CharField(_("главный редактор"), max_length=200)
    registration = models.CharField(
        _("регистрация"),
        max_length=300,
        help_text=_("Кем и когда зарегистрировано, номер свидетельства, например «Эл № ФС77-…»."),
    )
    email = models.EmailField(_("эл. почта редакции"))
    phone = models.CharField(_("телефон редакции"), max_length=50)
    address = models.CharField(_("адрес редакции"), max_length=300)
    # PROTECT, as for article covers: a photo that a site shows cannot be deleted from the
    # library under it (`photos.services.delete_image` says which sites use it).
    logo = models.ForeignKey(
        "photos.Image",
        verbose_name=_("логотип"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="logo_of_sites",
        help_text=_(
            "Из фотобиблиотеки, лучше PNG с прозрачным фоном; в шапке — высотой 48 точек. "
            "Пусто — название текстом."
        ),
    )
    favicon = models.ForeignKey(
        "photos.Image",
        verbose_name=_("значок сайта"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="favicon_of_sites",
        help_text=_(
            "Квадратная картинка из фотобиблиотеки, от 180×180 точек: значок во вкладке "
            "браузера и на экране телефона."
        ),
    )
    card_image = models.ForeignKey(
        "photos.Image",
        verbose_name=_("картинка для соцсетей"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="card_of_sites",
        help_text=_(
            "Показывается в соцсетях и мессенджерах для страниц и статей без фото "
            "(кадр 1200×630). Пусто — логотип."
        ),
    )
    accent_colour = models.CharField(
        _("фирменный цвет"), max_length=7, default="#0b4f8a", validators=[ACCENT_COLOUR]
    )
    metrika_counter = models.CharField(
        _("счётчик Яндекс.Метрики"), max_length=20, blank=True, validators=[DIGITS]
    )
    vk_url = models.URLField(_("страница ВКонтакте"), blank=True)
    telegram_url = models.URLField(_("канал в Telegram"), blank=True)
    ok_url = models.URLField(_("страница в Одноклассниках"), blank=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("сайт")
        verbose_name_plural = _("сайты")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="site_one_default",
                violation_error_message=_(
                    "Сайт по умолчанию может быть только один: сначала снимите отметку у другого."
                ),
            )
        ]
        indexes = [
            GinIndex(fields=["aliases"], name="site_aliases_idx"),
        ]

    def __str__(self):
        return self.name

    def build_url(self, path: str, *, scheme: str = "https", port: str = "") -> str:
        """An absolute address on this site's main domain."""
        return f"{scheme}://{self.domain}{':' + port if port else ''}{path}"

    def clean(self):
        """Domains are stored normalised, and no address may answer for two sites."""
        self.domain = normalise_host(self.domain)
        self.aliases = list(dict.fromkeys(normalise_host(alias) for alias in self.aliases))
        self.aliases = [alias for alias in self.aliases if alias and alias != self.domain]
        hosts = [self.domain, *self.aliases]
        others = Site.objects.exclude(pk=self.pk)
        taken = sorted(
            host
            for host in hosts
            if others.filter(Q(domain=host) | Q(aliases__contains=[host])).exists()
        )
        if taken:
            raise ValidationError(
                {
                    "aliases" if self.domain not in taken else "domain": _(
                        "Эти адреса уже у другого сайта: %(hosts)s."
                    )
                    % {"hosts": ", ".join(taken)}
                }
            )
