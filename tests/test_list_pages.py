from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from network.models import Site
from network.services import save_site
from regions.models import RegionKind
from tests.factories import (
    ArticleFactory,
    RegionFactory,
    RubricFactory,
    StaffProfileFactory,
)
from tests.pages import card_titles, home_sections, main_column

pytestmark = pytest.mark.django_db


@pytest.fixture
def oblast_tree():
    oblast = RegionFactory(name="Новосибирская область", kind=RegionKind.OBLAST)
    district = RegionFactory(name="Здвинский район", parent=oblast)
    village = RegionFactory(name="Здвинск", kind=RegionKind.SETTLEMENT, parent=district)
    neighbour = RegionFactory(name="Алтайский край", kind=RegionKind.OBLAST)
    return oblast, district, village, neighbour


def test_region_page_includes_news_of_all_its_sub_regions(client, oblast_tree):
    oblast, district, village, neighbour = oblast_tree
    ArticleFactory(title="Новость области", regions=[oblast])
    ArticleFactory(title="Новость района", regions=[district])
    ArticleFactory(title="Новость села", regions=[village])
    ArticleFactory(title="Новость соседей", regions=[neighbour])

    page = main_column(client.get(oblast.get_absolute_url()))

    assert "Новость области" in page
    assert "Новость района" in page
    assert "Новость села" in page
    assert "Новость соседей" not in page


def test_district_page_leaves_out_news_of_its_parent(client, oblast_tree):
    oblast, district, village, _ = oblast_tree
    ArticleFactory(title="Новость области", regions=[oblast])
    ArticleFactory(title="Новость села", regions=[village])

    page = main_column(client.get(district.get_absolute_url()))

    assert "Новость села" in page
    assert "Новость области" not in page


def test_article_in_a_region_and_its_district_is_listed_once(client, oblast_tree):
    oblast, district, *_ = oblast_tree
    ArticleFactory(title="Двойная новость", regions=[oblast, district])

    page = main_column(client.get(oblast.get_absolute_url()))

    assert page.count("Двойная новость") == 1


def test_rubric_page_lists_its_articles_only(client):
    rubric = RubricFactory(name="Спорт")
    ArticleFactory(title="Матч в Бердске", rubric=rubric)
    ArticleFactory(title="Урожай в Куйбышеве")

    page = main_column(client.get(rubric.get_absolute_url()))

    assert "Матч в Бердске" in page
    assert "Урожай в Куйбышеве" not in page


def test_tag_page_lists_articles_with_the_tag(client):
    ArticleFactory(title="Визит делегации", tags=["Беларусь"])
    ArticleFactory(title="Ремонт дороги", tags=["дороги"])

    page = main_column(client.get(reverse("articles:tag", kwargs={"slug": "belarus"})))

    assert "Визит делегации" in page
    assert "Ремонт дороги" not in page


def test_author_page_lists_the_authors_articles(client):
    author = StaffProfileFactory(public_name="Анна Кузнецова", position="Корреспондент")
    ArticleFactory(title="Репортаж с фермы", authors=[author])
    ArticleFactory(title="Чужая заметка")

    page = main_column(client.get(author.get_absolute_url()))

    assert "Анна Кузнецова" in page
    assert "Репортаж с фермы" in page
    assert "Чужая заметка" not in page


def test_list_pages_show_twenty_articles_a_page(client):
    rubric = RubricFactory()
    ArticleFactory.create_batch(21, rubric=rubric)

    first = client.get(rubric.get_absolute_url())
    second = client.get(rubric.get_absolute_url(), {"page": 2})

    assert len(card_titles(first)) == 20
    assert len(card_titles(second)) == 1


@pytest.mark.parametrize("page", ["abc", "0", "-1", "3", "99999999999999999999", "1.5", "1'"])
def test_bad_or_out_of_range_page_is_404(client, page):
    rubric = RubricFactory()
    ArticleFactory.create_batch(21, rubric=rubric)

    assert client.get(rubric.get_absolute_url(), {"page": page}).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/rubric/no-such-rubric/",
        "/region/no-such-region/",
        "/tag/no-such-tag/",
        "/author/no-such-author/",
        "/news/no-such-news/",
        "/news/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D1%8C/",
        "/news/a/b/",
    ],
)
def test_unknown_pages_are_404(client, url):
    assert client.get(url).status_code == 404


