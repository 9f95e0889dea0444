from datetime import timedelta
from io import BytesIO

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import AgeMark, Article, ArticleAuthor, Rubric
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


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article from an hour ago; pass status/published_at for other states."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Новость номер {n} о жизни района")
    lead = "Короткий лид новости."
    body = "<p>Текст новости о событиях в районе.</p>"
    rubric = factory.SubFactory(RubricFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for order, author in enumerate(extracted):
                ArticleAuthor.objects.create(article=self, author=author, order=order)


def image_file(name: str, width: int = 1200) -> SimpleUploadedFile:
    """A real JPEG upload of the given width (half as high), for cover images."""
    image = BytesIO()
    Image.new("RGB", (width, width // 2), "navy").save(image, "JPEG")
    return SimpleUploadedFile(name, image.getvalue(), content_type="image/jpeg")


def staff_member(role, *, desk_regions=(), **user_fields):
    """A staff user in one of the role groups (staff.roles), with a byline profile and desk."""
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, **user_fields)
    user.groups.add(Group.objects.get(name=role))
    profile = StaffProfileFactory(user=user, public_name=f"Сотрудник {user.username}")
    profile.desk_regions.set(desk_regions)
    return user
