"""The sites of the network: the default one every installation has, `add_site` and the admin."""

import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import SiteRubric
from network.models import Site, normalise_host
from network.services import save_site
from regions.models import Region, RegionKind
from tests.factories import ArticleFactory, RubricFactory

pytestmark = pytest.mark.django_db


def add_site(*args):
    call_command("add_site", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Site.objects.get(domain=normalise_host(args[0]))


def site_form_data(**fields):
    publication = settings.NEWSROOM_PUBLICATION
    data = {
        "name": "Тогучинские вести",
        "domain": "toguchin.example.ru",
        "aliases": "",
        "age_mark": "12+",
        "accent_colour": "#0b4f8a",
        **{field: publication[field] for field in ("founder", "editor_in_chief", "phone")},
        "registration": "Эл № ФС77-11111 от 01.02.2025",
        "email": "toguchin@example.ru",
        "address": "633456, г. Тогучин, ул. Лапина, 1",
        "menu_rubrics-TOTAL_FORMS": 0,
        "menu_rubrics-INITIAL_FORMS": 0,
    }
    return data | fields


def test_a_fresh_database_has_one_default_site_with_the_imprint_of_the_settings():
    site = Site.objects.get()

    publication = settings.NEWSROOM_PUBLICATION
    assert site.is_default
    assert site.domain == settings.NEWSROOM_DEFAULT_SITE_DOMAIN
    assert (site.name, site.founder, site.age_mark) == (
        publication["name"],
        publication["founder"],
        publication["age_mark"],
    )


def test_add_site_creates_a_site_and_the_region_it_names():
    site = add_site(
        "toguchin.example.ru", "--name", "Тогучинские вести", "--region", "Тогучинский район"
    )

    assert site.name == "Тогучинские вести"
    assert (site.region.name, site.region.kind) == ("Тогучинский район", RegionKind.DISTRICT)
    assert not site.is_default


def test_add_site_gives_a_new_site_the_default_sites_imprint():
    default = Site.objects.get(is_default=True)

    site = add_site("zdvinsk.example.ru", "--name", "Здвинские новости")

    assert (site.founder, site.editor_in_chief) == (default.founder, default.editor_in_chief)


def test_add_site_again_updates_the_site_at_that_domain():
    add_site("toguchin.example.ru", "--name", "Тогучинские вести")

    site = add_site("TOGUCHIN.example.ru", "--name", "Вести Тогучина", "--age-mark", "12+")

    assert Site.objects.filter(domain="toguchin.example.ru").count() == 1
    assert (site.name, site.age_mark) == ("Вести Тогучина", "12+")


def test_add_site_default_moves_the_default_mark():
    site = add_site("oblast.example.ru", "--name", "Новости области", "--default")

    assert list(Site.objects.filter(is_default=True)) == [site]


def test_add_site_uses_an_existing_region_whatever_its_letter_case():
    region = Region.objects.create(name="Здвинский район", kind=RegionKind.DISTRICT)

    site = add_site(
        "zdvinsk.example.ru", "--name", "Здвинские новости", "--region", "здвинский район"
    )

    assert site.region == region


@pytest.mark.parametrize("domain", ["http://toguchin.ru/", "toguchin ru", "toguchin..ru"])
def test_add_site_refuses_what_is_not_a_domain_in_russian(domain):
    with pytest.raises(CommandError, match=r"Сайт не сохранён: .* не домен"):
        call_command("add_site", domain, "--name", "Вести")

    assert Site.objects.count() == 1


def test_a_cyrillic_domain_is_kept_in_its_ascii_form():
    site = add_site("вести-тогучина.рф", "--name", "Вести Тогучина")

    assert site.domain == "xn----8sbefisc4bg1alcp0d.xn--p1ai"


def test_admin_adds_a_district_site_with_one_form(superuser_client):
    response = superuser_client.post(
        reverse("admin:network_site_add"), site_form_data(aliases="www.toguchin.example.ru")
    )

    assert response.status_code == 302
    site = Site.objects.get(domain="toguchin.example.ru")
    assert site.aliases == ["www.toguchin.example.ru"]


def test_admin_refuses_an_address_another_site_answers_at(superuser_client):
    add_site("toguchin.example.ru", "--name", "Тогучинские вести")

    response = superuser_client.post(
        reverse("admin:network_site_add"),
        site_form_data(domain="vesti.example.ru", aliases="toguchin.example.ru"),
    )

    assert response.status_code == 200
    assert "Эти адреса уже у другого сайта: toguchin.example.ru." in response.text
    assert not Site.objects.filter(domain="vesti.example.ru").exists()


def test_admin_refuses_a_second_default_site_in_russian(superuser_client):
    response = superuser_client.post(
        reverse("admin:network_site_add"), site_form_data(is_default="on")
    )

    assert response.status_code == 200
    assert "Сайт по умолчанию может быть только один" in response.text


# Host routing


def test_each_sites_domain_gets_its_own_imprint_and_age_mark(client):
    add_site("toguchin.example.ru", "--name", "Тогучинские вести", "--age-mark", "12+")

    oblast = client.get("/", headers={"host": "testserver"}).text
    district = client.get("/", headers={"host": "toguchin.example.ru"}).text

    assert settings.NEWSROOM_PUBLICATION["name"] in oblast
    assert "Тогучинские вести" in district
    assert "Возрастная категория сайта: 12+." in district


def test_an_alias_answers_as_its_site(client, superuser_client):
    superuser_client.post(
        reverse("admin:network_site_add"), site_form_data(aliases="www.toguchin.example.ru")
    )
    client.logout()

    response = client.get("/", headers={"host": "WWW.Toguchin.example.ru:8000"})

    assert "Тогучинские вести" in response.text


@pytest.mark.parametrize("host", ["evil.example.com", "toguchin.example.ru.evil.com", "[::1"])
def test_a_host_of_no_site_gets_400_without_a_link(client, host):
    response = client.get("/", headers={"host": host})

    assert response.status_code == 400
    assert "Неизвестный адрес сайта" in response.text
    assert "href" not in response.text and "evil" not in response.text


def test_a_site_added_in_the_admin_answers_without_a_restart(client, superuser_client):
    assert client.get("/", headers={"host": "zdvinsk.example.ru"}).status_code == 400

    superuser_client.post(
        reverse("admin:network_site_add"),
        site_form_data(name="Здвинские новости", domain="zdvinsk.example.ru"),
    )

    assert "Здвинские новости" in client.get("/", headers={"host": "zdvinsk.example.ru"}).text


def test_the_feed_is_titled_after_the_site_it_is_read_on(client):
    add_site("toguchin.example.ru", "--name", "Тогучинские вести")

    response = client.get(reverse("feeds:site"), headers={"host": "toguchin.example.ru"})

    assert "<title>Тогучинские вести</title>" in response.text


def test_admin_site_form_opens_with_the_imprint_section(superuser_client):
    site = Site.objects.get(is_default=True)

    response = superuser_client.get(reverse("admin:network_site_change", args=[site.pk]))

    assert response.status_code == 200
    assert "Выходные данные (ст. 27 Закона о СМИ)" in response.text
    assert site.domain in response.text
    assert "Другие домены" in response.text


# The site's own look: colour, counter, social links (logo and favicon: test_site_media)


def district(**fields):
    site = add_site("toguchin.example.ru", "--name", "Тогучинские вести")
    for name, value in fields.items():
        setattr(site, name, value)
    return save_site(site=site)


def district_page(client, path="/"):
    return client.get(path, headers={"host": "toguchin.example.ru"})


def test_each_site_gets_its_accent_colour_from_its_stylesheet(client):
    district(accent_colour="#AA0000")

    css = district_page(client, reverse("network:theme"))

    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert css.text == ":root { --color-accent: #aa0000; --color-accent-dark: #850000; }\n"
    assert f'href="{reverse("network:theme")}?v=AA0000"' in district_page(client).text


def test_the_metrika_counter_loads_only_where_one_is_set_and_from_a_file(client):
    district(metrika_counter="98765432")

    page = district_page(client).text

    assert 'src="/static/js/metrika.js" data-counter="98765432" defer' in page
    assert "metrika" not in client.get("/").text
    assert "ym(" not in page


def test_the_footer_links_to_the_sites_social_pages(client):
    district(vk_url="https://vk.com/toguchin_vesti", telegram_url="https://t.me/toguchin")

    footer = district_page(client).text.split('class="site-footer"')[1]

    assert '<a href="https://vk.com/toguchin_vesti" rel="me noopener">ВКонтакте</a>' in footer
    assert '<a href="https://t.me/toguchin" rel="me noopener">Telegram</a>' in footer
    assert "Одноклассники" not in footer


# The rubric menu


def menu(response):
    """The rubric names in the page's menu, in order (the archive's link closes every menu)."""
    return re.findall(r'class="rubric-menu__link" href="/rubric/[^>]*>([^<]+)</a>', response.text)


def home_sections(response):
    """The rubrics of the home page's sections, in order."""
    return re.findall(r'class="section__title"><a [^>]*>([^<]+)</a>', response.text)


def test_a_site_without_a_menu_of_its_own_shows_every_active_rubric(client):
    RubricFactory(name="Экономика", order=2)
    RubricFactory(name="Спорт", order=1)
    RubricFactory(name="Старое", order=3, is_active=False)

    assert menu(client.get("/")) == ["Спорт", "Экономика"]


def test_a_sites_menu_lists_its_rubrics_in_its_order(client):
    economy, sport = RubricFactory(name="Экономика", order=2), RubricFactory(name="Спорт", order=1)
    RubricFactory(name="Культура")
    site = district()
    SiteRubric.objects.create(site=site, rubric=economy, order=1)
    SiteRubric.objects.create(site=site, rubric=sport, order=2)

    assert menu(district_page(client)) == ["Экономика", "Спорт"]
    assert menu(client.get("/")) == ["Спорт", "Экономика", "Культура"]


def test_home_sections_follow_the_sites_menu(client):
    economy, sport = RubricFactory(name="Экономика"), RubricFactory(name="Спорт")
    site = district()
    ArticleFactory.create_batch(8, rubric=economy, site=site)
    ArticleFactory.create_batch(8, rubric=sport, site=site)
    ArticleFactory.create_batch(8, rubric=economy)
    ArticleFactory.create_batch(8, rubric=sport)
    SiteRubric.objects.create(site=site, rubric=sport, order=1)

    assert home_sections(district_page(client)) == ["Спорт"]
    assert sorted(home_sections(client.get("/"))) == ["Спорт", "Экономика"]


def test_admin_sets_a_sites_menu_in_its_form(superuser_client):
    sport = RubricFactory(name="Спорт")
    site = Site.objects.get(is_default=True)
    data = site_form_data(
        name=site.name,
        domain=site.domain,
        is_default="on",
        **{
            "menu_rubrics-TOTAL_FORMS": 1,
            "menu_rubrics-INITIAL_FORMS": 0,
            "menu_rubrics-0-rubric": sport.pk,
            "menu_rubrics-0-order": 1,
        },
    )

    response = superuser_client.post(reverse("admin:network_site_change", args=[site.pk]), data)

    assert response.status_code == 302, response.context["errors"]
    assert list(site.menu_rubrics.values_list("rubric__name", flat=True)) == ["Спорт"]


def test_the_admin_is_headed_by_the_site_it_is_opened_on(superuser_client):
    add_site("toguchin.example.ru", "--name", "Тогучинские вести")

    district_admin = superuser_client.get("/admin/", headers={"host": "toguchin.example.ru"})
    oblast_admin = superuser_client.get("/admin/")

    assert '<a href="/admin/">Тогучинские вести</a>' in district_admin.text
    assert f'<a href="/admin/">{settings.NEWSROOM_PUBLICATION["name"]}</a>' in oblast_admin.text
