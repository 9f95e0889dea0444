"""Photo renditions: sizes, formats and focal-point crops; the worker; the `{% picture %}` tag."""

import io

import lxml.html
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.template import engines
from django_tasks_db.models import DBTaskResult
from PIL import Image as PILImage
from PIL import ImageChops, ImageDraw

from photos.models import Image
from photos.renditions import crop_box, delete_renditions, make_renditions
from photos.tasks import enqueue_renditions
from photos.templatetags.photos import og_image_url

RED = (230, 20, 20)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
    return tmp_path


def jpeg(width, height, block=None):
    """A grey-green photo; `block` is a red square's centre (x, y) and half-side."""
    picture = PILImage.new("RGB", (width, height), (90, 120, 100))
    if block:
        x, y, half = block
        ImageDraw.Draw(picture).rectangle((x - half, y - half, x + half, y + half), fill=RED)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def photo(width=2400, height=1600, block=None, **fields):
    fields = {"title": "Мост через Иню", "alt": "Мост через Иню весной"} | fields
    return Image.objects.create(
        file=ContentFile(jpeg(width, height, block), name="x.jpg"), **fields
    )


def opened(rendition):
    with rendition.file.open("rb") as handle:
        picture = PILImage.open(io.BytesIO(handle.read()))
        picture.load()
    return picture


def red_area(picture):
    """The bounding box of the red pixels, or None."""
    r, g, b = picture.convert("RGB").split()
    mask = ImageChops.multiply(
        r.point(lambda v: 255 if v > 170 else 0),
        ImageChops.multiply(
            g.point(lambda v: 255 if v < 90 else 0), b.point(lambda v: 255 if v < 90 else 0)
        ),
    )
    return mask.getbbox()


def sizes(renditions, slot, fmt):
    return sorted((r.width, r.height) for r in renditions if r.slot == slot and r.format == fmt)


@pytest.mark.django_db
def test_each_slot_is_made_at_its_widths_in_avif_and_jpeg_and_og_in_jpeg_only():
    made = make_renditions(photo(2400, 1600))

    widths = [(320, 213), (640, 427), (960, 640), (1280, 853), (1920, 1280)]
    assert sizes(made, "original", "avif") == sizes(made, "original", "jpeg") == widths
    wide = [(320, 180), (640, 360), (960, 540), (1280, 720), (1920, 1080)]
    assert sizes(made, "16x9", "avif") == sizes(made, "16x9", "jpeg") == wide
    assert sizes(made, "1x1", "avif") == sizes(made, "1x1", "jpeg") == [(320, 320), (640, 640)]
    assert sizes(made, "og", "jpeg") == [(1200, 630)]
    assert sizes(made, "og", "avif") == []
    assert not any(r.format == "webp" for r in made)


@pytest.mark.django_db
def test_rendition_files_are_what_their_rows_say():
    for rendition in make_renditions(photo(1000, 800)):
        picture = opened(rendition)
        assert picture.format == {"avif": "AVIF", "jpeg": "JPEG"}[rendition.format]
        assert picture.size == (rendition.width, rendition.height)
        assert rendition.bytes == rendition.file.size
        assert rendition.file.name.startswith(f"renditions/{rendition.image_id}/")


@pytest.mark.django_db
def test_a_small_photo_is_never_upscaled():
    made = make_renditions(photo(700, 500))

    # 700 is within a fifth of 640: no extra width; the square crop is 500 wide, so 500 is.
    assert sizes(made, "original", "jpeg") == [(320, 229), (640, 457)]
    assert sizes(made, "16x9", "jpeg") == [(320, 180), (640, 360)]
    assert sizes(made, "1x1", "jpeg") == [(320, 320), (500, 500)]
    assert sizes(made, "og", "jpeg") == [(700, 368)]
    assert all(r.width <= 700 and r.height <= 500 for r in made)


@pytest.mark.django_db
def test_a_photo_narrower_than_the_smallest_width_keeps_its_own_size():
    made = make_renditions(photo(200, 150))

    assert sizes(made, "original", "avif") == sizes(made, "original", "jpeg") == [(200, 150)]
    assert sizes(made, "1x1", "jpeg") == [(150, 150)]


@pytest.mark.django_db
def test_fixed_ratio_crops_keep_the_focal_point_near_the_edge():
    # A 4:3 photo with a red block near its bottom right corner, the focal point on it.
    image = photo(1600, 1200, block=(1488, 1116, 40), focal_x=0.93, focal_y=0.93)
    source = PILImage.open(io.BytesIO(jpeg(1600, 1200, block=(1488, 1116, 40))))
    made = {(r.slot, r.format, r.width): r for r in make_renditions(image)}

    for slot, ratio, width in [("16x9", 16 / 9, 1280), ("1x1", 1, 640)]:
        centred = crop_box(1600, 1200, ratio, 0.5, 0.5)
        assert red_area(source.crop(tuple(round(v) for v in centred))) is None
        for fmt in ("avif", "jpeg"):
            crop = opened(made[(slot, fmt, width)])
            left, top, *_ = red_area(crop)
            # In the bottom right corner of the crop, as the edges do not let it be centred.
            assert left > crop.width * 0.8 and top > crop.height * 0.8


