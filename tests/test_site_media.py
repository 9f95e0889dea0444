"""Around the site: logos, favicons, card images and staff photos from the photo library."""

import json

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage

from network import hosts
from network.models import Site
from network.services import save_site
from photos.models import Rendition
from photos.renditions import make_renditions
from photos.services import ImageInUse, delete_image
from tests.factories import (
    ArticleFactory,
    PhotoFactory,
    RubricFactory,
    SiteFactory,
    StaffProfileFactory,
    image_file,
)
from tests.pages import meta, page
from tests.test_sites import site_form_data

pytestmark = pytest.mark.django_db

TOGUCHIN = "toguchin.example.ru"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
    return tmp_path


def photo(width=1600, *, rendered=True, **fields):
    """A library photo (width × width/2), with its renditions unless `rendered` is False."""
    image = PhotoFactory(file=image_file("photo.jpg", width), **fields)
    if rendered:
        make_renditions(image)
    return image


def rendition(image, slot, width):
    return Rendition.objects.get(image=image, slot=slot, format="jpeg", width=width)


def district(**fields):
    return SiteFactory(domain=TOGUCHIN, name="Тогучинские вести", **fields)


def on_district(client, path="/"):
    response = client.get(path, headers={"host": TOGUCHIN})
    assert response.status_code == 200
    return response


def document(response):
    return lxml.html.fromstring(response.content)


def header(response):
    return document(response).xpath('//a[@class="site-header__logo"]')[0]


def structured_data(response, kind):
    for script in document(response).xpath('//script[@type="application/ld+json"]'):
        data = json.loads(script.text)
        if data["@type"] == kind:
            return data
    raise AssertionError(f"No {kind} JSON-LD on the page")


# The header's logo


def test_the_header_shows_the_logo_as_a_sized_picture_of_its_renditions(client):
    logo = photo(400, alt="Тогучинские вести")
    district(logo=logo)

    link = header(on_district(client))

    img = link.xpath(".//img")[0]
    assert img.get("class") == "site-header__logo-image"
    assert (img.get("width"), img.get("height")) == ("400", "200")
    assert img.get("alt") == "Тогучинские вести"
    assert img.get("loading") == "eager"
    assert img.get("src") == rendition(logo, "original", 400).file.url
    assert link.xpath('.//source[@type="image/avif"]')
    # Shown 48 px high: twice as wide as high.
    assert img.get("sizes") == "96px"


def test_the_header_shows_the_logo_upload_with_its_size_until_renditions_exist(client):
    logo = photo(400, rendered=False)
    district(logo=logo)

    img = header(on_district(client)).xpath(".//img")[0]

    assert (img.get("src"), img.get("width"), img.get("height")) == (logo.file.url, "400", "200")


def test_a_site_without_a_logo_shows_its_name_in_text(client):
    district()

    link = header(on_district(client))

    assert not link.xpath(".//img")
    assert link.text_content() == "Тогучинские вести"


def test_the_header_picks_up_renditions_the_worker_makes_after_the_site_was_read(
    client, monkeypatch
):
    monkeypatch.setattr(hosts, "STALE_SECONDS", 0)
    logo = photo(400, rendered=False)
    district(logo=logo)
    assert header(on_district(client)).xpath(".//img")[0].get("src") == logo.file.url

    make_renditions(logo)

    src = header(on_district(client)).xpath(".//img")[0].get("src")
    assert src == rendition(logo, "original", 400).file.url


# Favicons


def test_a_site_gets_its_favicon_and_home_screen_icon_from_square_renditions(client):
    icon = photo(400)
    district(favicon=icon)

    html = document(on_district(client))

    assert html.xpath('//link[@rel="icon"]/@href') == [rendition(icon, "icon", 32).file.url]
    assert html.xpath('//link[@rel="apple-touch-icon"]/@href') == [
        rendition(icon, "icon", 180).file.url
    ]
    assert (rendition(icon, "icon", 180).width, rendition(icon, "icon", 180).height) == (180, 180)


def test_a_site_without_a_favicon_gets_the_networks_default_on_every_page(client):
    article = ArticleFactory()

    for path in ["/", article.get_absolute_url(), article.rubric.get_absolute_url()]:
        html = page(client, path)
        assert html.xpath('//link[@rel="icon"]/@href') == ["/static/favicon.svg"]
        assert not html.xpath('//link[@rel="apple-touch-icon"]')


def test_a_favicon_rendered_before_the_icon_slot_existed_uses_its_square(client):
    icon = photo(400)
    Rendition.objects.filter(image=icon, slot="icon").delete()
    district(favicon=icon)

    html = document(on_district(client))

    assert html.xpath('//link[@rel="icon"]/@href') == [rendition(icon, "1x1", 200).file.url]


