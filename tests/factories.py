from datetime import timedelta
from io import BytesIO

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import AgeMark, Article, Rubric
from editorial import services
from network.models import Site
from network.services import save_site
from photos.models import Image as Photo
from regions.models import Region, RegionKind
from staff.models import StaffProfile


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.ru")
    password = factory.django.Password("correct-horse-battery")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Район {n}")
    kind = RegionKind.DISTRICT


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    public_name = factory.Sequence(lambda n: f"Автор Номер {n}")
    position = "Корреспондент"


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rubric

    name = factory.Sequence(lambda n: f"Рубрика {n}")
    default_age_mark = AgeMark.TWELVE


class SiteFactory(factory.django.DjangoModelFactory):
    """A district newspaper's site, saved through `network.services.save_site`."""

    class Meta:
        model = Site

    domain = factory.Sequence(lambda n: f"district{n}.example.ru")
    name = factory.Sequence(lambda n: f"Районная газета № {n}")
    founder = "Администрация района"
    editor_in_chief = "Иванова И. И."
    registration = "Эл № ФС77-00000 от 01.01.2020, Роскомнадзор"
    email = "news@example.ru"
    phone = "+7 383 000-00-00"
    address = "Новосибирская обл., ул. Ленина, 1"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return save_site(site=model_class(*args, **kwargs))


class PhotoFactory(factory.django.DjangoModelFactory):
    """A photo of the library with a real JPEG file (1200 px wide unless `file` says else)."""

    class Meta:
        model = Photo

    file = factory.LazyFunction(lambda: image_file("photo.jpg"))
    title = factory.Sequence(lambda n: f"Фото {n}")
    alt = "Комбайн в поле"
    bytes = factory.LazyAttribute(lambda photo: photo.file.size)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article from an hour ago; pass status/published_at for other states.

    Saved through `editorial.services.save_article`, like every article, with its `regions`,
    `tags` and `authors` (the byline, in order) when given.
    """

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Новость номер {n} о жизни района")
    lead = "Короткий лид новости."
    body = "<p>Текст новости о событиях в районе.</p>"
    rubric = factory.SubFactory(RubricFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @classmethod
    def _create(
        cls, model_class, *args, regions=None, tags=None, authors=None, user=None, **kwargs
    ):
        return services.save_article(
            article=model_class(*args, **kwargs),
            user=user,
            regions=regions,
            tags=tags,
            authors=authors,
        )


def save_changes(article, *, user=None, regions=None, tags=None, authors=None, **changes):
    """Change the article's fields and save it through the service, as the admin does."""
    for name, value in changes.items():
        setattr(article, name, value)
    return services.save_article(
        article=article, user=user, regions=regions, tags=tags, authors=authors
    )


def image_file(name: str, width: int = 1200) -> SimpleUploadedFile:
    """A real JPEG upload of the given width (half as high), for cover images."""
    image = BytesIO()
    Image.new("RGB", (width, width // 2), "navy").save(image, "JPEG")
    return SimpleUploadedFile(name, image.getvalue(), content_type="image/jpeg")


def staff_member(role, *, desk_regions=(), sites=(), **user_fields):
    """A staff user in one of the role groups (staff.roles), with a byline profile, desk and
    sites (none: the default site)."""
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, **user_fields)
    user.groups.add(Group.objects.get(name=role))
    profile = StaffProfileFactory(user=user, public_name=f"Сотрудник {user.username}")
    profile.desk_regions.set(desk_regions)
    profile.sites.set(sites)
    return user
