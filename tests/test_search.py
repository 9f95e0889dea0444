import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import resolve, reverse
from django.utils import timezone

from articles.models import Article
from regions.models import RegionKind
from tests.factories import ArticleFactory, RegionFactory, RubricFactory, save_changes
from tests.pages import main_column

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("articles:search")


def search_page(client, q, **params) -> str:
    response = client.get(SEARCH_URL, {"q": q, **params})
    assert response.status_code == 200
    return main_column(response)


def result_titles(page: str) -> list[str]:
    """Titles of the result cards, in order, with the <mark> tags taken out."""
    cards = page.split('class="card__title"')[1:]
    titles = [card.split(">", 2)[2].split("</a>", 1)[0] for card in cards]
    return [title.replace("<mark>", "").replace("</mark>", "") for title in titles]


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def test_search_url_round_trips():
    assert SEARCH_URL == "/search/"
    assert resolve("/search/").view_name == "articles:search"


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Делегация из Беларуси приехала в Здвинск", "Беларусь"),
        ("Здвинск и Беларусь подписали соглашение", "Беларуси"),
        ("Новый трактор вышел в поле", "трактора"),
        ("Ремонт трактора закончен к посевной", "трактор"),
        ("Соглашение о сотрудничестве районов", "сотрудничество"),
        ("Сотрудничество с соседями крепнет", "сотрудничества"),
    ],
)
def test_search_finds_other_forms_of_the_word(client, text, query):
    ArticleFactory(title="Найденная новость", body=f"<p>{text}</p>")
    ArticleFactory(title="Посторонняя новость", body="<p>Дожди прошли над районом.</p>")

    assert result_titles(search_page(client, query)) == ["Найденная новость"]


def test_search_needs_every_word_of_the_query(client):
    ArticleFactory(title="Трактор в поле")
    ArticleFactory(title="Трактор в гараже")

    assert result_titles(search_page(client, "трактора поле")) == ["Трактор в поле"]


def test_search_finds_words_of_the_lead(client):
    ArticleFactory(title="Новости района", lead="Аграрии получили новые тракторы.")

    assert result_titles(search_page(client, "трактор")) == ["Новости района"]


def test_title_match_ranks_above_body_only_match(client):
    ArticleFactory(
        title="Посевная в районе",
        body="<p>Трактор, ещё трактор и третий трактор вышли в поле.</p>",
        published_at=hours_ago(1),
    )
    ArticleFactory(title="Новый трактор для хозяйства", published_at=hours_ago(48))

    titles = result_titles(search_page(client, "трактор"))

    assert titles == ["Новый трактор для хозяйства", "Посевная в районе"]


def test_equally_relevant_results_are_newest_first(client):
    ArticleFactory(title="Трактор вышел в поле", published_at=hours_ago(30))
    ArticleFactory(title="Трактор вышел в поле!", published_at=hours_ago(2))
    ArticleFactory(title="Трактор вышел в поле?", published_at=hours_ago(10))

    titles = result_titles(search_page(client, "трактор"))

    assert titles == ["Трактор вышел в поле!", "Трактор вышел в поле?", "Трактор вышел в поле"]