# og:image: the article's cover, else the site's card image, else its logo


def absolute(url):
    return f"http://testserver{url}"


def test_an_article_with_a_cover_shares_its_cover_not_the_sites_card(client):
    card = photo()
    Site.objects.filter(is_default=True).update(card_image=card)
    hosts.forget()
    cover = photo(alt="Комбайн в поле")
    article = ArticleFactory(cover=cover)

    html = page(client, article.get_absolute_url())

    assert meta(html, "og:image") == absolute(rendition(cover, "og", 1200).file.url)
    assert meta(html, "og:image:alt") == "Комбайн в поле"


def test_an_article_without_a_cover_shares_the_sites_card_image(client):
    card = photo(alt="Обь на закате")
    Site.objects.filter(is_default=True).update(card_image=card)
    hosts.forget()
    article = ArticleFactory()

    html = page(client, article.get_absolute_url())

    assert meta(html, "og:image") == absolute(rendition(card, "og", 1200).file.url)
    assert meta(html, "og:image:alt") == "Обь на закате"
    assert meta(html, "twitter:card") == "summary_large_image"


def test_home_and_list_pages_share_the_sites_card_image(client):
    card = photo()
    Site.objects.filter(is_default=True).update(card_image=card)
    hosts.forget()
    article = ArticleFactory()

    for path in ["/", article.rubric.get_absolute_url()]:
        assert meta(page(client, path), "og:image") == absolute(
            rendition(card, "og", 1200).file.url
        )


def test_a_list_page_has_its_own_opengraph_title_and_address(client):
    rubric = RubricFactory(name="Спорт")
    ArticleFactory(rubric=rubric)

    html = page(client, rubric.get_absolute_url())

    assert meta(html, "og:title") == "Спорт"
    assert meta(html, "og:url") == absolute(rubric.get_absolute_url())


def test_without_a_card_image_pages_share_the_logo_whole_as_a_small_card(client):
    logo = photo(400)
    district(logo=logo)
    article = ArticleFactory(site=Site.objects.get(domain=TOGUCHIN))

    html = document(on_district(client, article.get_absolute_url()))

    assert meta(html, "og:image") == f"http://{TOGUCHIN}{rendition(logo, 'original', 400).file.url}"
    assert meta(html, "og:image:alt") == "Тогучинские вести"
    assert meta(html, "twitter:card") == "summary"


def test_a_site_without_card_or_logo_shares_no_image(client):
    article = ArticleFactory()

    assert meta(page(client, article.get_absolute_url()), "og:image") is None
    assert meta(page(client, "/"), "og:image") is None


# JSON-LD: the publisher's logo


def test_the_article_names_its_publisher_with_the_logo_as_an_image_object(client):
    logo = photo(1200)
    district(logo=logo)
    article = ArticleFactory(site=Site.objects.get(domain=TOGUCHIN))

    data = structured_data(on_district(client, article.get_absolute_url()), "NewsArticle")

    # The widest JPEG of the logo's own proportions up to 640 px.
    assert data["publisher"] == {
        "@type": "NewsMediaOrganization",
        "name": "Тогучинские вести",
        "url": f"http://{TOGUCHIN}/",
        "logo": {
            "@type": "ImageObject",
            "url": f"http://{TOGUCHIN}{rendition(logo, 'original', 640).file.url}",
            "width": 640,
            "height": 320,
        },
    }


def test_the_home_page_describes_the_site_with_its_logo_and_social_pages(client):
    logo = photo(400)
    district(logo=logo, vk_url="https://vk.com/toguchin")

    data = structured_data(on_district(client), "NewsMediaOrganization")

    assert data["name"] == "Тогучинские вести"
    assert data["logo"]["url"] == f"http://{TOGUCHIN}{rendition(logo, 'original', 400).file.url}"
    assert (data["logo"]["width"], data["logo"]["height"]) == (400, 200)
    assert data["sameAs"] == ["https://vk.com/toguchin"]


def test_a_site_without_a_logo_is_a_publisher_without_one(client):
    article = ArticleFactory()

    data = structured_data(client.get(article.get_absolute_url()), "NewsArticle")

    assert "logo" not in data["publisher"]
    assert "logo" not in structured_data(client.get("/"), "NewsMediaOrganization")


# Staff photos


def test_the_author_page_shows_the_staff_photo_as_a_square_picture(client):
    portrait = photo(800, alt="Ольга Юдина")
    author = StaffProfileFactory(public_name="Ольга Юдина", photo=portrait)
    ArticleFactory(authors=[author])

    html = page(client, author.get_absolute_url())

    img = html.xpath('//img[@class="author-intro__photo"]')[0]
    assert img.get("alt") == "Ольга Юдина"
    assert img.get("src") == rendition(portrait, "1x1", 400).file.url
    assert (img.get("width"), img.get("height")) == ("400", "400")