def test_the_crop_is_centred_on_the_focal_point_when_the_edges_allow():
    assert crop_box(1600, 1200, 1, 0.5, 0.2) == (200.0, 0.0, 1400.0, 1200.0)
    assert crop_box(1600, 1200, 1, 0.4, 0.5) == (40.0, 0.0, 1240.0, 1200.0)
    assert crop_box(1600, 1200, 1, 0.0, 0.5) == (0.0, 0.0, 1200.0, 1200.0)
    assert crop_box(1600, 1200, None, 0.9, 0.9) == (0.0, 0.0, 1600.0, 1200.0)


@pytest.mark.django_db
def test_a_second_run_makes_no_new_file():
    image = photo(1000, 800)
    first = make_renditions(image)
    files = sorted(default_storage.listdir(f"renditions/{image.pk}")[1])

    assert make_renditions(image) == []
    assert sorted(default_storage.listdir(f"renditions/{image.pk}")[1]) == files
    assert len(files) == len(first) == image.renditions.count()


@pytest.mark.django_db
def test_deleting_renditions_removes_files_and_rows_and_a_new_focal_point_gets_new_urls():
    image = photo(1000, 800)
    before = {r.file.name for r in make_renditions(image)}

    delete_renditions(image)
    assert image.renditions.count() == 0
    assert default_storage.listdir(f"renditions/{image.pk}")[1] == []

    image.focal_x = 0.1
    image.save()
    after = {r.file.name for r in make_renditions(image)}
    assert after and not after & before


@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_the_renditions_of_an_enqueued_photo():
    image = photo(1000, 800)
    enqueue_renditions(image)

    task = DBTaskResult.objects.get()
    assert task.status == "READY"
    assert task.args_kwargs == {"args": [image.pk], "kwargs": {}}
    assert image.renditions.count() == 0

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == image.renditions.count() > 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_skips_a_photo_deleted_before_its_turn():
    image = photo(400, 300)
    enqueue_renditions(image)
    image.delete()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL"
    assert task.return_value == 0


def render(source, **context):
    return engines["django"].from_string("{% load photos %}" + source).render(context)


def element(html):
    return lxml.html.fragment_fromstring(html)


@pytest.mark.django_db
def test_before_its_renditions_a_photo_is_shown_as_uploaded():
    image = photo(1000, 800, alt='Мост "на Иньской" <ночью>')

    img = element(render('{% picture image slot="16x9" %}', image=image))

    assert img.tag == "img"
    assert img.get("src") == image.file.url
    assert (img.get("width"), img.get("height")) == ("1000", "800")
    assert img.get("alt") == 'Мост "на Иньской" <ночью>'
    assert img.get("loading") == "lazy"
    assert img.get("decoding") == "async"
    assert og_image_url(image) == image.file.url


@pytest.mark.django_db
def test_after_its_renditions_a_photo_is_a_picture_with_avif_and_jpeg_srcsets():
    image = photo(2400, 1600)
    made = {(r.slot, r.format, r.width): r for r in make_renditions(image)}

    html = render(
        '{% picture image slot="16x9" sizes="(min-width: 900px) 600px, 100vw" loading="eager"'
        ' fetchpriority="high" css_class="lead__photo" %}',
        image=image,
    )

    picture = element(html)
    assert picture.tag == "picture"
    [source] = picture.findall("source")
    img = picture.find(".//img")  # libxml2 does not know that <source> is a void element
    assert source.get("type") == "image/avif"
    widths = [320, 640, 960, 1280, 1920]
    assert source.get("srcset") == ", ".join(
        f"{made[('16x9', 'avif', w)].file.url} {w}w" for w in widths
    )
    assert img.get("srcset") == ", ".join(
        f"{made[('16x9', 'jpeg', w)].file.url} {w}w" for w in widths
    )
    assert source.get("sizes") == img.get("sizes") == "(min-width: 900px) 600px, 100vw"
    assert img.get("src") == made[("16x9", "jpeg", 1280)].file.url
    assert (img.get("width"), img.get("height")) == ("1920", "1080")
    assert img.get("alt") == "Мост через Иню весной"
    assert img.get("loading") == "eager"
    assert img.get("fetchpriority") == "high"
    assert img.get("decoding") == "async"
    assert img.get("class") == "lead__photo"
    assert og_image_url(image) == made[("og", "jpeg", 1200)].file.url


@pytest.mark.django_db
def test_the_tag_makes_no_query_for_prefetched_renditions_and_one_otherwise(
    django_assert_num_queries,
):
    for size in [(400, 300), (300, 400), (200, 200)]:
        make_renditions(photo(*size))
    template = '{% for image in images %}{% picture image slot="1x1" %}{% endfor %}'

    images = list(Image.objects.prefetch_related("renditions"))
    with django_assert_num_queries(0):
        html = render(template, images=images)
    assert html.count("<picture>") == 3

    images = list(Image.objects.all())
    with django_assert_num_queries(3):
        render(template, images=images)


@pytest.mark.django_db
def test_an_image_missing_from_the_page_renders_nothing():
    assert render("{% picture image %}", image=None) == ""
    assert og_image_url(None) == ""
