"""bench.peers picks the Newsroom page that shows the same articles as Wagtail's deep page."""

import json

from bench.peers import deep_page_slugs, lists_in_order


def write_articles(path, articles):
    path.write_text("".join(json.dumps(article) + "\n" for article in articles))


def test_deep_page_lists_a_rubrics_articles_newest_first_twenty_a_page(tmp_path):
    articles = tmp_path / "articles.jsonl"
    write_articles(
        articles,
        [
            {
                "id": number,
                "slug": f"a-{number}",
                "rubric": "sport" if number % 2 else "kultura",
                "published": f"2025-01-01T00:{number:02d}:00+07:00",
            }
            for number in range(1, 60)
        ],
    )

    second_page = deep_page_slugs(articles, "sport", page=2)

    assert second_page == [f"a-{number}" for number in range(19, 0, -2)]


def test_deep_page_orders_articles_published_at_once_by_their_id(tmp_path):
    articles = tmp_path / "articles.jsonl"
    at_once = "2025-01-01T10:00:00+07:00"
    write_articles(
        articles,
        [
            {"id": 1, "slug": "first", "rubric": "sport", "published": at_once},
            {"id": 2, "slug": "second", "rubric": "sport", "published": at_once},
            {"id": 3, "slug": "older", "rubric": "sport", "published": "2025-01-01T09:00:00+07:00"},
        ],
    )

    assert deep_page_slugs(articles, "sport", page=1) == ["second", "first", "older"]


def test_a_page_lists_the_articles_only_when_it_links_to_all_in_order():
    html = '<a href="/news/b/">B</a> <a href="/news/a/">A</a>'

    assert lists_in_order(html, ["b", "a"])
    assert not lists_in_order(html, ["a", "b"])
    assert not lists_in_order(html, ["b", "a", "c"])