def test_an_author_photo_costs_one_query_for_its_renditions(client):
    plain = StaffProfileFactory(public_name="Без фото")
    pictured = StaffProfileFactory(public_name="С фото", photo=photo(800, alt="С фото"))
    ArticleFactory(authors=[plain, pictured])

    with CaptureQueriesContext(connection) as without_photo:
        client.get(plain.get_absolute_url())
    with CaptureQueriesContext(connection) as with_photo:
        client.get(pictured.get_absolute_url())

    assert len(with_photo) == len(without_photo) + 1


def test_an_author_without_a_photo_has_no_picture(client):
    author = StaffProfileFactory()
    ArticleFactory(authors=[author])

    assert not page(client, author.get_absolute_url()).xpath("//picture | //img[@class]")


# Deleting a photo that a site or a staff page uses


def test_deleting_a_photo_used_by_a_site_is_refused_naming_each_use():
    image = photo()
    district(logo=image, favicon=image)
    SiteFactory(name="Здвинский вестник", card_image=image)

    with pytest.raises(ImageInUse) as refusal:
        delete_image(image=image)

    assert refusal.value.messages == [
        "Фото используется, удалить нельзя: значок сайта «Тогучинские вести»; "
        "картинка для соцсетей сайта «Здвинский вестник»; логотип сайта «Тогучинские вести»."
    ]
    assert image.file.storage.exists(image.file.name)


def test_deleting_a_staff_photo_is_refused_with_the_persons_name():
    image = photo()
    StaffProfileFactory(public_name="Ольга Юдина", photo=image)

    with pytest.raises(ImageInUse, match="фото сотрудника «Ольга Юдина»"):
        delete_image(image=image)


def test_deleting_a_photo_used_as_a_cover_and_a_logo_lists_both():
    image = photo()
    district(logo=image)
    ArticleFactory(title="Мост открыт", cover=image)

    with pytest.raises(ImageInUse) as refusal:
        delete_image(image=image)

    assert refusal.value.messages == [
        "Фото используется, удалить нельзя: Мост открыт; логотип сайта «Тогучинские вести»."
    ]


def test_the_librarys_delete_page_names_the_site_using_the_photo(superuser_client):
    image = photo()
    district(logo=image)

    response = superuser_client.get(reverse("admin:photos_image_delete", args=[image.pk]))

    assert "Тогучинские вести" in response.text
    assert 'name="post"' not in response.text  # no button to confirm the deletion


# The admin forms pick from the library


def test_the_site_form_picks_logo_favicon_and_card_from_the_library(superuser_client):
    logo = photo(400)
    site = district(logo=logo)

    response = superuser_client.get(reverse("admin:network_site_change", args=[site.pk]))

    html = document(response)
    for field in ["logo", "favicon", "card_image"]:
        select = html.xpath(f'//select[@name="{field}"]')[0]
        assert "admin-autocomplete" in select.get("class")
    assert "Картинка для соцсетей" in response.text
    assert html.xpath(f'//figure[@class="chosen-photo"]/img[@src="{logo.file.url}"]')


def test_choosing_a_card_image_in_the_site_form_saves_it(superuser_client):
    card = photo()
    site = district()

    response = superuser_client.post(
        reverse("admin:network_site_change", args=[site.pk]),
        site_form_data(card_image=card.pk),
    )

    assert response.status_code == 302
    assert Site.objects.get(pk=site.pk).card_image == card


def test_the_staff_form_picks_the_photo_from_the_library(superuser_client):
    portrait = photo()
    profile = StaffProfileFactory(photo=portrait)

    response = superuser_client.get(reverse("admin:staff_staffprofile_change", args=[profile.pk]))

    html = document(response)
    assert "admin-autocomplete" in html.xpath('//select[@name="photo"]')[0].get("class")
    assert html.xpath(f'//img[@class="photo-thumbnail"][@src="{portrait.file.url}"]')


# Query counts stay as they are: the site's images come with the site map


def decorated_site():
    """The default site with a logo, favicon and card image, all rendered."""
    site = Site.objects.get(is_default=True)
    site.logo, site.favicon, site.card_image = photo(400), photo(400), photo()
    save_site(site=site)
    hosts.current()


