"""Newsroom beside Wagtail and WordPress: `python -m bench.peers --peers-dir /tmp/peers`.

The peers' folder (issue #15) loads the same synthetic Russian news into Wagtail and WordPress
and measures them with its `bench.sh`. This puts Newsroom into the same run: the peers' articles
converted by their `to_newsroom.py` and imported with `import_articles` into a database of its
own, served by gunicorn with the production settings and no page cache, as `bench.run`'s app
layer serves it, and the targets file that `bench.sh` reads through EXTRA_TARGETS. It prints the
`bench.sh` command and serves until Ctrl+C; `--detach` leaves the server running and `--stop`
stops it. `--fragments` serves it as `newsroom-fragments` instead: the pieces of pages kept in
Redis, no whole page, so that every request measures a page miss.

A database that already holds the N articles is served as it is (after a reboot, say); `--fresh`
drops it and imports again.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

from bench.common import (
    ROOT,
    WORK_DIR,
    bench_environment,
    database_url,
    ensure_database,
    prepare_site,
    setup_django,
)
from bench.run import gunicorn_command, wait_for

# Where `--fragments` keeps them: a database of its own, emptied when the server starts.
FRAGMENTS_CACHE_URL = "redis://127.0.0.1:6379/7"
# The deep page `bench.sh` compares: Wagtail's rubric page 50, 20 articles a page.
DEEP_PAGE = 50
PER_PAGE = 20


def state_dir(n: int) -> Path:
    """Where the converted file, the pid file, the log and the targets of this N are kept."""
    return WORK_DIR / f"peers-{n}"


def peers_content(peers_dir: Path, n: int) -> tuple[Path, Path]:
    """The peers' articles and their meta file, generated first if the setups have not run."""
    articles = peers_dir / "data" / f"articles-{n}.jsonl"
    meta = peers_dir / "data" / f"articles-{n}.meta.json"
    if not (articles.exists() and meta.exists()):
        subprocess.run([sys.executable, "gen_content.py", "--n", str(n)], cwd=peers_dir, check=True)
    return articles, meta


def flush_cache(url: str) -> None:
    """Start from an empty cache: fragments of an earlier import must not be shown."""
    import redis

    redis.Redis.from_url(url).flushdb()


