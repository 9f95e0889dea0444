"""One installation, many sites: articles placed across the network, and who may place them.

The oblast's site is the default one (the test client's `testserver`); districts are sites of
their own, asked for by their Host header.
"""

import json
import re

import lxml.html
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import Article, Placement
from editorial import services, workflow
from network import hosts
from network.models import Site
from staff.roles import EDITORS, MODERATORS, NETWORK_DESK
from tests.admin_forms import article_form_data, change_url, run_action
from tests.factories import (
    ArticleFactory,
    RubricFactory,
    SiteFactory,
    StaffProfileFactory,
    staff_member,
)
from tests.pages import main_column, recent_news
from tests.test_import import record

pytestmark = pytest.mark.django_db

TOGUCHIN = "toguchin.example.ru"
ZDVINSK = "zdvinsk.example.ru"


@pytest.fixture
def oblast():
    return Site.objects.get(is_default=True)


@pytest.fixture
def toguchin():
    return SiteFactory(domain=TOGUCHIN, name="Тогучинские вести")


@pytest.fixture
def zdvinsk():
    return SiteFactory(domain=ZDVINSK, name="Здвинский вестник")


@pytest.fixture
def regional_news():
    return RubricFactory(name="Новости региона")


@pytest.fixture
def oblast_story(oblast):
    return ArticleFactory(
        title="Регион активно развивает сотрудничество с предприятиями Республики Беларусь",
        rubric=RubricFactory(name="Экономика"),
        site=oblast,
    )


def on(client, host, path="/", **kwargs):
    return client.get(path, headers={"host": host}, **kwargs)


def post_on(client, host, path, data):
    return client.post(path, data, headers={"host": host})


def titles(html: str) -> set[str]:
    return set(re.findall(r'<a[^>]*href="/news/[^"]+/"[^>]*>\s*([^<]+?)\s*</a>', html))


# Readers


def test_an_article_placed_on_a_district_is_on_its_home_beside_its_own_news(
    client, oblast_story, toguchin, regional_news
):
    own = ArticleFactory(title="В Тогучине открыли каток", site=toguchin)
    services.place_article(article=oblast_story, sites=[toguchin], user=None, rubric=regional_news)

    home = on(client, TOGUCHIN)

    assert {oblast_story.title, own.title} <= titles(main_column(home))
    assert oblast_story.title in recent_news(home)


def test_a_district_shows_neither_the_oblasts_nor_other_districts_articles_it_does_not_carry(
    client, oblast_story, toguchin, zdvinsk
):
    elsewhere = ArticleFactory(title="В Здвинске выбрали лучшего тракториста", site=zdvinsk)
    rubric_path = oblast_story.rubric.get_absolute_url()

    pages = [
        on(client, TOGUCHIN),
        on(client, TOGUCHIN, rubric_path),
        on(client, TOGUCHIN, reverse("articles:archive")),
        on(client, TOGUCHIN, reverse("articles:search"), query_params={"q": "Беларусь"}),
        on(client, TOGUCHIN, reverse("feeds:site")),
    ]

    for page in pages:
        assert page.status_code == 200
        assert oblast_story.title not in page.text
        assert elsewhere.title not in page.text


def test_a_placed_article_is_listed_under_the_rubric_its_placement_chose(
    client, oblast_story, toguchin, regional_news
):
    services.place_article(article=oblast_story, sites=[toguchin], user=None, rubric=regional_news)

    district_rubric = on(client, TOGUCHIN, regional_news.get_absolute_url())
    district_article = on(client, TOGUCHIN, oblast_story.get_absolute_url())
    oblast_rubric = client.get(oblast_story.rubric.get_absolute_url())

    assert oblast_story.title in main_column(district_rubric)
    assert oblast_story.title not in main_column(on(client, TOGUCHIN, "/rubric/ekonomika/"))
    assert 'class="rubric-label" href="/rubric/novosti-regiona/">Новости региона' in (
        district_article.text
    )
    assert oblast_story.title in main_column(oblast_rubric)


