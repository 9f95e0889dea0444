"""Every way an article is written goes through `editorial.services`, and ends the same.

The admin's form, the importer, restoring a revision and a workflow step each store the same
derived fields (excerpt, search words, address, age mark, version) and one revision per write.
"""

import json

import pytest
from reversion.models import Version

from articles.models import AgeMark, Article
from editorial import services, workflow
from editorial.importing import import_articles
from tests.admin_forms import article_form_data, change_url
from tests.factories import ArticleFactory, RubricFactory, save_changes

pytestmark = pytest.mark.django_db

TITLE = "Мосты через Бердь открыли"
BODY = "<p>Движение по <strong>мост</strong>ам пустили в субботу.</p><script>alert(1)</script>"
DERIVED = {
    "body": "<p>Движение по <strong>мост</strong>ам пустили в субботу.</p>",
    "excerpt": "Движение по мостам пустили в субботу.",
    "search_title": "мост через бердь открыть",
    "search_lead": "",
    "search_body": "движение по мост пустить в суббота",
    "slug": "mosty-cherez-berd-otkryli",
    "age_mark": AgeMark.SIXTEEN,
}
STALE = {"excerpt": "", "search_title": "", "search_lead": "", "search_body": ""}


@pytest.fixture
def article(superuser):
    """A draft with the text above, whose derived columns a raw SQL write has emptied."""
    rubric = RubricFactory(name="Общество", default_age_mark=AgeMark.SIXTEEN)
    article = ArticleFactory(
        title=TITLE,
        slug="mosty-cherez-berd-otkryli",
        lead="",
        body=BODY,
        rubric=rubric,
        status=Article.Status.DRAFT,
        published_at=None,
        user=superuser,
    )
    Article.objects.filter(pk=article.pk).update(**STALE)
    return Article.objects.get(pk=article.pk)


def through_the_admin(article, user, client_as):
    data = article_form_data(
        article.rubric, title=TITLE, slug=article.slug, body=BODY, base_version=article.version
    )
    response = client_as(user).post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def through_the_importer(article, user, client_as):
    line = {"title": TITLE, "slug": article.slug, "body": BODY, "rubric": article.rubric.name}
    import_articles(lines=[json.dumps(line, ensure_ascii=False)], user=user)


def through_a_restore(article, user, client_as):
    first = Version.objects.get_for_object(article).get()
    save_changes(article, title="Другой заголовок", body="<p>Другой текст.</p>", user=user)
    Article.objects.filter(pk=article.pk).update(**STALE)
    services.restore_revision(article=article, version=first, user=user)


def through_a_workflow_step(article, user, client_as):
    services.take_step(article=article, action="submit", user=user)


DOORS = {
    "admin": through_the_admin,
    "import": through_the_importer,
    "restore": through_a_restore,
    "workflow step": through_a_workflow_step,
}


@pytest.mark.parametrize("door", DOORS)
def test_every_write_stores_the_same_derived_fields(article, superuser, client_as, door):
    DOORS[door](article, superuser, client_as)

    stored = Article.objects.filter(pk=article.pk).values(*DERIVED).get()
    assert stored == DERIVED


@pytest.mark.parametrize("door", DOORS)
def test_every_write_records_one_revision_and_one_version(article, superuser, client_as, door):
    revisions_before = Version.objects.get_for_object(article).count()
    version_before = article.version
    writes = 2 if door == "restore" else 1

    DOORS[door](article, superuser, client_as)

    assert Version.objects.get_for_object(article).count() == revisions_before + writes
    assert Article.objects.get(pk=article.pk).version == version_before + writes


def test_a_refused_step_leaves_the_row_and_its_history_as_they_were(article, author):
    before = Article.objects.filter(pk=article.pk).values().get()

    with pytest.raises(workflow.TransitionRefused):
        services.take_step(article=article, action="publish", user=author)

    assert Article.objects.filter(pk=article.pk).values().get() == before
    assert Version.objects.get_for_object(article).count() == 1
