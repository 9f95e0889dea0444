"""Render every benchmark page in one process: `python -m bench.render newsroom_bench_1m`.

Each page of both sites goes through Django's test client (production settings, no cache, no
HTTP, one request at a time) --repeat times in each of five batches; the median batch's time
per request is printed. With nothing running concurrently, a page's time here is its own work
and its queries' round trips: on a shared machine, where the load test's latencies move with
other people's work, comparing this at two sizes tells a page that grows from a busy minute.

Beside the elapsed time, the median batch's CPU time per request: this process's, and that of
the PostgreSQL backend serving its connection (from /proc, so on the database's machine only).
CPU time does not wait for other people's processes, so it stays put when the machine is busy.
The backend's figure leaves out parallel workers, which are processes of their own: a query
that PostgreSQL runs in parallel shows there only in part (EXPLAIN ANALYZE has the rest).

`--cache` says what the shared cache (Redis) holds when each page is rendered:
  none         no cache at all: every piece is rendered from the database (the default)
  publication  the page missed because its site just published: the site's pieces (layout,
               menu, recent news) are rendered again, the article cards come from the cache;
               an article's page, which a publication of another article leaves stored, is
               said so and skipped
  fragments    the page is not in the page cache (a long-tail page), its pieces are
Only the rendering request is timed, not what the bench does to the cache before it.
"""

import argparse
import os
import time
from pathlib import Path

from bench.common import database_url, get, prepare_site, reader_pages, setup_django

BATCHES = 5
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
REDIS_CACHE_URL = "redis://127.0.0.1:6379/8"
CACHE_STATES = ("none", "publication", "fragments")


def backend_cpu_seconds(pid: int) -> float:
    """CPU seconds a PostgreSQL backend has used; 0 when it is not on this machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="a bench database name, or a postgres:// URL")
    parser.add_argument("--repeat", type=int, default=5, help="requests per batch")
    parser.add_argument(
        "--pages",
        default="",
        help='only pages whose names ("district search", "oblast rubric p"…) start so, '
        "comma-separated",
    )
    parser.add_argument("--cache", choices=CACHE_STATES, default="none")
    args = parser.parse_args(argv)
    setup_django(
        database_url(args.database),
        cache_url="dummycache://" if args.cache == "none" else REDIS_CACHE_URL,
    )
    prepare_site()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from network.hosts import site_for_host
    from network.models import cache_partition
    from newsroom.pagecache import bump_generation

    if args.cache != "none":
        cache.clear()

    def before_request(page) -> None:
        """Make the page a miss, as --cache says."""
        if args.cache == "publication":
            site = site_for_host(page.host or "127.0.0.1")
            assert site is not None, page.host
            bump_generation([cache_partition(site.pk)])
        elif args.cache == "fragments":
            cache.delete_pattern("pagecache:*:page:*")  # type: ignore[attr-defined]  # django-redis

    client = Client()
    print(f"{'site':<10}{'page':<16}{'elapsed':>10}{'app CPU':>10}{'DB CPU':>10}  (ms/request)")
    wanted = [name.strip() for name in args.pages.split(",") if name.strip()]
    for page in reader_pages():
        if wanted and not any(f"{page.site} {page.kind}".startswith(name) for name in wanted):
            continue
        get(client, page)  # the first request of a process also loads what it caches
        if args.cache == "publication":
            before_request(page)
            get(client, page)
            before_request(page)
            if get(client, page).get("X-Page-Cache") == "hit":
                print(f"{page.site:<10}{page.kind:<16}  stored: a publication leaves it in place")
                continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (backend,) = cursor.fetchone()
        batches = []
        for _ in range(BATCHES):
            spent = [0.0, 0.0, 0.0]
            for _ in range(args.repeat):
                before_request(page)
                started = time.perf_counter(), time.process_time(), backend_cpu_seconds(backend)
                response = get(client, page)
                ended = time.perf_counter(), time.process_time(), backend_cpu_seconds(backend)
                if response.get("X-Page-Cache") == "hit":
                    raise SystemExit(f"{page.path} came from the page cache: not for --cache")
                for index, (start, end) in enumerate(zip(started, ended, strict=True)):
                    spent[index] += end - start
            batches.append(tuple(seconds / args.repeat * 1000 for seconds in spent))
        elapsed, app_cpu, db_cpu = sorted(batches)[len(batches) // 2]  # the median by elapsed
        print(
            f"{page.site:<10}{page.kind:<16}{elapsed:10.1f}{app_cpu:10.1f}{db_cpu:10.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