def test_a_placed_article_renders_in_the_districts_design_with_its_canonical_on_the_oblast(
    client, oblast_story, toguchin
):
    services.place_article(article=oblast_story, sites=[toguchin], user=None)
    canonical = f"http://localhost{oblast_story.get_absolute_url()}"

    page = on(client, TOGUCHIN, oblast_story.get_absolute_url())

    assert page.status_code == 200
    assert "Тогучинские вести" in page.text
    assert f'<link rel="canonical" href="{canonical}">' in page.text
    scripts = lxml.html.fromstring(page.content).xpath('//script[@type="application/ld+json"]')
    news = [json.loads(script.text) for script in scripts]
    article = next(data for data in news if data["@type"] == "NewsArticle")
    assert article["mainEntityOfPage"]["@id"] == canonical
    assert f'Материал сайта <a href="{canonical}">' in page.text


def test_an_article_a_site_does_not_carry_answers_301_to_its_canonical_address(
    client, oblast_story, toguchin
):
    response = on(client, TOGUCHIN, oblast_story.get_absolute_url())

    assert response.status_code == 301
    assert response["Location"] == f"http://localhost{oblast_story.get_absolute_url()}"


def test_an_article_on_its_own_site_has_its_own_address_as_canonical(client, toguchin):
    own = ArticleFactory(site=toguchin)

    page = on(client, TOGUCHIN, own.get_absolute_url())

    assert f'<link rel="canonical" href="http://{TOGUCHIN}{own.get_absolute_url()}">' in page.text
    assert "Материал сайта" not in page.text


def test_removing_a_placement_takes_the_article_off_that_site_only(
    client, oblast_story, toguchin, zdvinsk
):
    services.place_article(article=oblast_story, sites=[toguchin, zdvinsk], user=None)

    services.remove_placement(
        placement=Placement.objects.get(article=oblast_story, site=toguchin), user=None
    )

    assert oblast_story.title not in main_column(on(client, TOGUCHIN))
    assert on(client, TOGUCHIN, oblast_story.get_absolute_url()).status_code == 301
    assert oblast_story.title in main_column(on(client, ZDVINSK))
    assert oblast_story.title in main_column(client.get("/"))


def test_the_primary_sites_placement_cannot_be_removed(oblast_story, oblast):
    with pytest.raises(services.ActionRefused):
        services.remove_placement(
            placement=Placement.objects.get(article=oblast_story, site=oblast), user=None
        )


def test_a_placement_marked_featured_leads_the_districts_home(client, oblast_story, toguchin):
    ArticleFactory(site=toguchin, title="Свежая районная новость")
    placement = services.place_article(
        article=oblast_story, sites=[toguchin], user=None, is_featured=True
    )[0]

    lead = main_column(on(client, TOGUCHIN)).split('class="lead-story', 1)[1][:2000]

    assert placement.is_featured
    assert oblast_story.title in lead


def test_placing_on_the_network_reaches_every_site(client, oblast_story, toguchin, zdvinsk):
    services.place_on_network(article=oblast_story, user=None)

    for host in (TOGUCHIN, ZDVINSK):
        assert oblast_story.title in main_column(on(client, host))


def test_unpublishing_takes_the_article_off_every_site_that_carries_it(
    client, oblast_story, toguchin, superuser
):
    services.place_article(article=oblast_story, sites=[toguchin], user=None)

    services.take_step(
        article=oblast_story, action=services.Action.UNPUBLISH, user=superuser, comment=""
    )

    assert oblast_story.title not in main_column(on(client, TOGUCHIN))
    assert on(client, TOGUCHIN, oblast_story.get_absolute_url()).status_code == 404


def test_the_sites_rss_carries_articles_placed_on_it(client, oblast_story, toguchin):
    services.place_article(article=oblast_story, sites=[toguchin], user=None)

    feed = on(client, TOGUCHIN, reverse("feeds:site"))

    assert oblast_story.title in feed.text
    assert f"http://{TOGUCHIN}{oblast_story.get_absolute_url()}" in feed.text


