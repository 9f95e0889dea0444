"""Render every benchmark page in one process: `python -m bench.render newsroom_bench_1m`.

Each page of both sites goes through Django's test client (production settings, no cache, no
HTTP, one request at a time) --repeat times in each of five batches; the median batch's time
per request is printed. With nothing running concurrently, a page's time here is its own work
and its queries' round trips: on a shared machine, where the load test's latencies move with
other people's work, comparing this at two sizes tells a page that grows from a busy minute.
"""

import argparse
import statistics
import time

from bench.common import database_url, get, prepare_site, reader_pages, setup_django

BATCHES = 5


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="a bench database name, or a postgres:// URL")
    parser.add_argument("--repeat", type=int, default=5, help="requests per batch")
    args = parser.parse_args(argv)
    setup_django(database_url(args.database))
    prepare_site()
    from django.test import Client

    client = Client()
    for page in reader_pages():
        get(client, page)  # the first request of a process also loads what it caches
        batches = []
        for _ in range(BATCHES):
            started = time.perf_counter()
            for _ in range(args.repeat):
                get(client, page)
            batches.append((time.perf_counter() - started) / args.repeat * 1000)
        print(f"{page.site:<10}{page.kind:<16}{statistics.median(batches):8.1f} ms", flush=True)


if __name__ == "__main__":
    main()
