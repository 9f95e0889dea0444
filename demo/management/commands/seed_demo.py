import secrets
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, Rubric
from demo import content as demo
from demo import library
from demo.logos import letter_icon, text_logo
from editorial import services
from editorial.importing import ImportRejected, import_articles
from editorial.models import ArticleTransition
from network.models import IMPRINT_FIELDS, Site
from network.services import add_site, save_site
from photos.models import Image
from photos.services import add_image
from photos.uploads import check_upload
from regions.models import Region, RegionKind
from regions.services import ensure_region
from staff.models import StaffProfile
from staff.roles import AUTHORS, EDITORS, MODERATORS

ADMIN_USERNAME = "admin"
# Where `make run` serves a site: the default one also at 127.0.0.1, *.localhost in browsers.
SITE_URL = "http://{domain}:8000"


def _admin_url() -> str:
    return SITE_URL.format(domain="127.0.0.1") + reverse("admin:index")


# One demo login per role, tied to a demo staff profile, to try the workflow from each side.
DEMO_TEAM = [
    ("author", AUTHORS, "Дмитрий Шестаков"),
    ("editor", EDITORS, "Игорь Лаптев"),
    ("moderator", MODERATORS, "Ольга Юдина"),
]


class Command(BaseCommand):
    help = (
        "Fill an empty site with synthetic demo content (regions, rubrics, staff, articles, "
        "district sites carrying the oblast's news) through the article import and the "
        "services, and make sure the demo admin exists. Safe to run on every start: a site that "
        "already has articles is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count",
            type=int,
            default=demo.DEFAULT_COUNT,
            help="how many generated articles the oblast site gets (the district sites' own and "
            "the network news come on top)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help="random seed; the same seed gives the same articles",
        )

    def handle(self, *args, count, seed, **options):
        if count < 1:
            raise CommandError(_("--count должен быть больше нуля."))
        admin = ensure_admin()
        self.admin_password = admin.password
        existing = Article.objects.count()
        if existing:
            self.stdout.write(
                _("На сайте уже есть статьи (%(count)s) — демо-контент не добавляется.")
                % {"count": existing}
            )
        else:
            self.seed(count=count, seed=seed, user=admin.user)
        self.stdout.write(admin.message)

    def seed(self, *, count, seed, user):
        started = timezone.now()
        try:
            records = demo.demo_records(count=count, seed=seed, now=started)
        except ValueError as error:
            raise CommandError(str(error)) from error
        try:
            with transaction.atomic():
                seed_regions()
                seed_rubrics()
                photos = seed_photos(user=user)
                districts = seed_sites(photos=photos, user=user)
                seed_staff()
                result = import_articles(lines=demo.record_lines(records), user=user)
                give_covers(articles=result.created, photos=photos, user=user)
                place_network_news(articles=result.created, sites=districts, user=user)
                seed_team(password=self.admin_password)
                send_drafts_for_review(user=user)
        except ImportRejected as rejected:
            raise CommandError(
                _("Демо-контент не прошёл импорт:\n%(problems)s") % {"problems": rejected}
            ) from rejected
        seconds = (timezone.now() - started).total_seconds()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Демо-контент создан за %(seconds).1f с: статей — %(articles)s, "
                    "регионов — %(regions)s, рубрик — %(rubrics)s, сотрудников — %(staff)s."
                )
                % {
                    "seconds": seconds,
                    "articles": len(result.created),
                    "regions": Region.objects.count(),
                    "rubrics": len(demo.RUBRICS),
                    "staff": len(demo.STAFF),
                }
            )
        )
        self.stdout.write(_sites_line())