def test_drafts_and_scheduled_articles_never_appear(client):
    ArticleFactory(title="Трактор опубликован")
    ArticleFactory(title="Трактор в черновике", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(
        title="Трактор в черновике с датой", status=Article.Status.DRAFT, published_at=hours_ago(1)
    )
    ArticleFactory(title="Трактор по расписанию", published_at=timezone.now() + timedelta(hours=1))

    assert result_titles(search_page(client, "трактор")) == ["Трактор опубликован"]


def test_article_is_found_by_its_new_words_after_editing(client):
    article = ArticleFactory(title="Посевная началась")
    save_changes(article, title="Уборочная началась")

    assert result_titles(search_page(client, "уборочная")) == ["Уборочная началась"]
    assert result_titles(search_page(client, "посевная")) == []


def test_matched_word_forms_are_highlighted_in_title_and_snippet(client):
    ArticleFactory(
        title="Тракторы для района",
        lead="",
        body="<p>Хозяйство купило два трактора. Каждый трактор — с навигатором.</p>",
    )

    page = search_page(client, "трактор")

    assert "<mark>Тракторы</mark> для района" in page
    assert "купило два <mark>трактора</mark>. Каждый <mark>трактор</mark> — с навигатором" in page


def test_snippet_shows_the_text_around_a_match_deep_in_the_body(client):
    filler = " ".join(["Дожди прошли над районом."] * 40)
    ArticleFactory(title="Итоги недели", lead="", body=f"<p>{filler}</p><p>Трактор вышел.</p>")

    page = search_page(client, "трактор")

    assert "<mark>Трактор</mark> вышел." in page
    assert 'class="card__excerpt">…' in page


def test_html_in_article_text_is_escaped_in_results(client):
    ArticleFactory(
        title="Трактор <script>alert(1)</script>",
        lead="Трактор <b>жирный</b> & быстрый",
    )

    page = search_page(client, "трактор")

    assert "<script>alert(1)" not in page
    assert "<mark>Трактор</mark> &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark>Трактор</mark> &lt;b&gt;жирный&lt;/b&gt; &amp; быстрый" in page


def test_rubric_filter_keeps_results_of_that_rubric(client):
    sport = RubricFactory(name="Спорт")
    ArticleFactory(title="Трактор на стадионе", rubric=sport)
    ArticleFactory(title="Трактор в поле")

    assert result_titles(search_page(client, "трактор", rubric=sport.slug)) == [
        "Трактор на стадионе"
    ]


def test_region_filter_includes_articles_of_its_sub_regions(client):
    oblast = RegionFactory(name="Новосибирская область", kind=RegionKind.OBLAST)
    district = RegionFactory(name="Здвинский район", parent=oblast)
    village = RegionFactory(name="Здвинск", kind=RegionKind.SETTLEMENT, parent=district)
    neighbour = RegionFactory(name="Алтайский край", kind=RegionKind.OBLAST)
    ArticleFactory(title="Трактор в области", regions=[oblast], published_at=hours_ago(1))
    ArticleFactory(title="Трактор в селе", regions=[village], published_at=hours_ago(2))
    ArticleFactory(title="Трактор у соседей", regions=[neighbour])

    assert result_titles(search_page(client, "трактор", region=oblast.slug)) == [
        "Трактор в области",
        "Трактор в селе",
    ]
    assert result_titles(search_page(client, "трактор", region=district.slug)) == ["Трактор в селе"]


@pytest.mark.parametrize("field", ["rubric", "region"])
# A NUL byte is a 400 on every page, before any form sees it (tests/test_hostile_input.py).
@pytest.mark.parametrize("value", ["no-such-slug", "слово", "'; DROP TABLE x; --"])
def test_invalid_filter_value_is_a_form_error_on_a_normal_page(client, field, value):
    ArticleFactory(title="Трактор в поле")

    response = client.get(SEARCH_URL, {"q": "трактор", field: value})

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'class="search-page-form__error"' in main_column(response)


@pytest.mark.parametrize(
    "q",
    [
        "",
        "   ",
        "трактор " * 1250,
        "т" * 10_000,
        '"трактор"',
        "«трактор» 'поле'",
        "&|!:*()",
        "'; DROP TABLE articles_article; --",
        "🚜🚜",
        "трактор & | !",
        "*",
        "трактор:*",
        "!трактор <-> поле",
        "\\",
        "%_",
        "трактор" + "\u0301" * 50,
    ],
)
def test_odd_query_gives_a_normal_page(client, q):
    ArticleFactory(title="Трактор в поле")

    response = client.get(SEARCH_URL, {"q": q})

    assert response.status_code == 200
    assert Article.objects.filter(title="Трактор в поле").exists()


def test_query_with_operators_searches_its_words(client):
    ArticleFactory(title="Трактор в поле")

    assert result_titles(search_page(client, "трактор & | !")) == ["Трактор в поле"]


def test_empty_query_invites_the_reader_to_type(client):
    page = search_page(client, "")

    assert "Введите слово или несколько слов" in page
    assert 'class="card' not in page


def test_nothing_found_names_the_query(client):
    ArticleFactory(title="Трактор в поле")

    page = search_page(client, "комбайн <i>")

    assert "Ничего не найдено по запросу «комбайн &lt;i&gt;»" in page


def test_nothing_found_with_filters_offers_the_search_without_them(client):
    ArticleFactory(title="Трактор в поле")
    rubric = RubricFactory()

    page = search_page(client, "трактор", rubric=rubric.slug)

    assert f'href="{SEARCH_URL}?q=%D1%82%D1%80%D0%B0%D0%BA%D1%82%D0%BE%D1%80"' in page


def test_pagination_keeps_the_query_and_filters(client):
    rubric = RubricFactory()
    for hour in range(1, 23):
        ArticleFactory(title=f"Трактор номер {hour}", rubric=rubric, published_at=hours_ago(hour))

    first = client.get(SEARCH_URL, {"q": "трактор", "rubric": rubric.slug})
    next_link = main_column(first).split('rel="next" href="', 1)[1].split('"', 1)[0]
    second = client.get(SEARCH_URL + next_link.replace("&amp;", "&"))

    assert f"rubric={rubric.slug}" in next_link
    assert "page=2" in next_link
    assert first.context["paginator"].count == 22
    assert result_titles(main_column(second)) == ["Трактор номер 21", "Трактор номер 22"]


def test_results_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    oblast = RegionFactory(name="Новосибирская область", kind=RegionKind.OBLAST)
    rubric = RubricFactory()
    for hour in range(1, 26):
        ArticleFactory(title=f"Трактор {hour}", rubric=rubric, regions=[oblast])

    # rubric and region by slug, the region's subtree, results, rubric and region choices,
    # menu, recent news
    with django_assert_num_queries(8):
        response = client.get(
            SEARCH_URL, {"q": "трактор", "rubric": rubric.slug, "region": oblast.slug}
        )

    assert len(response.context["articles"]) == 20


def test_migration_fills_search_text_of_existing_articles(client):
    ArticleFactory(title="Трактор в поле")
    Article.objects.update(search_title="", search_lead="", search_body="")
    assert result_titles(search_page(client, "трактор")) == []

    migration = importlib.import_module("articles.migrations.0002_article_search")
    migration.fill_search_text(apps, schema_editor=None)

    assert result_titles(search_page(client, "трактор")) == ["Трактор в поле"]


def test_search_ranks_only_the_newest_matches_of_a_common_word(client, monkeypatch):
    monkeypatch.setattr("articles.search.MAX_RANKED_MATCHES", 2)
    ArticleFactory(title="Дорога в Бердск", published_at=hours_ago(3))
    ArticleFactory(title="Дорога в Искитим", published_at=hours_ago(2))
    ArticleFactory(title="Дорога в Обь", published_at=hours_ago(1))

    titles = result_titles(search_page(client, "дорога"))

    assert sorted(titles) == ["Дорога в Искитим", "Дорога в Обь"]
