"""Photos of the library, galleries and videos in article bodies: what is kept, how readers and
aggregators get it, and the editor's photo picker."""

import json
import re

import pytest
from django.urls import reverse
from lxml import etree
from lxml import html as lxml_html

from photos import services as photo_services
from photos.models import Image
from photos.renditions import make_renditions
from staff.roles import MODERATORS
from tests.factories import ArticleFactory, PhotoFactory, save_changes, staff_member

pytestmark = pytest.mark.django_db

PICKER_URL = reverse("admin:photos_image_picker")
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
FULL_TEXT = "{http://news.yandex.ru}full-text"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def photo():
    return PhotoFactory(
        title="Мост через Иню",
        alt="Новый мост через реку Иню",
        caption="Мост открыли в субботу",
        credit="Иван Петров",
    )


def figure(image, caption=""):
    inner = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure data-image="{image.pk}">{inner}</figure>'


def page_of(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return lxml_html.fromstring(response.content).xpath("//div[@class='article__body']")[0]


# Sanitising: what the body keeps.


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        (
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30&amp;autoplay=1",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30",
        ),
        (
            "https://rutube.ru/play/embed/c6cc4d620b1d4338901770a44b3e82f4",
            "https://rutube.ru/play/embed/c6cc4d620b1d4338901770a44b3e82f4",
        ),
        (
            "https://vk.com/video_ext.php?oid=-22822305&amp;id=456241864&amp;hash=e037414127166efe",
            "https://vk.com/video_ext.php?oid=-22822305&amp;id=456241864&amp;hash=e037414127166efe",
        ),
        (
            "https://vkvideo.ru/video_ext.php?oid=-1&amp;id=2",
            "https://vkvideo.ru/video_ext.php?oid=-1&amp;id=2",
        ),
    ],
)
def test_players_of_vk_rutube_and_youtube_are_kept_with_our_attributes_only(pasted, kept):
    article = ArticleFactory(
        body=f'<iframe src="{pasted}" width="1" height="1" style="border:0" onload="x()" '
        'sandbox="" srcdoc="&lt;script&gt;" title="Открытие моста"></iframe>'
    )

    assert article.body == (
        f'<iframe src="{kept}" title="Открытие моста" allowfullscreen="" loading="lazy"></iframe>'
    )


@pytest.mark.parametrize(
    "src",
    [
        "https://youtube.com.evil.ru/embed/dQw4w9WgXcQ",
        "https://evil.ru/www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube.com.evil.ru/embed/dQw4w9WgXcQ",
        "https://evilyoutube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube.com@evil.ru/embed/dQw4w9WgXcQ",
        "https://www.youtube.com:8443/embed/dQw4w9WgXcQ",
        "http://www.youtube.com/embed/dQw4w9WgXcQ",
        "//www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/embed/../../redirect?q=evil.ru",
        "https://rutube.ru.evil.ru/play/embed/c6cc4d620b1d4338901770a44b3e82f4",
        "https://vk.com.evil.ru/video_ext.php?oid=-1&id=2",
        "https://vk.com/video_ext.php?id=2",
        "https://vk.com/away.php?to=https://evil.ru",
        "javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "https://evil.ru/embed/dQw4w9WgXcQ",
    ],
)
def test_other_iframes_are_removed(src):
    article = ArticleFactory(body=f'<p>До</p><iframe src="{src}"></iframe><p>После</p>')

    assert article.body == "<p>До</p><p>После</p>"


def test_iframe_without_an_address_is_removed():
    article = ArticleFactory(
        body='<p>Текст</p><iframe srcdoc="<script>alert(1)</script>"></iframe>'
    )

    assert article.body == "<p>Текст</p>"


def test_player_pasted_inside_a_paragraph_goes_after_it():
    article = ArticleFactory(
        body='<p>Смотрите: <iframe src="https://rutube.ru/play/embed/c6cc4d620b1d4338"></iframe></p>'
    )

    assert article.body == (
        "<p>Смотрите: </p>"
        '<iframe src="https://rutube.ru/play/embed/c6cc4d620b1d4338" title="Видео" '
        'allowfullscreen="" loading="lazy"></iframe>'
    )


def test_figure_keeps_the_photo_reference_and_a_plain_caption_only(photo):
    article = ArticleFactory(
        body=f'<figure data-image="{photo.pk}" class="wide" style="float:left" onclick="x()">'
        '<img src="https://evil.example/x.jpg" srcset="https://evil.example/x.jpg 1w" '
        'onerror="alert(1)"><figcaption><b>Мост</b> <a href="javascript:alert(1)">через</a> '
        "Иню<script>alert(1)</script></figcaption></figure>"
    )

    assert (
        article.body
        == f'<figure data-image="{photo.pk}"><figcaption>Мост через Иню</figcaption></figure>'
    )