def seed_regions() -> None:
    """Build the region tree before the import, which would otherwise put every name at the
    top level."""
    country = ensure_region(name=demo.COUNTRY, kind=RegionKind.COUNTRY)
    oblast = ensure_region(name=demo.OBLAST, kind=RegionKind.OBLAST, parent=country)
    ensure_region(name=demo.CITY, kind=RegionKind.CITY, parent=oblast)
    districts = {
        name: ensure_region(name=f"{name} район", kind=RegionKind.DISTRICT, parent=oblast)
        for name, _where, _of in demo.DISTRICTS
    }
    for name, district, _where, _of in demo.SETTLEMENTS:
        ensure_region(name=name, kind=RegionKind.SETTLEMENT, parent=districts[district])


def seed_rubrics() -> None:
    for rubric in demo.RUBRICS:
        Rubric.objects.get_or_create(
            name=rubric.name,
            defaults={
                "order": rubric.order,
                "default_age_mark": rubric.default_age_mark,
                "description": rubric.description,
            },
        )


def seed_photos(*, user) -> dict[str, Image]:
    """The demo's photographs, added to the library as an editor uploads them (checked,
    credited, queued for renditions). Returns them by file name."""
    return {
        photo.file: add_image(
            photo=check_upload(ContentFile(photo.path.read_bytes(), name=photo.file)),
            title=photo.title,
            alt=photo.alt,
            caption=photo.caption,
            credit=photo.credit,
            focal_x=photo.focal_x,
            focal_y=photo.focal_y,
            user=user,
        )
        for photo in library.PHOTOS
    }


def drawn_image(content: bytes | None, *, name: str, title: str, alt: str, user) -> Image | None:
    """A logo or icon drawn for the demo, added to the library; None when it could not be
    drawn."""
    if content is None:
        return None
    return add_image(
        photo=check_upload(ContentFile(content, name=name)), title=title, alt=alt, user=user
    )


def seed_sites(*, photos: dict[str, Image], user) -> list[Site]:
    """The default site becomes the oblast's; each district newspaper gets its own site, with
    its imprint, a logo and an icon drawn from its name, and a photo as its card image for
    social networks. Returns the district sites."""
    cards = iter(library.CARD_IMAGES)
    oblast_site = Site.objects.get(is_default=True)
    oblast_site.region = Region.objects.get(name=demo.OBLAST)
    oblast_site.card_image = photos[next(cards)]
    oblast_site.favicon = drawn_image(
        letter_icon(oblast_site.name, oblast_site.accent_colour),
        name="icon.png",
        title=_("Значок сайта: %(site)s") % {"site": oblast_site.name},
        alt=_("Значок сайта «%(site)s»") % {"site": oblast_site.name},
        user=user,
    )
    save_site(site=oblast_site)
    districts = []
    for newspaper in demo.SITES:
        site, _created = add_site(
            domain=newspaper.domain,
            name=newspaper.name,
            region_name=f"{newspaper.district} район",
            age_mark=newspaper.age_mark,
        )
        for name in IMPRINT_FIELDS:
            setattr(site, name, getattr(newspaper, name))
        site.accent_colour = newspaper.accent_colour
        site.logo = drawn_image(
            text_logo(site.name, site.accent_colour),
            name="logo.png",
            title=_("Логотип: %(site)s") % {"site": site.name},
            alt=site.name,
            user=user,
        )
        site.favicon = drawn_image(
            letter_icon(site.name, site.accent_colour),
            name="icon.png",
            title=_("Значок сайта: %(site)s") % {"site": site.name},
            alt=_("Значок сайта «%(site)s»") % {"site": site.name},
            user=user,
        )
        site.card_image = photos[next(cards)]
        districts.append(save_site(site=site))
    return districts


def give_covers(*, articles, photos: dict[str, Image], user) -> None:
    """Two of every three published articles of each site, the newest first, get one of the
    photos as their cover, in turn (each site starting at another one, so neighbouring cards
    differ); the rest stay without one, as many news items do, and are shared with their
    site's card image."""
    covers = list(photos.values())
    published = Article.objects.filter(
        pk__in=[article.pk for article in articles], status=Article.Status.PUBLISHED
    ).order_by("site", "-published_at")
    by_site: dict[int, list[Article]] = {}
    for article in published:
        by_site.setdefault(article.site_id, []).append(article)
    for offset, site_articles in enumerate(by_site.values()):
        covered = [a for index, a in enumerate(site_articles) if index % 3 != 2]
        for turn, article in enumerate(covered, start=offset * 2):
            article.cover = covers[turn % len(covers)]
            services.save_article(article=article, user=user, revision_comment=_("Главное фото"))


