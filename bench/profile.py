"""Where a page's time goes: `python -m bench.profile newsroom_bench_10k article`.

Renders one of the benchmark's pages --repeat times through Django's test client (production
settings) under pyinstrument (`pip install -e ".[bench]"`) and prints the call tree. `--cache`
says what the shared cache holds when each request is made, as in `bench.render`: nothing
(`none`, no cache at all), or the page's pieces without the page itself (`fragments`, a page
miss assembled from stored pieces).
"""

import argparse
import time

from bench.common import database_url, get, prepare_site, reader_pages, setup_django
from bench.render import REDIS_CACHE_URL

CACHE_STATES = ("none", "fragments")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="a bench database name, or a postgres:// URL")
    parser.add_argument("page", help="a page kind of bench.run: home, article, rubric, tag…")
    parser.add_argument("--site", default="oblast", help="the oblast's page or a district's")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--cache", choices=CACHE_STATES, default="none")
    args = parser.parse_args(argv)
    setup_django(
        database_url(args.database),
        cache_url="dummycache://" if args.cache == "none" else REDIS_CACHE_URL,
    )
    prepare_site()
    from django.core.cache import cache
    from django.test import Client
    from pyinstrument import Profiler

    def before_request() -> None:
        if args.cache == "fragments":
            cache.delete_pattern("pagecache:*:page:*")  # type: ignore[attr-defined]  # django-redis

    if args.cache != "none":
        cache.clear()
    page = next(p for p in reader_pages() if p.kind.split()[0] == args.page and p.site == args.site)
    client = Client()
    get(client, page)
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(args.repeat):
            before_request()
            get(client, page)
    per_request = (time.perf_counter() - started) / args.repeat * 1000
    print(f"{page.path}: {per_request:.1f} ms per request in one process (profiler on)")
    print(profiler.output_text(unicode=True, color=False, short_mode=True))


if __name__ == "__main__":
    main()