def test_figure_of_a_photo_not_in_the_library_is_dropped(photo):
    article = ArticleFactory(
        body=f'<p>Текст</p>{figure(photo)}<figure data-image="{photo.pk + 1000}">'
        '<figcaption>Чужое</figcaption></figure><figure data-image="x1"></figure>'
        '<figure><img src="https://evil.example/x.jpg"></figure>'
    )

    assert article.body == f"<p>Текст</p>{figure(photo)}"


def test_gallery_keeps_only_the_library_photos_it_holds(photo):
    other = PhotoFactory()
    article = ArticleFactory(
        body=f'<div class="gallery" style="x" onclick="y">{figure(photo, "Мост")}'
        f'<p>лишнее</p><figure data-image="{other.pk + 1000}"></figure>{figure(other)}</div>'
    )

    assert article.body == f'<div class="gallery">{figure(photo, "Мост")}{figure(other)}</div>'


def test_gallery_without_photos_is_dropped():
    article = ArticleFactory(body='<p>Текст</p><div class="gallery"><p>пусто</p></div>')

    assert article.body == "<p>Текст</p>"


def test_sanitising_a_body_without_media_reads_no_photos(django_assert_num_queries):
    article = ArticleFactory()
    field = article._meta.get_field("body")

    with django_assert_num_queries(0):
        assert (
            field.sanitize("<p>Просто <strong>текст</strong></p>")
            == "<p>Просто <strong>текст</strong></p>"
        )


# The reader's page.


def test_body_photo_is_a_responsive_picture_with_caption_and_credit(client, photo):
    make_renditions(photo)
    article = ArticleFactory(body=f"<p>Текст</p>{figure(photo, 'Мост открыли в субботу')}")

    body = page_of(client, article)

    (shown,) = body.xpath(".//figure[@class='body-figure']")
    (img,) = shown.xpath(".//picture//img")  # libxml2 nests it in <source>
    assert [s.get("type") for s in shown.xpath(".//picture/source")] == ["image/avif"]
    assert img.get("loading") == "lazy"
    assert img.get("alt") == "Новый мост через реку Иню"
    assert img.get("sizes")
    assert re.fullmatch(r"(\S+ \d+w, )*\S+ \d+w", img.get("srcset"))
    assert int(img.get("width")) > 0
    assert int(img.get("height")) > 0
    caption = shown.xpath(".//figcaption")[0].text_content()
    assert caption == "Мост открыли в субботу Фото: Иван Петров"


def test_body_photo_without_its_own_caption_shows_the_library_caption(client, photo):
    article = ArticleFactory(body=figure(photo))

    caption = page_of(client, article).xpath(".//figcaption")[0].text_content()

    assert caption == "Мост открыли в субботу Фото: Иван Петров"


def test_credit_written_with_its_word_is_not_prefixed_again(client):
    photo = PhotoFactory(credit="Фото: ТАСС")
    article = ArticleFactory(body=figure(photo))

    credit = (
        page_of(client, article).xpath(".//span[@class='body-figure__credit']")[0].text_content()
    )

    assert credit == "Фото: ТАСС"


def test_body_photo_shows_the_checked_upload_until_renditions_exist(client, photo):
    article = ArticleFactory(body=figure(photo))

    (img,) = page_of(client, article).xpath(".//figure[@class='body-figure']//img")

    assert img.get("src") == photo.file.url
    assert img.get("loading") == "lazy"
    assert (img.get("width"), img.get("height")) == ("1200", "600")


def test_gallery_is_a_labelled_group_of_photos(client, photo):
    other = PhotoFactory(caption="Второе фото")
    article = ArticleFactory(body=f'<div class="gallery">{figure(photo)}{figure(other)}</div>')

    (gallery,) = page_of(client, article).xpath(".//div[@class='body-gallery']")

    assert gallery.get("role") == "group"
    assert gallery.get("aria-label") == "Фотогалерея: 2 фото"
    assert gallery.get("tabindex") == "0"
    items = gallery.xpath("./figure[@class='body-gallery__item']")
    assert [item.xpath(".//img")[0].get("src") for item in items] == [
        photo.file.url,
        other.file.url,
    ]
    assert "style" not in lxml_html.tostring(gallery).decode()