def seed_staff() -> None:
    for person in demo.STAFF:
        profile, created = StaffProfile.objects.get_or_create(
            public_name=person.public_name,
            defaults={"position": person.position, "bio": person.bio},
        )
        if created and person.desk_districts:
            names = [f"{district} район" for district in person.desk_districts]
            profile.desk_regions.set(Region.objects.filter(name__in=names))
        if created and person.desk_sites:
            # The oblast's site too, where the review queue of the demo is.
            sites = Site.objects.filter(is_default=True) | Site.objects.filter(
                domain__in=person.desk_sites
            )
            profile.sites.set(sites)


def place_network_news(*, articles, sites, user) -> None:
    """The oblast's network news on every district site, under «Новости региона» there."""
    rubric = Rubric.objects.get(name=demo.NETWORK_RUBRIC)
    titles = {news.title for news in demo.NETWORK_NEWS}
    for article in articles:
        if article.title in titles:
            services.place_article(article=article, sites=sites, user=user, rubric=rubric)


def send_drafts_for_review(*, user):
    """Half of the drafts wait in the review queue, so a moderator has something to approve."""
    drafts = list(Article.objects.filter(status=Article.Status.DRAFT))
    for article in drafts[: len(drafts) // 2]:
        services.take_step(article=article, action=ArticleTransition.Action.SUBMIT, user=user)


def seed_team(*, password):
    """Role accounts sharing the demo admin's password; skipped when that password is unknown."""
    if password is None:
        return
    for username, role, public_name in DEMO_TEAM:
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True}
        )
        if not created:
            continue
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.filter(public_name=public_name, user=None).update(user=user)


class AdminAccount(NamedTuple):
    user: object
    message: str
    password: str | None = None


def ensure_admin() -> AdminAccount:
    """The demo superuser, and a line telling how to log in as it.

    A new password is written to .devdata (git-ignored) so that later runs can print it again;
    an existing account's password is never changed.
    """
    password_file = settings.BASE_DIR / ".devdata" / "demo-admin-password"
    user = get_user_model().objects.filter(username=ADMIN_USERNAME).first()
    if user is None:
        password = secrets.token_urlsafe(12)
        user = get_user_model().objects.create_superuser(
            username=ADMIN_USERNAME, email="", password=password
        )
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.touch(mode=0o600)
        password_file.write_text(password + "\n", encoding="utf-8")
        return AdminAccount(user, _login_line(password), password)
    if password_file.exists():
        password = password_file.read_text(encoding="utf-8").strip()
        if user.check_password(password):
            return AdminAccount(user, _login_line(password), password)
    return AdminAccount(
        user,
        _(
            "Админка: %(url)s  логин: %(username)s  пароль прежний (эта команда его не "
            "меняет); задать новый: python manage.py changepassword %(username)s"
        )
        % {"url": _admin_url(), "username": ADMIN_USERNAME},
    )


def _sites_line() -> str:
    addresses = [
        f"{SITE_URL.format(domain='127.0.0.1' if site.is_default else site.domain)} — {site.name}"
        for site in Site.objects.all()
    ]
    return _("Сайты сети: %(sites)s.") % {"sites": "; ".join(addresses)}


def _login_line(password: str) -> str:
    return _(
        "Админка: %(url)s  логин: %(username)s  пароль: %(password)s\n"
        "С тем же паролем: %(team)s (автор, редактор Тогучинского, Болотнинского и "
        "Мошковского районов, модератор)."
    ) % {
        "url": _admin_url(),
        "username": ADMIN_USERNAME,
        "password": password,
        "team": ", ".join(username for username, _role, _name in DEMO_TEAM),
    }
