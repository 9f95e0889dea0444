"""The moderator's review screen: an article taken off the site and sent back for review shows
what changed since readers last saw it, word by word; a first-time article says there is
nothing to compare."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from articles.models import Article
from editorial import services
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PUBLISHED_BODY = "<p>Мост откроют в пятницу.</p><p>Движение пустят сразу.</p>"
CORRECTED_BODY = "<p>Мост откроют в субботу.</p><p>Движение пустят сразу.</p>"
# The preview page's own ten, plus the unpublishing step, the latest and the published versions
# with what was stored beside each, and the names of the rubric and regions compared.
REVIEW_QUERIES = 18


def review_screen(client, article):
    response = client.get(reverse("admin:articles_article_preview", args=[article.pk]))
    assert response.status_code == 200
    return html.document_fromstring(response.content.decode())


def since_publication(document):
    """The section under the article, or None."""
    sections = document.xpath('//section[@id="since-publication"]')
    return sections[0] if sections else None


def marked(section, tag):
    """The words marked in the text's diff (title, lead, body), in order."""
    return [
        " ".join(element.text_content().split())
        for element in section.xpath(f'.//p[contains(@class, "revision-line")]//{tag}')
    ]


def save(article, *, user, action=None, **changes):
    for name, value in changes.items():
        setattr(article, name, value)
    return services.save_article(article=article, user=user, action=action)


@pytest.fixture
def correction(editor, desk_region):
    """Published, taken off the site, corrected and sent for review by its editor."""
    article = ArticleFactory(
        title="Мост откроют в пятницу",
        body=PUBLISHED_BODY,
        status=Article.Status.DRAFT,
        published_at=None,
        regions=[desk_region],
    )
    save(article, user=editor, action="publish")
    services.take_step(article=article, action="unpublish", user=editor)
    article.refresh_from_db()
    return save(
        article,
        user=editor,
        action="submit",
        title="Мост откроют в субботу",
        body=CORRECTED_BODY,
    )


def test_review_marks_the_words_changed_since_readers_saw_the_article(
    client_as, moderator, correction
):
    section = since_publication(review_screen(client_as(moderator), correction))

    assert section is not None
    assert marked(section, "del") == ["пятницу", "пятницу"]
    assert marked(section, "ins") == ["субботу", "субботу"]
    assert "Движение пустят сразу." in section.text_content()


def test_review_compares_with_the_last_version_readers_saw(
    client_as, moderator, editor, correction
):
    services.take_step(article=correction, action="publish", user=moderator)
    correction.refresh_from_db()
    save(correction, user=editor, body="<p>Мост откроют в субботу утром.</p>")
    services.take_step(article=correction, action="unpublish", user=editor)
    correction.refresh_from_db()
    save(correction, user=editor, action="submit", body="<p>Мост откроют в субботу вечером.</p>")

    section = since_publication(review_screen(client_as(moderator), correction))

    assert marked(section, "del") == ["утром"]
    assert marked(section, "ins") == ["вечером"]


def test_review_links_the_comparison_to_the_revision_history(client_as, moderator, correction):
    client = client_as(moderator)
    link = since_publication(review_screen(client, correction)).xpath(".//a/@href")[0]

    response = client.get(link)

    assert response.status_code == 200
    assert response.context["comparison"].new.fields["title"] == "Мост откроют в субботу"


def test_review_of_a_first_time_article_says_there_is_nothing_to_compare(
    client_as, author, moderator
):
    article = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, created_by=author, body=PUBLISHED_BODY
    )
    save(article, user=author, action="submit")

    document = review_screen(client_as(moderator), article)

    assert since_publication(document) is None
    banner = " ".join(document.find_class("preview-banner")[0].text_content().split())
    assert "Статья ещё не публиковалась — сравнивать не с чем." in banner


def test_a_published_article_has_nothing_to_compare(client_as, moderator, correction):
    services.take_step(article=correction, action="publish", user=moderator)

    document = review_screen(client_as(moderator), correction)

    assert since_publication(document) is None
    assert "сравнивать" not in document.find_class("preview-banner")[0].text_content()


def review_queries(client, article):
    with CaptureQueriesContext(connection) as queries:
        review_screen(client, article)
    return len(queries)


def test_review_screen_queries_do_not_grow_with_the_history(
    client_as, moderator, editor, correction
):
    client = client_as(moderator)
    short_history = review_queries(client, correction)
    for word in ("утром", "днём", "вечером"):
        services.take_step(article=correction, action="return", user=moderator, comment="Ещё раз")
        correction.refresh_from_db()
        save(correction, user=editor, action="submit", body=f"<p>Мост откроют {word}.</p>")

    assert (short_history, review_queries(client, correction)) == (REVIEW_QUERIES, REVIEW_QUERIES)
