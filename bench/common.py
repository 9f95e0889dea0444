"""What the benchmark scripts share: Django on a bench database, and the reader pages to hit."""

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

import psycopg

if TYPE_CHECKING:
    from django.db.models import QuerySet

Row = TypeVar("Row")

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = Path(os.environ.get("BENCH_WORK_DIR", "/tmp/newsroom-bench"))
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
SEARCH_QUERY = "ремонт дорог"
DEEP_PAGE = 500


def first_row(rows: "QuerySet[Any, Row]") -> Row:
    """`rows.first()` of a query that generated data always answers; says so when it does not."""
    row = rows.first()
    if row is None:
        raise LookupError(f"No {rows.model.__name__} in the database: is it a bench database?")
    return row


def database_url(name_or_url: str) -> str:
    """`newsroom_bench_10k` or a full postgres:// URL."""
    if "://" in name_or_url:
        return name_or_url
    return f"{DEFAULT_SERVER}/{name_or_url}"


def bench_environment(url: str, *, cache_url: str = "dummycache://") -> dict[str, str]:
    """The production settings' environment, pointed at the bench database and cache."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production"),
        "DATABASE_URL": url,
        "CACHE_URL": cache_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(WORK_DIR / "static"),
        "MEDIA_ROOT": str(WORK_DIR / "media"),
        "LOG_LEVEL": "WARNING",
    }


def setup_django(url: str, *, cache_url: str = "dummycache://") -> None:
    """Configure this process like a production app server on the bench database."""
    os.environ.update(bench_environment(url, cache_url=cache_url))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def migrate() -> None:
    """Bring a bench database made by an older checkout up to the current models."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prepare_site() -> None:
    """Migrate the bench database and collect static files, as a deployment does before serving.

    The production settings' manifest storage cannot render a page without collected files.
    """
    from django.core.management import call_command

    migrate()
    call_command("collectstatic", interactive=False, verbosity=0)


def ensure_database(url: str) -> None:
    """Create the database if it does not exist (the server's `postgres` database is used)."""
    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


@dataclass(frozen=True)
class Page:
    kind: str
    path: str
    site: str = "oblast"  # whose page: "oblast" (the default site) or "district"
    host: str = ""  # the Host header that picks the site; "" for the default site's hosts


def reader_pages() -> list[Page]:
    """The page kinds of the benchmark table, on the oblast's site and on a district's."""
    from django.db.models import Count

    from articles.models import Placement
    from network.models import Site

    oblast = Site.objects.get(is_default=True)
    district = Site.objects.get(
        pk=first_row(
            Placement.objects.filter(is_listed=True)
            .exclude(site=oblast)
            .values("site")
            .annotate(n=Count("pk"))
            .order_by("-n", "site")
        )["site"]
    )
    return [*site_pages(oblast, "oblast"), *site_pages(district, "district", oblast=oblast)]


def site_pages(site, name: str, *, oblast=None) -> list[Page]:
    """A site's pages, picked from what the database holds.

    The district is the one carrying the most articles. Its articles are an ordinary one of its
    own from the middle of the archive (not 18+, which shows a gate) and, given `oblast`, one of
    the oblast's that it carries. The rubric is the one the site shows the most articles under,
    the tag the most used one, and the region the site's own: the oblast's page lists the news
    of every district below it, a district's its own and its villages'. The heaviest list of
    each kind.
    """
    from django.db.models import Count
    from django.urls import reverse

    from articles.models import AgeMark, Article, Tag
    from articles.views import ArticleListView
    from regions.models import Region

    def middle(articles) -> Article:
        ordinary = articles.exclude(age_mark=AgeMark.EIGHTEEN).order_by("pk")
        return ordinary[ordinary.count() // 2]

    published = Article.objects.published()
    rubric = biggest_rubric(site)
    listed = Article.objects.published_on(site).in_rubric_on(rubric).count()
    deep = min(DEEP_PAGE, -(-listed // ArticleListView.paginate_by))
    tag = first_row(Tag.objects.annotate(n=Count("tagged_articles")).order_by("-n"))
    region = site.region or first_row(
        Region.objects.filter(parent__isnull=False, parent__parent__isnull=True)
    )
    rubric_url = reverse("articles:rubric", kwargs={"slug": rubric.slug})
    pages = [
        ("home", reverse("articles:home")),
        ("article", middle(published.filter(site=site)).get_absolute_url()),
    ]
    if oblast is not None:
        placed = published.filter(site=oblast, placements__site=site)
        pages.append(("placed article", middle(placed).get_absolute_url()))
    pages += [
        ("rubric p1", rubric_url),
        (f"rubric p{deep}", f"{rubric_url}?page={deep}"),
        ("region", region.get_absolute_url()),
        ("tag", tag.get_absolute_url()),
        ("search", f"{reverse('articles:search')}?{urlencode({'q': SEARCH_QUERY})}"),
        ("feed", reverse("feeds:site")),
    ]
    host = "" if site.is_default else site.domain
    return [Page(kind, path, name, host) for kind, path in pages]


def get(client, page: Page):
    """The page through Django's test client, at its site's host."""
    return client.get(page.path, **({"HTTP_HOST": page.host} if page.host else {}))


def count_queries(pages: list[Page]) -> dict[Page, int]:
    """How many SQL queries each page runs, rendered once by Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for page in pages:
        get(client, page)  # the first request of a process also loads what it caches
        with CaptureQueriesContext(connection) as captured:
            response = get(client, page)
        if response.status_code != 200:
            raise RuntimeError(f"{page.host}{page.path} answered {response.status_code}")
        counts[page] = len(captured.captured_queries)
    return counts


def biggest_rubric(site):
    """The rubric the site shows the most articles under."""
    from django.db.models import Count

    from articles.models import Placement, Rubric

    return Rubric.objects.get(
        pk=first_row(
            Placement.objects.filter(site=site, is_listed=True)
            .values("rubric")
            .annotate(n=Count("pk"))
            .order_by("-n", "rubric")
        )["rubric"]
    )


def save_results(info: dict[str, Any], out: Path) -> None:
    """Write a run's figures as JSON and say where, with the load before and after it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(info, ensure_ascii=False, indent=1))
    print(
        f"load average before {info['machine']['load_average']}, after {info['load_average_after']}"
    )
    print(f"saved {out}")