@pytest.mark.parametrize(
    "path",
    [
        reverse("feeds:yandex"),
        reverse("feeds:dzen"),
        reverse("sitemaps:section", kwargs={"section": "articles"}),
        reverse("sitemaps:news"),
    ],
)
def test_aggregator_outputs_list_only_the_sites_own_articles(client, oblast_story, toguchin, path):
    own = ArticleFactory(site=toguchin)
    services.place_article(article=oblast_story, sites=[toguchin], user=None)

    district = on(client, TOGUCHIN, path).content.decode()
    oblast = client.get(path).content.decode()

    assert own.get_absolute_url() in district
    assert oblast_story.get_absolute_url() not in district
    assert oblast_story.get_absolute_url() in oblast
    assert own.get_absolute_url() not in oblast


# Who may place, change and remove


@pytest.fixture
def toguchin_editor(toguchin):
    return staff_member(EDITORS, username="toguchin_editor", sites=[toguchin])


@pytest.fixture
def network_editor(db):
    return staff_member(NETWORK_DESK, username="network_editor")


def feed_url():
    return reverse("admin:editorial_networkarticle_changelist")


def test_a_district_editor_picks_up_an_article_from_the_network_feed(
    client_as, oblast_story, toguchin, toguchin_editor, regional_news
):
    client = client_as(toguchin_editor)
    feed = on(client, TOGUCHIN, feed_url()).text
    assert oblast_story.title in feed
    assert "Лента сети: что взять на сайт «Тогучинские вести»" in feed

    post_on(
        client,
        TOGUCHIN,
        feed_url(),
        {
            "action": "pick_up",
            "_selected_action": [oblast_story.pk],
            "rubric": regional_news.pk,
            "index": 0,
        },
    )

    placement = Placement.objects.get(article=oblast_story, site=toguchin)
    assert placement.rubric == regional_news
    assert placement.placed_by == toguchin_editor
    assert oblast_story.title not in on(client, TOGUCHIN, feed_url()).text


def test_a_district_editor_cannot_pick_up_for_another_district(
    client_as, oblast_story, toguchin_editor, zdvinsk
):
    client = client_as(toguchin_editor)

    response = post_on(
        client,
        ZDVINSK,
        feed_url(),
        {"action": "pick_up", "_selected_action": [oblast_story.pk], "index": 0},
    )

    assert response.status_code == 403
    assert not Placement.objects.filter(article=oblast_story, site=zdvinsk).exists()
    with pytest.raises(services.ActionRefused):
        services.place_article(article=oblast_story, sites=[zdvinsk], user=toguchin_editor)


def test_a_district_editor_cannot_change_unpublish_or_trash_another_sites_article(
    client_as, oblast_story, toguchin, toguchin_editor
):
    services.place_article(article=oblast_story, sites=[toguchin], user=None)
    client = client_as(toguchin_editor)
    before = Article.objects.filter(pk=oblast_story.pk).values().get()

    changed = post_on(
        client,
        TOGUCHIN,
        change_url(oblast_story),
        article_form_data(oblast_story.rubric, title="Подменённый заголовок"),
    )
    unpublished = run_action(client, "unpublish", [oblast_story])
    trashed = post_on(
        client, TOGUCHIN, reverse("admin:articles_article_delete", args=[oblast_story.pk]), {}
    )

    # Other sites' articles are not in their admin at all: "no such article", back to the index.
    assert changed.status_code == 302
    assert changed["Location"] == reverse("admin:index")
    assert unpublished.status_code == 302
    assert trashed.status_code in (302, 404)
    with pytest.raises(workflow.TransitionRefused):
        services.take_step(
            article=oblast_story, action=services.Action.UNPUBLISH, user=toguchin_editor
        )
    with pytest.raises(services.ActionRefused):
        services.move_to_trash(article=oblast_story, user=toguchin_editor)
    assert Article.objects.filter(pk=oblast_story.pk).values().get() == before


def test_a_district_editor_takes_a_placed_article_off_their_site(
    client_as, oblast_story, toguchin, toguchin_editor
):
    placement = services.place_article(article=oblast_story, sites=[toguchin], user=None)[0]

    response = post_on(
        client_as(toguchin_editor),
        TOGUCHIN,
        reverse("admin:articles_placement_delete", args=[placement.pk]),
        {"post": "yes"},
    )

    assert response.status_code == 302
    assert not Placement.objects.filter(pk=placement.pk).exists()
    assert Article.objects.published().filter(pk=oblast_story.pk).exists()


