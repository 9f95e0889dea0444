"""What the benchmark scripts share: Django on a bench database, and the reader pages to hit."""

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


def reader_pages() -> list[Page]:
    """The page kinds of the benchmark table, picked from what the database holds.

    The article is an ordinary one from the middle of the archive (not 18+, which shows a gate);
    the rubric and tag are the ones with the most articles and the region is the oblast, whose
    page lists the news of every district below it: the heaviest list of each kind.
    """
    from django.db.models import Count
    from django.urls import reverse

    from articles.models import AgeMark, Article, Rubric, Tag
    from articles.views import ArticleListView
    from regions.models import Region

    published = Article.objects.published()
    middle = published.exclude(age_mark=AgeMark.EIGHTEEN).order_by("pk")
    article = middle[middle.count() // 2]
    rubric = first_row(Rubric.objects.annotate(n=Count("articles")).order_by("-n"))
    rubric_pages = -(-published.filter(rubric=rubric).count() // ArticleListView.paginate_by)
    tag = first_row(Tag.objects.annotate(n=Count("tagged_articles")).order_by("-n"))
    region = first_row(Region.objects.filter(parent__isnull=False, parent__parent__isnull=True))
    rubric_url = reverse("articles:rubric", kwargs={"slug": rubric.slug})
    return [
        Page("home", reverse("articles:home")),
        Page("article", article.get_absolute_url()),
        Page("rubric p1", rubric_url),
        Page(
            f"rubric p{min(DEEP_PAGE, rubric_pages)}",
            f"{rubric_url}?page={min(DEEP_PAGE, rubric_pages)}",
        ),
        Page("region", region.get_absolute_url()),
        Page("tag", tag.get_absolute_url()),
        Page("search", f"{reverse('articles:search')}?{urlencode({'q': SEARCH_QUERY})}"),
    ]


def count_queries(pages: list[Page]) -> dict[str, int]:
    """How many SQL queries each page runs, rendered once by Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for page in pages:
        client.get(page.path)  # the first request of a process also loads what it caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.path)
        if response.status_code != 200:
            raise RuntimeError(f"{page.path} answered {response.status_code}")
        counts[page.kind] = len(captured.captured_queries)
    return counts