def test_home_shows_the_lead_story_and_rubric_sections(client):
    rubric = RubricFactory(name="Экономика")
    ArticleFactory(title="Обычная новость", rubric=rubric)
    ArticleFactory(title="Главная новость дня", is_featured=True)

    page = client.get("/").content.decode()

    lead_story = page.split('class="lead-story"')[1].split("</section>")[0]
    assert "Главная новость дня" in lead_story
    assert "Обычная новость" not in lead_story
    assert 'href="/rubric/ekonomika/"' in page


def test_home_on_an_empty_site_says_news_will_appear(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "как только редакция их опубликует" in response.content.decode()


def test_footer_shows_the_imprint_and_the_site_age_mark(client):
    site = Site.objects.get(is_default=True)
    site.editor_in_chief, site.registration, site.age_mark = (
        "Сидоров П. П.",
        "Эл № ФС77-12345",
        "18+",
    )
    save_site(site=site)

    page = client.get("/").content.decode()
    footer = page.split('class="site-footer"')[1]

    assert "Сидоров П. П." in footer
    assert "Эл № ФС77-12345" in footer
    assert "18+" in footer


def test_home_shows_each_article_once_in_its_main_column(client):
    rubric = RubricFactory(name="Экономика")
    ArticleFactory.create_batch(12, rubric=rubric)

    page = main_column(client.get("/"))

    for article in rubric.articles.all():
        assert page.count(f'<a href="{article.get_absolute_url()}">') <= 1


def test_home_groups_older_articles_by_rubric_in_rubric_order(client):
    sport = RubricFactory(name="Спорт", order=2)
    culture = RubricFactory(name="Культура", order=1)
    ArticleFactory.create_batch(8, rubric=sport)
    ArticleFactory.create_batch(8, rubric=culture)

    sections = home_sections(client.get("/"))

    assert list(sections) == ["Культура", "Спорт"]
    assert all(1 <= len(articles) <= 4 for articles in sections.values())


def test_home_section_holds_the_newest_articles_after_the_lead_and_grid(client):
    sport = RubricFactory(name="Спорт")
    ArticleFactory.create_batch(12, rubric=sport)
    hidden = RubricFactory(name="Архивная рубрика", is_active=False)
    ArticleFactory(rubric=hidden, published_at=timezone.now() - timedelta(days=30))

    sections = home_sections(client.get("/"))

    newest_first = list(sport.articles.order_by("-published_at", "-pk"))
    assert sections["Спорт"] == [article.get_absolute_url() for article in newest_first[7:11]]
    assert "Архивная рубрика" not in sections


def test_home_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for rubric in RubricFactory.create_batch(5):
        ArticleFactory.create_batch(6, rubric=rubric)

    # The rubrics; the lead, the grid and each rubric's newest in one UNION ALL; their cards;
    # the menu; the recent news.
    with django_assert_num_queries(5):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("per_article", [1, 5])
def test_list_pages_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, oblast_tree, per_article
):
    oblast, district, *_ = oblast_tree
    rubric = RubricFactory()
    author = StaffProfileFactory()
    ArticleFactory.create_batch(
        25,
        rubric=rubric,
        regions=[district, *RegionFactory.create_batch(per_article, parent=oblast)],
        tags=["дороги", *[f"тег {n}" for n in range(per_article)]],
        authors=[author, *StaffProfileFactory.create_batch(per_article)],
    )
    # The subject, its page of articles (ids and versions, no count), their cards, menu, recent
    # news; a region adds its sub-regions (the page lists them) and their ids for the filter.
    pages = {
        rubric.get_absolute_url(): 5,
        oblast.get_absolute_url(): 7,
        reverse("articles:tag", kwargs={"slug": "dorogi"}): 5,
        author.get_absolute_url(): 5,
    }

    for url, queries in pages.items():
        with django_assert_num_queries(queries):
            assert client.get(url, {"page": 2}).status_code == 200


def test_not_found_page_is_a_friendly_page_of_the_site(client):
    response = client.get("/news/no-such-news/")

    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
    assert 'class="site-footer"' in response.content.decode()