def test_home_runs_the_same_queries_with_a_logo_favicon_and_card(client, django_assert_num_queries):
    for rubric in RubricFactory.create_batch(3):
        ArticleFactory.create_batch(3, rubric=rubric)
    decorated_site()

    # As in test_list_pages: rubrics, the layout's UNION ALL, the cards, menu, recent news.
    with django_assert_num_queries(5):
        response = client.get("/")

    assert "site-header__logo-image" in response.text


def test_an_article_page_runs_the_same_queries_with_a_logo_favicon_and_card(
    client, django_assert_num_queries
):
    article = ArticleFactory()
    decorated_site()

    # As in test_article_page: the article with its links, the rubric menu, recent news.
    with django_assert_num_queries(3):
        response = client.get(article.get_absolute_url())

    assert 'rel="apple-touch-icon"' in response.text


# The migration that moves the files of sites and staff into the library


# django-test-migrations applies every migration planned before the last of these: staff's
# 0003 (its sites) comes after network's 0003, so the staff app starts at 0002.
BEFORE_THE_LIBRARY = [
    ("photos", "0001_initial"),
    ("staff", "0002_role_groups"),
    ("network", "0002_default_site"),
]
AFTER_THE_LIBRARY = [
    ("network", "0003_site_images_from_library"),
    ("staff", "0004_staffprofile_photo_from_library"),
]


def stored(media, name, width, height, fmt="PNG"):
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    PILImage.new("RGB", (width, height), "navy").save(path, fmt)
    return name


@pytest.fixture
def old_schema_with_files(migrator, media):
    """A site whose logo is also its favicon, another with a favicon only, and two staff
    profiles, one with a photo, in the schema of plain file fields."""
    old = migrator.apply_initial_migration(BEFORE_THE_LIBRARY)
    Site = old.apps.get_model("network", "Site")
    StaffProfile = old.apps.get_model("staff", "StaffProfile")
    oblast = Site.objects.get(is_default=True)
    oblast.logo = oblast.favicon = stored(media, "sites/oblast.png", 600, 160)
    oblast.save()
    district = Site.objects.create(
        domain="toguchin.example.ru", name="Тогучинские вести", favicon="sites/icon.png"
    )
    stored(media, "sites/icon.png", 64, 64)
    photographed = StaffProfile.objects.create(
        public_name="Ольга Юдина",
        slug="olga-yudina",
        photo=stored(media, "staff/o.jpg", 300, 400, "JPEG"),
    )
    StaffProfile.objects.create(public_name="Иван Петров", slug="ivan-petrov")
    return {"oblast": oblast.pk, "district": district.pk, "photographed": photographed.pk}


def test_site_logos_and_favicons_move_into_the_library_with_their_files(
    migrator, old_schema_with_files, media
):
    new = migrator.apply_tested_migration(AFTER_THE_LIBRARY)

    Site = new.apps.get_model("network", "Site")
    oblast = Site.objects.get(pk=old_schema_with_files["oblast"])
    district = Site.objects.get(pk=old_schema_with_files["district"])
    assert oblast.logo_id == oblast.favicon_id  # one file, one photo of the library
    assert (oblast.logo.file.name, oblast.logo.width, oblast.logo.height) == (
        "sites/oblast.png",
        600,
        160,
    )
    assert oblast.logo.alt == oblast.name
    assert oblast.logo.bytes == (media / "sites/oblast.png").stat().st_size
    assert district.logo is None
    assert (district.favicon.file.name, district.favicon.width) == ("sites/icon.png", 64)
    assert oblast.card_image is None


def test_staff_photos_move_into_the_library_with_their_files(migrator, old_schema_with_files):
    new = migrator.apply_tested_migration(AFTER_THE_LIBRARY)

    StaffProfile = new.apps.get_model("staff", "StaffProfile")
    photo = StaffProfile.objects.get(pk=old_schema_with_files["photographed"]).photo
    assert (photo.file.name, photo.alt, photo.width, photo.height) == (
        "staff/o.jpg",
        "Ольга Юдина",
        300,
        400,
    )
    assert StaffProfile.objects.get(public_name="Иван Петров").photo is None
    assert new.apps.get_model("photos", "Image").objects.count() == 3


def test_migrating_back_gives_the_sites_and_staff_their_file_names_again(
    migrator, old_schema_with_files
):
    migrator.apply_tested_migration(AFTER_THE_LIBRARY)

    old = migrator.apply_tested_migration(BEFORE_THE_LIBRARY)

    oblast = old.apps.get_model("network", "Site").objects.get(pk=old_schema_with_files["oblast"])
    assert (oblast.logo.name, oblast.favicon.name) == ("sites/oblast.png", "sites/oblast.png")
    profile = old.apps.get_model("staff", "StaffProfile").objects.get(
        pk=old_schema_with_files["photographed"]
    )
    assert profile.photo.name == "staff/o.jpg"