def drop_database(url: str) -> None:
    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def import_peers_articles(*, n: int, converted: Path, convert: list[str]) -> None:
    """Import the peers' N articles unless the database holds them already.

    `convert` is the peers' converter, to which the file to write is appended; it runs only
    when `converted` does not exist yet.
    """
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article

    held = Article.objects.count()
    if held == n:
        print(f"The database already holds the {n} articles: not importing again.")
        return
    if held:
        raise SystemExit(f"The database holds {held} articles, not {n}: pass --fresh.")
    if not converted.exists():
        subprocess.run([*convert, str(converted)], check=True)
    started = time.monotonic()
    call_command("import_articles", str(converted), verbosity=1)
    print(f"Imported in {time.monotonic() - started:.0f} s.")
    # Fresh tables have no statistics until autovacuum gets to them, and PostgreSQL plans the
    # pages badly meanwhile: give them their statistics now, as `bench.generate` does.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def deep_page_slugs(articles: Path, rubric_slug: str, page: int) -> list[str]:
    """The slugs of a rubric's page in the peers' order: newest first, then the higher id
    (the import keeps the file's order, so a tie falls as Newsroom's `-published_at, -pk`)."""
    in_rubric = []
    with articles.open(encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            if article["rubric"] == rubric_slug:
                published = datetime.fromisoformat(article["published"])
                in_rubric.append((published, article["id"], article["slug"]))
    in_rubric.sort(reverse=True)
    return [slug for _, _, slug in in_rubric[(page - 1) * PER_PAGE : page * PER_PAGE]]


def newsroom_targets(base: str, *, meta: dict) -> list[tuple[str, str]]:
    """(page, URL) for `bench.sh`: the meta file's target article and rubric, as Wagtail's."""
    from articles.models import Article, Rubric

    target = meta["target"]
    rubric_name = next(r["name"] for r in meta["rubrics"] if r["slug"] == target["rubric"])
    rubric_url = base + Rubric.objects.get(name=rubric_name).get_absolute_url()
    article = Article.objects.get(slug=target["article_slug"])
    return [
        ("home", base + "/"),
        ("article", base + article.get_absolute_url()),
        ("rubric-p1", rubric_url),
        (f"rubric-p{DEEP_PAGE}", f"{rubric_url}?page={DEEP_PAGE}"),
    ]


def get(url: str) -> tuple[int, str]:
    """Status and body without following a redirect, as `bench.sh` insists on a plain 200."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=60)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def lists_in_order(html: str, slugs: list[str]) -> bool:
    """Whether the page links to every one of `slugs`, in that order."""
    positions = [html.find(f"/{slug}/") for slug in slugs]
    return -1 not in positions and positions == sorted(positions)


def check_pages(targets: list[tuple[str, str]], *, deep_slugs: list[str], peers_dir: Path) -> None:
    """Each page answers 200, and the deep rubric page lists the 20 articles Wagtail's page 50
    lists (Wagtail's own page is checked too when it answers)."""
    for page, url in targets:
        status, html = get(url)
        print(f"{status} {len(html.encode()) / 1024:6.1f} KB  {page:<11} {url}")
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        if page == f"rubric-p{DEEP_PAGE}" and not lists_in_order(html, deep_slugs):
            raise SystemExit(f"{url} does not list the articles of the peers' page {DEEP_PAGE}")
    wagtail_targets = peers_dir / "run" / "wagtail-targets.tsv"
    if wagtail_targets.exists():
        for line in wagtail_targets.read_text().splitlines():
            _, page, url = line.split("\t")
            if page == f"rubric-p{DEEP_PAGE}":
                try:
                    status, html = get(url)
                except OSError:
                    print(f"Wagtail does not answer at {url}: its page {DEEP_PAGE} not compared.")
                    break
                if status != 200 or not lists_in_order(html, deep_slugs):
                    raise SystemExit(f"Wagtail's {url} does not list the expected articles")
                print(f"Wagtail's {url} lists the same {len(deep_slugs)} articles, in order.")


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def running_pid(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def stop(pid_file: Path) -> None:
    """Stop the gunicorn that `--detach` left running, through its pid file."""
    pid = running_pid(pid_file)
    if pid is None:
        print("Nothing is running.")
        return
    os.kill(pid, signal.SIGTERM)
    for _ in range(60):
        if running_pid(pid_file) != pid:
            break
        time.sleep(0.5)
    print(f"Stopped gunicorn (pid {pid}).")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peers-dir", type=Path, help="a writable copy of the peers' folder")
    parser.add_argument("--n", type=int, default=10_000, help="the peers' N (10000)")
    parser.add_argument("--port", type=int, default=8010, help="Newsroom's port (8010)")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers (5)")
    parser.add_argument("--database", help="name or postgres:// URL (newsroom_peers_<N>)")
    parser.add_argument("--jsonl", type=Path, help="an already converted file to import")
    parser.add_argument("--targets", type=Path, help="the targets file to write")
    parser.add_argument("--fresh", action="store_true", help="drop the database and import again")
    parser.add_argument("--detach", action="store_true", help="leave the server running")
    parser.add_argument("--stop", action="store_true", help="stop a server left by --detach")
    parser.add_argument(
        "--fragments",
        action="store_true",
        help="keep the pieces of pages in Redis, but no whole page (PAGE_CACHE_STORES_PAGES="
        "false): every request is a page miss, as after a publication; named newsroom-fragments",
    )
    args = parser.parse_args(argv)
    state = state_dir(args.n)
    system = "newsroom-fragments" if args.fragments else "newsroom"
    pid_file = state / f"{system}.pid"
    if args.stop:
        stop(pid_file)
        return
    if args.peers_dir is None:
        parser.error("--peers-dir is required")
    peers_dir = args.peers_dir.resolve()
    state.mkdir(parents=True, exist_ok=True)
    if running_pid(pid_file):
        stop(pid_file)
    if port_in_use(args.port):
        raise SystemExit(f"Something already listens on 127.0.0.1:{args.port}: pass --port.")

    articles, meta_file = peers_content(peers_dir, args.n)
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    url = database_url(args.database or f"newsroom_peers_{args.n}")
    if args.fresh:
        drop_database(url)
    ensure_database(url)
    setup_django(url)
    prepare_site()
    import_peers_articles(
        n=args.n,
        converted=args.jsonl or state / f"newsroom-articles-{args.n}.jsonl",
        convert=[sys.executable, str(peers_dir / "to_newsroom.py"), str(articles), str(meta_file)],
    )

    base = f"http://127.0.0.1:{args.port}"
    targets = newsroom_targets(base, meta=meta)
    command = gunicorn_command(port=args.port, workers=args.workers, log=state / f"{system}.log")
    command += ["--pid", str(pid_file), *(["--daemon"] if args.detach else [])]
    environment = bench_environment(url)
    if args.fragments:
        environment = {
            **bench_environment(url, cache_url=FRAGMENTS_CACHE_URL),
            "PAGE_CACHE_STORES_PAGES": "false",
        }
        flush_cache(FRAGMENTS_CACHE_URL)
    server = subprocess.Popen(command, cwd=ROOT, env=environment)
    try:
        wait_for(f"{base}/healthz", seconds=60)
        deep_slugs = deep_page_slugs(articles, meta["target"]["rubric"], DEEP_PAGE)
        check_pages(targets, deep_slugs=deep_slugs, peers_dir=peers_dir)
    except BaseException:
        stop(pid_file)
        raise
    targets_file = args.targets or state / f"{system}-targets.tsv"
    targets_file.write_text("".join(f"{system}\t{page}\t{u}\n" for page, u in targets))

    cached = "fragments in Redis, no whole pages" if args.fragments else "no page cache"
    print(f"\nNewsroom ({args.workers} sync workers, {cached}) on {base}, {url}")
    print(f"Targets: {targets_file}\nMeasure all four systems in one run:\n")
    print(f"  cd {peers_dir} && REPEAT=3 EXTRA_TARGETS={targets_file} ./bench.sh\n")
    if args.detach:
        server.wait()
        again = f"--n {args.n}{' --fragments' if args.fragments else ''}"
        print(f"Running in the background; stop it with: python -m bench.peers {again} --stop")
        return
    print("Ctrl+C stops it.")
    signal.signal(signal.SIGTERM, lambda *_: server.send_signal(signal.SIGINT))
    try:
        server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print("Stopped.")


if __name__ == "__main__":
    main()