def test_a_district_editor_cannot_remove_another_districts_placement(
    client_as, oblast_story, toguchin_editor, zdvinsk
):
    placement = services.place_article(article=oblast_story, sites=[zdvinsk], user=None)[0]

    response = post_on(
        client_as(toguchin_editor),
        TOGUCHIN,
        reverse("admin:articles_placement_delete", args=[placement.pk]),
        {"post": "yes"},
    )

    assert response.status_code in (302, 403)
    assert Placement.objects.filter(pk=placement.pk).exists()
    with pytest.raises(services.ActionRefused):
        services.remove_placement(placement=placement, user=toguchin_editor)


def test_a_district_editor_writes_for_their_site_only(client_as, toguchin, toguchin_editor, oblast):
    client = client_as(toguchin_editor)
    rubric = RubricFactory()

    refused = post_on(
        client,
        TOGUCHIN,
        reverse("admin:articles_article_add"),
        article_form_data(rubric, title="Чужой сайт", site=oblast.pk),
    )
    accepted = post_on(
        client,
        TOGUCHIN,
        reverse("admin:articles_article_add"),
        article_form_data(rubric, title="Свой сайт"),
    )

    assert refused.status_code == 200
    assert "site" in refused.context["adminform"].form.errors
    assert not Article.objects.filter(title="Чужой сайт").exists()
    assert accepted.status_code == 302
    assert Article.objects.get(title="Свой сайт").site == toguchin


def test_a_district_editor_publishes_on_their_site_and_places_on_no_other(
    client_as, toguchin, toguchin_editor, zdvinsk
):
    client = client_as(toguchin_editor)
    rubric = RubricFactory()

    response = post_on(
        client,
        TOGUCHIN,
        reverse("admin:articles_article_add"),
        article_form_data(rubric, title="Районная новость", _transition="publish")
        | {"also_on": [zdvinsk.pk]},
    )

    assert response.status_code == 200
    assert "also_on" in response.context["adminform"].form.errors
    assert not Article.objects.filter(title="Районная новость").exists()


