"""Where an uncached page's time goes: `python -m bench.profile newsroom_bench_10k article`.

Renders one of the benchmark's pages --repeat times through Django's test client (production
settings, no cache) under pyinstrument (`pip install -e ".[bench]"`) and prints the call tree.
"""

import argparse
import time

from bench.common import database_url, get, prepare_site, reader_pages, setup_django


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="a bench database name, or a postgres:// URL")
    parser.add_argument("page", help="a page kind of bench.run: home, article, rubric, tag…")
    parser.add_argument("--site", default="oblast", help="the oblast's page or a district's")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    setup_django(database_url(args.database))
    prepare_site()
    from django.test import Client
    from pyinstrument import Profiler

    page = next(p for p in reader_pages() if p.kind.split()[0] == args.page and p.site == args.site)
    client = Client()
    get(client, page)
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(args.repeat):
            get(client, page)
    per_request = (time.perf_counter() - started) / args.repeat * 1000
    print(f"{page.path}: {per_request:.1f} ms per request in one process (profiler on)")
    print(profiler.output_text(unicode=True, color=False, short_mode=True))


if __name__ == "__main__":
    main()
