"""The breaking-news mix (bench/mix.py) runs through the production front and reports.

A few seconds on a small generated network, to keep the benchmark working: its figures belong
in docs/performance.md, never in an assertion here.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from deploy.prod_local import ROOT

pytestmark = pytest.mark.front


def server_url() -> str:
    db = settings.DATABASES["default"]
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}"


def drop_database(name: str) -> None:
    with psycopg.connect(f"{server_url()}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def bench_database():
    """A network of 36 sites with 300 articles, made by bench.generate; dropped afterwards."""
    name = f"{settings.DATABASES['default']['NAME']}_mix"
    drop_database(name)
    url = f"{server_url()}/{name}"
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "--articles", "300", "--database-url", url],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    yield url
    drop_database(name)


@pytest.fixture
def work_dir():
    """Outside pytest's private temporary directory: nginx's workers, which run as another user
    when nginx is started as root, must reach the front's cache under it."""
    path = Path(tempfile.mkdtemp(prefix="newsroom-mix-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_a_short_mix_publishes_on_one_site_and_reports_no_errors(bench_database, work_dir):
    # The front keeps a page for a second, so the app sees the readers soon after a publication.
    environment = {**os.environ, "BENCH_WORK_DIR": str(work_dir), "PAGE_CACHE_MAX_AGE": "1"}
    arguments = ["--pages", "150", "--duration", "8", "--warmup", "1", "--publish-every", "4"]
    subprocess.run(
        [sys.executable, "-m", "bench.mix", bench_database, *arguments, "--workers", "2"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )

    name = bench_database.rpartition("/")[2]
    report = json.loads((work_dir / "results" / f"{name}.mix.json").read_text())
    assert report["errors"] == 0, report["wrk"]
    assert report["pages"]["count"] == 150
    assert report["prerendered"]["statuses"] == {"200": 150}
    assert report["requests_per_second"] > 0
    assert len(report["publications"]) == 2
    after = report["after_each_publication"]
    # The published site's pages are rendered again; the other sites' cached pages are kept.
    assert sum(span["again_on_site"] for span in after) > 0
    assert sum(span["again_elsewhere"] for span in after) == 0
    assert report["cpu_ms_per_request"]["app"] > 0
    assert report["memory_mb"]["workers"] == 2
