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
"""

import argparse
import os
import time
from pathlib import Path

from bench.common import database_url, get, prepare_site, reader_pages, setup_django

BATCHES = 5
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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
    args = parser.parse_args(argv)
    setup_django(database_url(args.database))
    prepare_site()
    from django.db import connection
    from django.test import Client

    client = Client()
    print(f"{'site':<10}{'page':<16}{'elapsed':>10}{'app CPU':>10}{'DB CPU':>10}  (ms/request)")
    wanted = [name.strip() for name in args.pages.split(",") if name.strip()]
    for page in reader_pages():
        if wanted and not any(f"{page.site} {page.kind}".startswith(name) for name in wanted):
            continue
        get(client, page)  # the first request of a process also loads what it caches
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (backend,) = cursor.fetchone()
        batches = []
        for _ in range(BATCHES):
            started = time.perf_counter(), time.process_time(), backend_cpu_seconds(backend)
            for _ in range(args.repeat):
                get(client, page)
            ended = time.perf_counter(), time.process_time(), backend_cpu_seconds(backend)
            spent = (end - start for start, end in zip(started, ended, strict=True))
            batches.append(tuple(seconds / args.repeat * 1000 for seconds in spent))
        elapsed, app_cpu, db_cpu = sorted(batches)[len(batches) // 2]  # the median by elapsed
        print(
            f"{page.site:<10}{page.kind:<16}{elapsed:10.1f}{app_cpu:10.1f}{db_cpu:10.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
