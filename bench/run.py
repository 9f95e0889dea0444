"""Load-test the reader pages of a bench database: `python -m bench.run newsroom_bench_10k`.

The site runs under gunicorn with the production settings (5 sync workers by default, as in the
reference measurement of issue #5) and wrk drives each page kind with 16 connections, layer by
layer, in one run:

  app      gunicorn, CACHE_URL=dummycache:// (nothing cached)
  cache    gunicorn with its Redis cache (CACHE_URL=redis://127.0.0.1:6379/8), warmed first
  front    nginx with deploy/nginx/newsroom.conf in front of the cached app
  static   nginx serving the article page's HTML as a plain file: the ceiling

Every page kind is measured on the oblast's site (the default one) and on a district's, whose
pages are asked for with the district's Host header. It prints requests/s, p50, p99, errors
(non-2xx/3xx responses and socket errors), the SQL queries the page runs (Django's test client,
uncached), the CPU time per request of the gunicorn workers and of PostgreSQL during the run,
and the workers' memory, and saves the figures as JSON for `python -m bench.report`.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from bench.common import (
    ROOT,
    WORK_DIR,
    Page,
    bench_environment,
    count_queries,
    database_url,
    prepare_site,
    reader_pages,
    save_results,
    setup_django,
)
from deploy import prod_local

LAYERS = ["app", "cache", "front", "static"]
SITES = {"oblast", "district"}
REDIS_CACHE_URL = "redis://127.0.0.1:6379/8"
APP_PORT, FRONT_PORT, STATIC_PORT, LIMITER_PORT = 8711, 8712, 8713, 8714


@dataclass
class Result:
    page: str
    layer: str
    requests_per_second: float
    p50_ms: float | None  # None: no request finished within the run (see errors)
    p99_ms: float | None
    errors: int
    queries: int | None
    worker_rss_mb: float | None
    workers_rss_mb: float | None
    # CPU time per request during the run: the app's workers, and PostgreSQL's processes.
    app_cpu_ms: float | None = None
    db_cpu_ms: float | None = None
    site: str = "oblast"


# wrk --------------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def must_match(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """`re.search` for what a tool always prints; says what is missing when it did not."""
    match = re.search(pattern, text, flags)
    if match is None:
        raise ValueError(f"{pattern!r} not found in:\n{text}")
    return match


def wrk_command(*, threads: int, connections: int, duration: int) -> list[str]:
    """wrk with the benchmark's load and a long timeout, so that slow pages are measured."""
    return ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "30s"]