def test_video_is_a_lazy_16x9_player_with_a_title(client):
    article = ArticleFactory(
        body='<iframe src="https://rutube.ru/play/embed/c6cc4d620b1d4338901770a44b3e82f4" '
        'title="Открытие моста"></iframe>'
    )

    (frame,) = page_of(client, article).xpath(".//div[@class='body-video']/iframe")

    assert frame.get("src") == "https://rutube.ru/play/embed/c6cc4d620b1d4338901770a44b3e82f4"
    assert frame.get("title") == "Открытие моста"
    assert frame.get("loading") == "lazy"
    assert frame.get("allowfullscreen") is not None


@pytest.mark.parametrize("photos", [1, 4])
def test_body_photos_cost_the_page_one_query_however_many(
    client, django_assert_num_queries, photos
):
    images = PhotoFactory.create_batch(photos)
    for image in images:
        make_renditions(image)
    gallery = "".join(figure(image) for image in images[1:])
    body = figure(images[0]) + (f'<div class="gallery">{gallery}</div>' if gallery else "")
    article = ArticleFactory(body=body)

    # The article page's three queries, and one for the body's photos with their sizes.
    with django_assert_num_queries(4):
        response = client.get(article.get_absolute_url())

    assert response.text.count("<picture>") == photos


def test_body_without_photos_costs_the_page_no_query(client, django_assert_num_queries):
    article = ArticleFactory(
        body='<p>Текст</p><iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
    )

    with django_assert_num_queries(3):
        response = client.get(article.get_absolute_url())

    assert "body-video" in response.text


# Yandex and Dzen.


def feed_text(client, name, tag):
    response = client.get(reverse(name))
    assert response.status_code == 200
    (text,) = etree.fromstring(response.content).iterfind(f"channel/item/{tag}")
    return text.text


@pytest.mark.parametrize(("name", "tag"), [("feeds:dzen", CONTENT), ("feeds:yandex", FULL_TEXT)])
def test_aggregators_get_body_photos_as_figures_with_absolute_jpeg_addresses(
    client, photo, name, tag
):
    make_renditions(photo)
    ArticleFactory(body=f"<p>Текст</p>{figure(photo, 'Мост открыли')}")

    text = feed_text(client, name, tag)

    # The widest JPEG of the photo's proportions up to 1280 px: here the photo's own 1200.
    jpeg = photo.renditions.get(slot="original", format="jpeg", width=1200)
    assert (
        f'<figure><img src="http://testserver{jpeg.file.url}" width="1200" height="600" '
        'alt="Новый мост через реку Иню"><figcaption>Мост открыли Фото: Иван Петров</figcaption>'
        "</figure>"
    ) in text
    assert "<picture" not in text
    assert ".avif" not in text
    assert "data-image" not in text


def test_aggregators_get_a_gallery_as_its_photos_one_after_another(client, photo):
    other = PhotoFactory(credit="")
    ArticleFactory(body=f'<div class="gallery">{figure(photo)}{figure(other)}</div>')

    text = feed_text(client, "feeds:dzen", CONTENT)

    assert text == (
        f'<figure><img src="http://testserver{photo.file.url}" width="1200" height="600" '
        'alt="Новый мост через реку Иню"><figcaption>Мост открыли в субботу Фото: Иван Петров'
        f'</figcaption></figure><figure><img src="http://testserver{other.file.url}" '
        'width="1200" height="600" alt="Комбайн в поле"></figure>'
    )


