"""EXPLAIN every query of every reader page: `python -m bench.explain newsroom_bench_1m`.

The benchmark's pages of the oblast's site and of a district's come first, then the rest of the
oblast's site. Each page is rendered once by Django's test client on the bench database with the
production settings and no cache; every SQL query it runs is explained with EXPLAIN (ANALYZE,
BUFFERS). A sequential scan of a large table (articles, their link and placement tables, tags)
is reported as a problem, and so is any query slower than --slow-ms or cancelled after
--timeout seconds (its plan is then shown without ANALYZE). Exits 1 when there is a problem.
"""

import argparse
import json
import logging
import sys
from urllib.parse import urlencode

from bench.common import SEARCH_QUERY, Page, database_url, get, migrate, setup_django


def explained_pages() -> list[Page]:
    """Every reader page: the benchmark's pages of both sites and the rest of the oblast's."""
    from django.urls import reverse

    from articles.models import Article, Rubric
    from bench.common import first_row, reader_pages
    from regions.models import Region
    from staff.models import StaffProfile

    pages = reader_pages()
    rubric = first_row(Rubric.objects.order_by("pk"))
    region = Region.objects.filter(children__isnull=False, parent__parent__isnull=False).first()
    district = region or first_row(Region.objects.filter(children__isnull=True).order_by("pk"))
    settlement = first_row(Region.objects.filter(children__isnull=True).order_by("-pk"))
    author = first_row(StaffProfile.objects.filter(bylines__isnull=False).order_by("pk"))
    tag_path = next(page.path for page in pages if page.kind == "tag")
    tag_slug = tag_path.rstrip("/").rpartition("/")[2]
    archive = reverse("articles:archive")
    search = reverse("articles:search")
    year = Article.objects.published().order_by("-published_at").first().published_at.year - 3
    quarter = {"rubric": rubric.slug, "date_from": f"{year}-01-01", "date_to": f"{year}-03-31"}
    more = [
        ("region (district)", district.get_absolute_url()),
        ("region (settlement)", settlement.get_absolute_url()),
        ("author", author.get_absolute_url()),
        ("archive", archive),
        ("archive p200", f"{archive}?page=200"),
        ("archive by region", f"{archive}?{urlencode({'region': district.slug})}"),
        ("archive by tag", f"{archive}?{urlencode({'tag': tag_slug})}"),
        ("archive by rubric+dates", f"{archive}?{urlencode(quarter)}"),
        ("search in rubric", f"{search}?{urlencode({'q': SEARCH_QUERY, 'rubric': rubric.slug})}"),
        ("search in region", f"{search}?{urlencode({'q': SEARCH_QUERY, 'region': district.slug})}"),
        ("search rare word", f"{search}?{urlencode({'q': 'казино'})}"),
        ("feed yandex", reverse("feeds:yandex")),
        ("feed dzen", reverse("feeds:dzen")),
        ("feed rubric", reverse("feeds:rubric", kwargs={"slug": rubric.slug})),
        ("feed region", reverse("feeds:region", kwargs={"slug": district.slug})),
        ("sitemap index", reverse("sitemaps:index")),
        ("sitemap news", reverse("sitemaps:news")),
        ("sitemap articles p1", reverse("sitemaps:section", kwargs={"section": "articles"})),
        (
            "sitemap articles last",
            reverse("sitemaps:section", kwargs={"section": "articles"}) + "?p=last",
        ),
        ("sitemap tags", reverse("sitemaps:section", kwargs={"section": "tags"})),
        ("sitemap rubrics", reverse("sitemaps:section", kwargs={"section": "rubrics"})),
    ]
    return [*pages, *(Page(kind, path) for kind, path in more)]


def large_tables() -> set[str]:
    from articles.models import Article, ArticleAuthor, Placement, Tag, TaggedArticle

    return {
        model._meta.db_table
        for model in (
            Article,
            Article.regions.through,
            TaggedArticle,
            ArticleAuthor,
            Placement,
            Tag,
        )
    }


def plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def explain(sql: str, *, analyze: bool = True, text: bool = False):
    """The plan as JSON (or text); with ANALYZE unless the query would outrun the timeout."""
    from django.db import connection

    options = ["ANALYZE", "BUFFERS"] if analyze else []
    options += [] if text else ["FORMAT JSON"]
    prefix = f"EXPLAIN ({', '.join(options)}) " if options else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    if text:
        return "\n".join(row[0] for row in rows)
    plan = rows[0][0]
    return plan[0] if isinstance(plan, list) else json.loads(plan)[0]


def set_statement_timeout(seconds: int) -> None:
    """Every connection of this process gives up on a query after `seconds`."""
    from django.db.backends.signals import connection_created

    def apply(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = '{int(seconds)}s'")

    connection_created.connect(apply, weak=False)


def last_sitemap_page(path: str) -> str:
    """?p=last stands for the sitemap section's last page, which depends on the size."""
    if not path.endswith("?p=last"):
        return path
    from django.contrib.sitemaps import Sitemap

    from syndication.sitemaps import SITEMAPS

    sitemap: Sitemap = SITEMAPS["articles"]()
    return path.replace("?p=last", f"?p={sitemap.paginator.num_pages}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="a bench database name, or a postgres:// URL")
    parser.add_argument("--slow-ms", type=float, default=50, help="report queries slower than")
    parser.add_argument("--plans", action="store_true", help="print the plan of every problem")
    parser.add_argument("--timeout", type=int, default=60, help="seconds a query may run")
    parser.add_argument(
        "--pages", default="", help='only pages whose names ("district tag"…) start so'
    )
    args = parser.parse_args(argv)
    setup_django(database_url(args.database))
    migrate()
    from django.db import OperationalError, connection

    set_statement_timeout(args.timeout)
    connection.close()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # timeouts are reported below
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    large = large_tables()
    problems = 0
    for page in explained_pages():
        name = f"{page.site} {page.kind}"
        if args.pages and not any(name.startswith(prefix) for prefix in args.pages.split(",")):
            continue
        page = Page(page.kind, last_sitemap_page(page.path), page.site, page.host)
        status: int | str
        with CaptureQueriesContext(connection) as captured:
            try:
                status = get(client, page).status_code
            except OperationalError:
                status = f"query over {args.timeout} s"
        where = f"{page.host or 'default host'} {page.path}"
        print(f"\n{name}: {where}  [{status}, {len(captured.captured_queries)} queries]")
        for number, query in enumerate(captured.captured_queries, start=1):
            sql = query["sql"]
            # A UNION (the home page's sections) starts with its first part's "(".
            if not sql.lstrip(" (").upper().startswith(("SELECT", "WITH")):
                continue
            flags = []
            try:
                plan = explain(sql)
                took = f"{plan['Execution Time']:9.1f} ms"
                if plan["Execution Time"] > args.slow_ms:
                    flags.append("SLOW")
            except OperationalError:
                plan, took = explain(sql, analyze=False), f"> {args.timeout} s".rjust(12)
                flags.append("TIMEOUT")
            scans = sorted(
                {
                    node["Relation Name"]
                    for node in plan_nodes(plan["Plan"])
                    if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in large
                }
            )
            if scans:
                flags.insert(0, f"SEQ SCAN {', '.join(scans)}")
            print(f"  {number:>2}. {took}  {' '.join(flags):<30} {sql[:110]}")
            if flags:
                problems += 1
                if args.plans:
                    plan_text = explain(sql, analyze="TIMEOUT" not in flags, text=True)
                    print("      " + plan_text.replace("\n", "\n      "))
                    print("      SQL: " + sql)
    print(f"\n{problems} problem queries")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