def wrk(url: str, *, host: str = "", duration: int, connections: int, threads: int) -> dict:
    """One wrk run; latencies in milliseconds. Its timeout is long so slow pages are measured.

    `host` is the Host header to send (the site), when not the URL's own.
    """
    output = subprocess.run(
        [
            *wrk_command(threads=threads, connections=connections, duration=duration),
            "--latency",
            *(["-H", f"Host: {host}"] if host else []),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(percentile: str) -> float:
        value, unit = must_match(
            rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M
        ).groups()
        return float(value) * UNITS_MS[unit]

    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = sum(map(int, socket.groups())) if socket else 0
    errors += int(non_2xx.group(1)) if non_2xx else 0
    completed = int(must_match(r"^\s+(\d+) requests in", output, re.M).group(1))
    return {
        "requests_per_second": float(must_match(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency("50") if completed else None,
        "p99_ms": latency("99") if completed else None,
        "errors": errors,
    }


def settle(app_url: str, url: str, seconds: float = 300) -> None:
    """Wait until what wrk left behind is done, so that it slows no other page.

    The listen queue is first come, first served: a health check answers quickly only once
    every request accepted before it has been answered. A worker that gunicorn killed for
    timing out leaves its query running in PostgreSQL: wait for those too.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            fetch(f"{app_url}/healthz")
        except OSError:
            continue
        if time.monotonic() - started < 0.2 and not running_queries(url):
            return
        time.sleep(0.5)


def running_queries(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND pid <> pg_backend_pid()"
        ).fetchone()
    return row[0] if row else 0


# Processes ------------------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, str, float]]:
    """{pid: (parent pid, name, CPU seconds)} of every process, from /proc.

    A process's CPU seconds include its exited children's, which the kernel adds to it when it
    reaps them: a PostgreSQL backend that closes during a run still counts.
    """
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        own_and_reaped = sum(int(ticks) for ticks in fields[11:15]) / CLOCK_TICKS
        found[int(stat.parent.name)] = (int(fields[1]), name, own_and_reaped)
    return found


def tree_cpu_seconds(table, root: int) -> float:
    """CPU seconds of a process and of its children, the exited ones included."""
    return table[root][2] + sum(cpu for parent, _, cpu in table.values() if parent == root)


def cpu_seconds(app=None) -> tuple[float, float]:
    """CPU seconds used so far by the app's gunicorn workers and by PostgreSQL's processes."""
    table = processes()
    app_cpu = tree_cpu_seconds(table, app.process.pid) if app else 0.0
    postmasters = [
        pid
        for pid, (parent, name, _) in table.items()
        if name.startswith("postgres") and not table.get(parent, (0, ""))[1].startswith("postgres")
    ]
    return app_cpu, sum(tree_cpu_seconds(table, pid) for pid in postmasters)


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def gunicorn_command(*, port: int, workers: int, log: Path) -> list[str]:
    """The app server the bench measures: `workers` sync workers, no recycling, quiet log."""
    return [
        sys.executable, "-m", "gunicorn", "newsroom.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        "--log-level", "warning",
        "--error-logfile", str(log),
    ]  # fmt: skip


class Gunicorn:
    def __init__(self, url: str, *, cache_url: str, workers: int):
        self.url = url
        self.env = bench_environment(url, cache_url=cache_url)
        self.workers = workers

    def __enter__(self):
        self.process = subprocess.Popen(
            gunicorn_command(port=APP_PORT, workers=self.workers, log=WORK_DIR / "gunicorn.log"),
            cwd=ROOT,
            env=self.env,
        )
        wait_for(f"http://127.0.0.1:{APP_PORT}/healthz")
        return self

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)

    def worker_rss_mb(self) -> list[float]:
        return worker_rss_mb(self.process.pid)


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker, from /proc (the workers are the master's
    children). A worker that is exiting (gunicorn replaces one after `max_requests`) has none."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        resident = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
        if resident and re.search(rf"^PPid:\s+{master}$", text, re.M):
            sizes.append(int(resident.group(1)) / 1024)
    return sizes


class Nginx:
    """nginx with the repo's front config (deploy/prod_local.py substitutes the upstream, port
    and paths) and a plain static server for the ceiling, in a private prefix under the bench
    work directory."""

    def __init__(self, ceiling_html: bytes):
        self.dir = WORK_DIR / "nginx"
        self.ceiling_html = ceiling_html
        self.nginx = prod_local.Nginx(self.dir)

    def __enter__(self):
        shutil.rmtree(self.dir / "cache", ignore_errors=True)  # every run starts cold
        (self.dir / "ceiling").mkdir(parents=True, exist_ok=True)
        (self.dir / "ceiling" / "article.html").write_bytes(self.ceiling_html)
        include = self.dir / "newsroom.conf"
        include.write_text(
            prod_local.front_config(
                app=f"127.0.0.1:{APP_PORT}",
                listen=f"127.0.0.1:{FRONT_PORT}",
                limiter_port=LIMITER_PORT,
                cache_dir=self.dir / "cache",
                media_dir=WORK_DIR / "media",
            )
        )
        ceiling = f"    server {{ listen 127.0.0.1:{STATIC_PORT}; root {self.dir}/ceiling; }}\n"
        self.nginx.start(
            prod_local.nginx_main_config(self.dir, include=include, extra=ceiling, access_log=False)
        )
        wait_for(f"http://127.0.0.1:{STATIC_PORT}/article.html")
        return self

    def __exit__(self, *exc):
        self.nginx.stop()


def flush_redis_cache() -> None:
    """The cached layer starts from an empty cache, never from another database's pages."""
    import redis

    redis.Redis.from_url(REDIS_CACHE_URL).flushdb()


# The run --------------------------------------------------------------------------------------


def measure(pages, base_url, layer, *, args, queries=None, app=None) -> list[Result]:
    results = []
    for page in pages:
        url = base_url + page.path
        if app:
            settle(f"http://127.0.0.1:{APP_PORT}", app.url)
        wrk(url, host=page.host, duration=args.warmup, connections=args.workers, threads=1)
        if app:
            settle(f"http://127.0.0.1:{APP_PORT}", app.url)
        app_before, db_before = cpu_seconds(app)
        figures = wrk(
            url,
            host=page.host,
            duration=args.duration,
            connections=args.connections,
            threads=args.threads,
        )
        app_after, db_after = cpu_seconds(app)
        served = figures["requests_per_second"] * args.duration
        rss = app.worker_rss_mb() if app else []
        results.append(
            Result(
                page=page.kind,
                site=page.site,
                layer=layer,
                queries=queries.get(page) if queries else None,
                worker_rss_mb=round(max(rss), 1) if rss else None,
                workers_rss_mb=round(sum(rss), 1) if rss else None,
                app_cpu_ms=round((app_after - app_before) * 1000 / served, 2)
                if app and served
                else None,
                db_cpu_ms=round((db_after - db_before) * 1000 / served, 2) if served else None,
                **figures,
            )
        )
        print_row(results[-1])
    return results


def print_header() -> None:
    print(
        f"{'site':<10}{'page':<16}{'layer':<8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'queries':>9}{'app CPU ms':>11}{'DB CPU ms':>10}{'RSS/worker MB':>15}"
        f"{'RSS all MB':>12}",
        flush=True,
    )


def print_row(r: Result) -> None:
    def show(value, spec):
        return "–" if value is None else format(value, spec)

    print(
        f"{r.site:<10}{r.page:<16}{r.layer:<8}{r.requests_per_second:>9.0f}"
        f"{show(r.p50_ms, '.1f'):>9}{show(r.p99_ms, '.1f'):>9}"
        f"{r.errors:>8}{show(r.queries, 'd'):>9}{show(r.app_cpu_ms, '.2f'):>11}"
        f"{show(r.db_cpu_ms, '.2f'):>10}{show(r.worker_rss_mb, '.0f'):>15}"
        f"{show(r.workers_rss_mb, '.0f'):>12}",
        flush=True,
    )


def machine() -> dict:
    cpu = re.search(r"^model name\s+:\s+(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
    memory = must_match(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu.group(1) if cpu else "?",
        "memory_gb": round(int(memory.group(1)) / 1024**2, 1),
        "load_average": os.getloadavg(),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="a bench database name, or a postgres:// URL")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page")
    parser.add_argument(
        "--warmup",
        type=int,
        default=2,
        help="seconds of wrk (one connection per worker) before each",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument(
        "--layers", default=",".join(LAYERS), help="a subset of " + ",".join(LAYERS)
    )
    parser.add_argument(
        "--pages",
        default="",
        help="only these page kinds (their first word: home, article, placed…), comma-separated",
    )
    parser.add_argument(
        "--sites", default="oblast,district", help="the oblast's pages, a district's, or both"
    )
    args = parser.parse_args(argv)
    layers = args.layers.split(",")
    url = database_url(args.database)
    setup_django(url)
    prepare_site()
    every_page = reader_pages()
    pages = [
        p
        for p in every_page
        if (not args.pages or p.kind.split()[0] in args.pages.split(","))
        and p.site in args.sites.split(",")
    ]
    queries = count_queries(pages)
    started = datetime.now(UTC)
    info: dict[str, Any] = {
        "database": url,
        "started": started.isoformat(),
        "machine": machine(),
        "args": vars(args),
    }
    print(f"{url}: {info['machine']}", flush=True)
    print_header()
    results: list[Result] = []
    if "app" in layers:
        with Gunicorn(url, cache_url="dummycache://", workers=args.workers) as app:
            results += measure(
                pages, f"http://127.0.0.1:{APP_PORT}", "app", args=args, queries=queries, app=app
            )
    if {"cache", "front", "static"} & set(layers):
        flush_redis_cache()
        with Gunicorn(url, cache_url=REDIS_CACHE_URL, workers=args.workers) as app:
            if "cache" in layers:
                results += measure(
                    pages, f"http://127.0.0.1:{APP_PORT}", "cache", args=args, app=app
                )
            article = next(p for p in every_page if p.kind == "article" and not p.host)
            with Nginx(fetch(f"http://127.0.0.1:{APP_PORT}{article.path}")):
                if "front" in layers:
                    results += measure(
                        pages, f"http://127.0.0.1:{FRONT_PORT}", "front", args=args, app=app
                    )
                if "static" in layers:
                    results += measure(
                        [Page("article", "/article.html")],
                        f"http://127.0.0.1:{STATIC_PORT}",
                        "static",
                        args=args,
                    )
    info["load_average_after"] = os.getloadavg()
    info["pages"] = [asdict(page) for page in pages]
    info["results"] = [asdict(result) for result in results]
    whole = layers == LAYERS and not args.pages and set(args.sites.split(",")) == SITES
    partial = "" if whole else ".partial"  # bench.report skips it
    save_results(info, WORK_DIR / "results" / f"{url.rpartition('/')[2]}{partial}.json")


if __name__ == "__main__":
    main()