@pytest.mark.parametrize(
    ("src", "page"),
    [
        (
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        (
            "https://rutube.ru/play/embed/c6cc4d620b1d4338901770a44b3e82f4",
            "https://rutube.ru/video/c6cc4d620b1d4338901770a44b3e82f4/",
        ),
        (
            "https://vk.com/video_ext.php?oid=-22822305&amp;id=456241864&amp;hash=e03741",
            "https://vkvideo.ru/video-22822305_456241864",
        ),
    ],
)
def test_aggregators_get_a_video_as_a_link_to_its_page(client, src, page):
    ArticleFactory(body=f'<iframe src="{src}" title="Открытие моста"></iframe>')

    for name, tag in [("feeds:dzen", CONTENT), ("feeds:yandex", FULL_TEXT)]:
        assert feed_text(client, name, tag) == f'<p><a href="{page}">Открытие моста</a></p>'


@pytest.mark.parametrize("name", ["feeds:yandex", "feeds:dzen"])
def test_aggregator_feeds_read_every_body_photo_in_one_query(
    client, django_assert_num_queries, name
):
    for _ in range(3):
        images = PhotoFactory.create_batch(2)
        ArticleFactory(body=f'<div class="gallery">{figure(images[0])}{figure(images[1])}</div>')

    with django_assert_num_queries(3):
        response = client.get(reverse(name))

    assert response.content.decode().count("&lt;figure&gt;") == 6


# Deleting a photo a body shows.


def test_a_photo_shown_in_a_body_cannot_be_deleted(photo):
    ArticleFactory(title="Мост открыт", body=f"<p>Текст</p>{figure(photo)}")

    with pytest.raises(photo_services.ImageInUse) as refusal:
        photo_services.delete_image(image=photo)

    assert "Мост открыт" in refusal.value.messages[0]
    assert Image.objects.filter(pk=photo.pk).exists()


def test_a_photo_shown_in_a_gallery_of_a_trashed_article_cannot_be_deleted(photo):
    article = ArticleFactory(
        body=f'<div class="gallery">{figure(photo)}{figure(PhotoFactory())}</div>'
    )
    save_changes(article, deleted_at=article.updated_at)

    with pytest.raises(photo_services.ImageInUse):
        photo_services.delete_image(image=photo)


def test_a_photo_taken_out_of_the_body_can_be_deleted(photo):
    article = ArticleFactory(body=figure(photo))
    save_changes(article, body="<p>Без фото</p>")

    photo_services.delete_image(image=photo)

    assert not Image.objects.filter(pk=photo.pk).exists()


def test_another_photo_whose_id_begins_the_same_is_not_counted_as_used(photo):
    ArticleFactory(body=figure(photo))
    PhotoFactory.create_batch(10)
    longer = Image.objects.filter(pk__gt=photo.pk * 10 - 1).order_by("pk").first()
    unrelated = longer or PhotoFactory()

    photo_services.delete_image(image=unrelated)

    assert not Image.objects.filter(pk=unrelated.pk).exists()


def test_admin_refuses_deleting_a_photo_a_body_shows(superuser_client, photo):
    ArticleFactory(title="Мост открыт", body=figure(photo))

    response = superuser_client.post(
        reverse("admin:photos_image_changelist"),
        {"action": "delete_selected", "_selected_action": [photo.pk], "post": "yes"},
        follow=True,
    )

    assert "Мост открыт" in response.text
    assert Image.objects.filter(pk=photo.pk).exists()


# The editor's picker and toolbar.


def test_picker_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(PICKER_URL)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_picker_refuses_staff_without_the_right_to_see_photos(client_as):
    no_photos = staff_member(MODERATORS, username="no_photos")

    response = client_as(no_photos).get(PICKER_URL, {"q": "мост"})

    assert response.status_code == 403


def test_picker_finds_photos_by_title_whatever_the_case(client_as, author, photo):
    PhotoFactory(title="Комбайн в поле")

    response = client_as(author).get(PICKER_URL, {"q": "МОСТ"})

    assert response.status_code == 200
    (found,) = response.json()["results"]
    assert found == {
        "id": photo.pk,
        "title": "Мост через Иню",
        "alt": "Новый мост через реку Иню",
        "caption": "Мост открыли в субботу",
        "credit": "Иван Петров",
        "width": 1200,
        "height": 600,
        "thumbnail": photo.file.url,
        "change_url": reverse("admin:photos_image_change", args=[photo.pk]),
    }


def test_picker_reads_the_photos_a_body_holds_by_id(client_as, author, photo):
    make_renditions(photo)
    other = PhotoFactory()

    response = client_as(author).get(PICKER_URL, {"ids": f"{photo.pk},{other.pk},x,"})

    found = {entry["id"]: entry for entry in response.json()["results"]}
    assert set(found) == {photo.pk, other.pk}
    assert found[photo.pk]["thumbnail"].endswith(".jpg")
    assert found[photo.pk]["thumbnail"] != photo.file.url


def test_article_form_offers_library_photos_galleries_and_videos(superuser_client):
    response = superuser_client.get(reverse("admin:articles_article_add"))

    textarea = lxml_html.fromstring(response.content).xpath("//textarea[@id='id_body']")[0]
    config = json.loads(textarea.get("data-django-prose-editor-configurable"))
    for name in ["LibraryFigure", "Gallery", "Video"]:
        assert config["extensions"][name] == {
            "pickerUrl": PICKER_URL,
            "addUrl": reverse("admin:photos_image_add"),
        }
    assert any(module.endswith("admin_extras/body_media.js") for module in config["js_modules"])
    assert "admin_extras/body_media.css" in response.text