def test_the_network_desk_pushes_an_article_to_every_site(
    client_as, oblast_story, network_editor, toguchin, zdvinsk
):
    client = client_as(network_editor)
    data = article_form_data(
        oblast_story.rubric,
        title=oblast_story.title,
        slug=oblast_story.slug,
        base_version=oblast_story.version,
        published_at_0="",
        on_whole_network="on",
    )

    response = client.post(change_url(oblast_story), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(oblast_story.placements.values_list("site__domain", flat=True)) == {
        "localhost",
        TOGUCHIN,
        ZDVINSK,
    }


def test_the_network_desk_picks_sites_one_by_one_and_takes_one_off(
    client_as, oblast_story, network_editor, toguchin, zdvinsk
):
    client = client_as(network_editor)
    services.place_article(article=oblast_story, sites=[toguchin], user=None)
    data = article_form_data(
        oblast_story.rubric,
        title=oblast_story.title,
        slug=oblast_story.slug,
        base_version=oblast_story.version,
        also_on=[zdvinsk.pk],
    )

    response = client.post(change_url(oblast_story), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(oblast_story.placements.elsewhere().values_list("site", flat=True)) == {zdvinsk.pk}


def test_a_moderator_reviews_only_their_sites_articles(client_as, toguchin, zdvinsk, author):
    moderator = staff_member(MODERATORS, username="toguchin_moderator", sites=[toguchin])
    waiting_here = ArticleFactory(site=toguchin, status=Article.Status.REVIEW, published_at=None)
    waiting_there = ArticleFactory(site=zdvinsk, status=Article.Status.REVIEW, published_at=None)

    run_action(client_as(moderator), "publish", [waiting_here, waiting_there])

    waiting_here.refresh_from_db()
    waiting_there.refresh_from_db()
    assert waiting_here.status == Article.Status.PUBLISHED
    assert waiting_there.status == Article.Status.REVIEW


# The page cache, per site


def test_editing_a_district_article_leaves_other_districts_pages_cached(
    client, page_cache, committed, toguchin, zdvinsk
):
    own = ArticleFactory(site=toguchin)
    on(client, TOGUCHIN)
    on(client, ZDVINSK)

    with committed():
        services.save_article(article=own, user=None)

    assert on(client, ZDVINSK)["X-Page-Cache"] == "hit"
    assert on(client, TOGUCHIN)["X-Page-Cache"] == "miss"


def test_publishing_an_article_placed_on_districts_refreshes_their_pages(
    client, page_cache, committed, toguchin, zdvinsk, superuser
):
    story = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    services.place_article(article=story, sites=[toguchin], user=None)
    for host in (TOGUCHIN, ZDVINSK, "testserver"):
        on(client, host)

    with committed():
        services.take_step(article=story, action=services.Action.PUBLISH, user=superuser)

    assert story.title in main_column(on(client, TOGUCHIN))
    assert story.title in main_column(on(client, "testserver"))
    assert on(client, ZDVINSK)["X-Page-Cache"] == "hit"


def test_picking_up_an_article_refreshes_only_the_site_that_picked_it(
    client, page_cache, committed, oblast_story, toguchin, zdvinsk
):
    for host in (TOGUCHIN, ZDVINSK, "testserver"):
        on(client, host)

    with committed():
        services.place_article(article=oblast_story, sites=[toguchin], user=None)

    assert oblast_story.title in main_column(on(client, TOGUCHIN))
    assert on(client, ZDVINSK)["X-Page-Cache"] == "hit"
    assert on(client, "testserver")["X-Page-Cache"] == "hit"


def test_rubric_chosen_for_a_district_moves_the_article_between_its_rubric_pages(
    client, page_cache, committed, oblast_story, toguchin, regional_news
):
    (placement,) = services.place_article(article=oblast_story, sites=[toguchin], user=None)
    own_rubric = oblast_story.rubric.get_absolute_url()
    chosen = regional_news.get_absolute_url()
    assert oblast_story.title in main_column(on(client, TOGUCHIN, own_rubric))
    on(client, TOGUCHIN, chosen)
    on(client, "testserver", own_rubric)

    with committed():
        services.change_placement(
            placement=placement, user=None, rubric=regional_news, is_featured=False
        )

    assert oblast_story.title not in main_column(on(client, TOGUCHIN, own_rubric))
    assert oblast_story.title in main_column(on(client, TOGUCHIN, chosen))
    assert on(client, "testserver", own_rubric)["X-Page-Cache"] == "hit"


def test_removed_placement_takes_the_article_off_the_district_rubric_page(
    client, page_cache, committed, oblast_story, toguchin
):
    (placement,) = services.place_article(article=oblast_story, sites=[toguchin], user=None)
    url = oblast_story.rubric.get_absolute_url()
    assert oblast_story.title in main_column(on(client, TOGUCHIN, url))

    with committed():
        services.remove_placement(placement=placement, user=None)

    assert oblast_story.title not in main_column(on(client, TOGUCHIN, url))


def test_picked_up_article_is_on_the_district_rubric_page(
    client, page_cache, committed, oblast_story, toguchin
):
    url = oblast_story.rubric.get_absolute_url()
    assert oblast_story.title not in main_column(on(client, TOGUCHIN, url))
    on(client, "testserver", url)

    with committed():
        services.place_article(article=oblast_story, sites=[toguchin], user=None)

    assert oblast_story.title in main_column(on(client, TOGUCHIN, url))
    assert on(client, "testserver", url)["X-Page-Cache"] == "hit"


# Import


@pytest.fixture
def jsonl(tmp_path):
    def write(*records):
        path = tmp_path / "network.jsonl"
        path.write_text("\n".join(json.dumps(data) for data in records) + "\n", encoding="utf-8")
        return str(path)

    return write


def test_import_puts_each_line_on_its_site_and_places_it_on_others(jsonl, toguchin, zdvinsk):
    call_command(
        "import_articles",
        jsonl(
            record(slug="oblast-news", also_on=[TOGUCHIN]),
            record(slug="district-news", site=ZDVINSK),
            record(slug="everywhere", also_on="*"),
        ),
    )

    oblast_news = Article.objects.get(slug="oblast-news")
    assert oblast_news.site.is_default
    assert set(oblast_news.placements.values_list("site", flat=True)) == {
        oblast_news.site_id,
        toguchin.pk,
    }
    assert Article.objects.get(slug="district-news").site == zdvinsk
    assert Article.objects.get(slug="everywhere").placements.count() == Site.objects.count()


def test_import_refuses_a_line_naming_a_site_the_network_does_not_have(jsonl, toguchin):
    with pytest.raises(CommandError, match="Ничего не импортировано"):
        call_command(
            "import_articles",
            jsonl(
                record(slug="good", also_on=[TOGUCHIN]),
                record(slug="bad-site", site="nowhere.example.ru"),
                record(slug="bad-placement", also_on=["nowhere.example.ru"]),
            ),
        )

    assert not Article.objects.exists()


# Query counts


@pytest.fixture(params=[0, 6], ids=["one district", "a larger network"])
def network(request, toguchin, oblast, regional_news):
    """The district's own and oblast articles placed on it, beside `param` more districts
    that carry the same oblast articles."""
    others = SiteFactory.create_batch(request.param)
    for _number in range(4):
        ArticleFactory(site=toguchin)
        story = ArticleFactory(site=oblast)
        services.place_article(
            article=story, sites=[toguchin, *others], user=None, rubric=regional_news
        )
    hosts.current()  # the sites, read once per process, are not the page's queries
    return toguchin


@pytest.mark.parametrize(
    ("path", "queries"),
    [("/", 5), ("/rubric/novosti-regiona/", 5), (reverse("feeds:site"), 2)],
)
def test_a_district_page_runs_the_same_queries_whatever_the_networks_size(
    client, django_assert_num_queries, network, path, queries
):
    with django_assert_num_queries(queries):
        assert on(client, TOGUCHIN, path).status_code == 200


def test_a_placed_article_page_runs_the_same_queries_whatever_the_networks_size(
    client, django_assert_num_queries, network
):
    path = Article.objects.filter(site__is_default=True).first().get_absolute_url()

    with django_assert_num_queries(3):
        assert on(client, TOGUCHIN, path).status_code == 200


def test_the_network_feed_is_for_editors_of_the_site_it_is_opened_on(
    client_as, author, toguchin_editor
):
    assert client_as(author).get(feed_url()).status_code == 403
    assert client_as(toguchin_editor).get(feed_url()).status_code == 403
    assert on(client_as(toguchin_editor), TOGUCHIN, feed_url()).status_code == 200


def test_the_staff_list_shows_which_sites_each_person_works_for(superuser_client, toguchin_editor):
    StaffProfileFactory(public_name="Внештатный автор")

    page = superuser_client.get(reverse("admin:staff_staffprofile_changelist"))

    assert "Тогучинские вести" in page.text
    assert "сайт по умолчанию" in page.text


def test_a_districts_archive_filters_by_the_rubric_articles_have_on_it(
    client, oblast_story, toguchin, zdvinsk, regional_news
):
    services.place_article(article=oblast_story, sites=[toguchin], user=None)
    services.place_article(article=oblast_story, sites=[zdvinsk], user=None, rubric=regional_news)
    archive = reverse("articles:archive")

    filtered = on(client, TOGUCHIN, archive, query_params={"rubric": regional_news.slug})
    dated = on(client, TOGUCHIN, archive, query_params={"date_from": "2000-01-01"})

    assert oblast_story.title not in main_column(filtered)
    assert oblast_story.title in main_column(dated)
    assert main_column(dated).count(oblast_story.title) == 1


def test_a_district_editors_article_list_holds_their_sites_articles(
    client_as, oblast_story, toguchin, toguchin_editor
):
    own = ArticleFactory(site=toguchin, title="Тогучинская новость")

    page = client_as(toguchin_editor).get(reverse("admin:articles_article_changelist"))

    assert own.title in page.text
    assert oblast_story.title not in page.text
