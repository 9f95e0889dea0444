"""What the article admin's pages are asked and sent, for tests that drive the admin."""

from django.urls import reverse

from articles.models import Article


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def article_form_data(rubric, bylines=(), **fields):
    """What the article add/change form posts, with `bylines` as (author, order) pairs."""
    data = {
        "title": "Хабаровск принимает гостей",
        "slug": "",
        "lead": "",
        "body": "<p>Текст новости.</p>",
        "cover": "",
        "rubric": rubric.pk,
        "tags": "",
        "age_mark": "",
        "source_name": "",
        "source_url": "",
        "published_at_0": "",
        "published_at_1": "",
        "bylines-TOTAL_FORMS": len(bylines),
        "bylines-INITIAL_FORMS": 0,
        "bylines-MIN_NUM_FORMS": 0,
        "bylines-MAX_NUM_FORMS": 1000,
    }
    for index, (author, order) in enumerate(bylines):
        data[f"bylines-{index}-author"] = author.pk
        data[f"bylines-{index}-order"] = order
    return data | fields


def run_action(client, action, articles, *, in_trash=False, **extra):
    """Select articles in the changelist (or in its trash view) and run an action on them."""
    changelist = reverse("admin:articles_article_changelist")
    return client.post(
        f"{changelist}?trash=yes" if in_trash else changelist,
        {"action": action, "_selected_action": [article.pk for article in articles], "index": 0}
        | extra,
    )


def snapshot(article):
    """The stored row, to compare before and after a request that must change nothing."""
    return Article.objects.filter(pk=article.pk).values().get()
