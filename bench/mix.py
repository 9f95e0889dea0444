"""A breaking-news hour through the production front: `python -m bench.mix newsroom_bench_10k`.

nginx with deploy/nginx/newsroom.conf in front of gunicorn with deploy/gunicorn.conf.py and the
production settings (deploy/prod_local.py's `ProdLocal`), with the page cache in Redis. wrk
(a Lua script this module writes) asks for 10 000 distinct reader pages of every site of the
network, picked by Zipf's law: on each site the home page first, then the rubrics' first pages,
the region, the feed and the archive, then the articles newest first with a list page deeper in
pagination after every four. The oblast's site has half the readers, the districts share the
rest. Meanwhile an editor publishes a new article on one site every 30 s, from this process,
through `editorial.services` as the admin does, which makes that site's cached pages stale;
the newest such article is read as much as its site's home page.

A hundred times the usual readers ask for every page of the set within minutes, so the run
starts with each of them rendered once (the least read first), then 20 s of the same load that
fill nginx's micro-cache, then the measured 60 s. The app keeps a page for an hour here
(`--page-cache-seconds`) rather than production's 5 minutes, which rendering 10 000 pages on
two busy cores can take: a page then goes stale only through a publication.

Every request that reaches the app passes the front's internal limiter server, which this
benchmark logs with the app's `X-Page-Cache` answer: a render is a `miss` there. A render of a
page rendered before in the run is one a publication caused; a first render is a page that was
never asked for before (the new article).

The limiter keys its rate by the reader's address, and all of wrk's readers come from
127.0.0.1: the benchmark raises the rate so that it never refuses them, as it never refuses a
crowd whose readers each ask for a page every few seconds.

Prints and saves (as JSON) requests/s, latency percentiles, errors (non-2xx/3xx responses and
socket errors), how the front and the app answered, the renders in all and after each
publication, the CPU time per request of the gunicorn workers, nginx and PostgreSQL, and the
workers' memory.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis

from bench.common import (
    WORK_DIR,
    Page,
    bench_environment,
    biggest_rubric,
    database_url,
    first_row,
    save_results,
    setup_django,
)
from bench.run import (
    cpu_seconds,
    machine,
    must_match,
    processes,
    tree_cpu_seconds,
    worker_rss_mb,
    wrk_command,
)
from deploy.prod_local import ProdLocal

# Not bench.run's database 8, which it empties before measuring its cached layer: a run of it
# beside the mix would make every page of every site stale at once.
REDIS_URL = "redis://127.0.0.1:6379/9"
# wrk prints this before the JSON of the script's `done()`.
RESULT_MARK = "MIX-RESULT "
# An article every four pages in a site's tail is followed by a list page deeper in pagination.
ARTICLES_PER_LIST_PAGE = 4
TOP_TAGS = 12
RENDER_LOG_FORMAT = (
    "log_format newsroom_mix '$msec\\t$host\\t$request_uri\\t$status\\t"
    "$upstream_http_x_page_cache';\n"
)
# The front logs the requests it took 50 ms or more to finish, with its cache's answer: a
# request waiting for another one's render of the same page (nginx's cache lock, which looks
# again every 500 ms) is a HIT that took half a second, and a request that started a background
# update of a stale page ends only when the update does.
SLOW_LOG_FORMAT = (
    "log_format newsroom_slow '$msec\\t$request_time\\t$upstream_cache_status\\t$host\\t"
    "$request_uri';\n"
    "map $request_time $newsroom_slow { ~^0\\.0[0-4] 0; default 1; }\n"
)


# The pages ---------------------------------------------------------------------------------------


def ranked_pages(site) -> list[Page]:
    """A site's reader pages, the most read first."""
    from django.db.models import Count
    from django.urls import reverse

    from articles.models import Article, Placement, Rubric, Tag
    from articles.views import ArchiveView, ArticleListView
    from regions.models import Region

    def pages_of(count: int, per_page: int) -> int:
        return -(-count // per_page)

    published = Article.objects.published_on(site)
    rubrics = [
        Rubric.objects.get(pk=row["rubric"])
        for row in Placement.objects.filter(site=site, is_listed=True)
        .values("rubric")
        .annotate(n=Count("pk"))
        .order_by("-n", "rubric")
    ]
    region = site.region or first_row(
        Region.objects.filter(parent__isnull=False, parent__parent__isnull=True)
    )
    per_page = ArticleListView.paginate_by
    lists = [
        (rubric.get_absolute_url(), pages_of(published.in_rubric_on(rubric).count(), per_page))
        for rubric in rubrics
    ]
    archive = reverse("articles:archive")
    lists.append((archive, pages_of(published.count(), ArchiveView.paginate_by)))
    lists.append(
        (region.get_absolute_url(), pages_of(published.in_region(region).count(), per_page))
    )
    top_tags = Tag.objects.annotate(n=Count("tagged_articles")).order_by("-n", "pk")[:TOP_TAGS]
    tags = [(tag.get_absolute_url(), published.filter(tags=tag).count()) for tag in top_tags]

    host = "" if site.is_default else site.domain
    label = "oblast" if site.is_default else site.domain.split(".")[0]

    def page(kind: str, path: str) -> Page:
        return Page(kind, path, label, host)

    hot = [page("home", "/")]
    hot += [page("rubric p1", rubric.get_absolute_url()) for rubric in rubrics]
    hot += [page("region p1", region.get_absolute_url()), page("feed", reverse("feeds:site"))]
    hot.append(page("archive p1", archive))
    deeper = [page("tag p1", path) for path, count in tags if count]
    deepest = max(pages for _, pages in lists)
    for number in range(2, deepest + 1):
        deeper += [
            page(f"{'archive' if path == archive else 'list'} p{number}", f"{path}?page={number}")
            for path, pages in lists
            if number <= pages
        ]
    slugs = published.order_by("-published_at", "-pk").values_list("slug", flat=True)
    lists_left = iter(deeper)
    tail = []
    for number, slug in enumerate(slugs, 1):
        tail.append(page("article", reverse("articles:detail", kwargs={"slug": slug})))
        if number % ARTICLES_PER_LIST_PAGE == 0 and (list_page := next(lists_left, None)):
            tail.append(list_page)
    return hot + tail + list(lists_left)


@dataclass(frozen=True)
class Weighted:
    page: Page
    weight: float  # the share of requests that ask for it


def zipf_pages(
    sites_pages: list[list[Page]], *, count: int, exponent: float, oblast_share: float
) -> list[Weighted]:
    """The `count` most read pages of the network, each site's by Zipf's law on its own ranks.

    The first site is the oblast's, with `oblast_share` of the readers; the others share the
    rest equally. Weights are normalised over the pages kept.
    """
    shares = [oblast_share] + [(1 - oblast_share) / max(1, len(sites_pages) - 1)] * (
        len(sites_pages) - 1
    )
    weighted = []
    for share, pages in zip(shares, sites_pages, strict=True):
        norm = sum(rank**-exponent for rank in range(1, len(pages) + 1))
        weighted += [
            Weighted(page, share * rank**-exponent / norm) for rank, page in enumerate(pages, 1)
        ]
    weighted.sort(key=lambda item: -item.weight)
    kept = weighted[:count]
    total = sum(item.weight for item in kept)
    return [Weighted(item.page, item.weight / total) for item in kept]


# wrk ---------------------------------------------------------------------------------------------

LUA = """
-- Written by bench/mix.py: pick a page by its weight, count how the front and the app answered.
local pages = {
%(pages)s
}
local bounds = {
%(bounds)s
}
local default_host = %(default_host)s
local requests = {}
local threads = {}
-- The newest breaking article: its host and path, written to this file by the editor, read by
-- each thread every 200 requests; it takes as many readers as its site's home page.
local breaking_file = %(breaking_file)s
local breaking_share = %(breaking_share)r
local breaking_line, breaking_request
local count = 0

local function read_breaking()
  local file = io.open(breaking_file)
  if not file then return end
  local line = file:read("*l")
  file:close()
  if line and line ~= breaking_line then
    breaking_line = line
    local host, path = line:match("^(.-)\t(.+)$")
    breaking_request = wrk.format("GET", path, {Host = host ~= "" and host or default_host})
  end
end

function setup(thread)
  thread:set("thread_number", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(%(seed)d + thread_number * 7919)
  for i, page in ipairs(pages) do
    local host = page[1] ~= "" and page[1] or default_host
    requests[i] = wrk.format("GET", page[2], {Host = host})
  end
  statuses = {}
  answers = {}
end

function request()
  count = count + 1
  if count %% 200 == 1 then read_breaking() end
  if breaking_request and math.random() < breaking_share then return breaking_request end
  local r = math.random()
  local low, high = 1, #bounds
  while low < high do
    local middle = math.floor((low + high) / 2)
    if bounds[middle] < r then low = middle + 1 else high = middle end
  end
  return requests[low]
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  local answer = (headers["X-Cache-Status"] or "-") .. " " .. (headers["X-Page-Cache"] or "-")
  answers[answer] = (answers[answer] or 0) + 1
end

local function add(total, counts)
  for key, value in pairs(counts) do total[key] = (total[key] or 0) + value end
end

local function object(counts)
  local items = {}
  for key, value in pairs(counts) do
    table.insert(items, string.format("%%q: %%s", key, tostring(value)))
  end
  return "{" .. table.concat(items, ", ") .. "}"
end

function done(summary, latency, requests)
  local all_statuses, all_answers = {}, {}
  for _, thread in ipairs(threads) do
    add(all_statuses, thread:get("statuses"))
    add(all_answers, thread:get("answers"))
  end
  local errors = summary.errors
  local figures = {
    requests = summary.requests,
    duration_us = summary.duration,
    connect_errors = errors.connect, read_errors = errors.read, write_errors = errors.write,
    status_errors = errors.status, timeouts = errors.timeout,
    p50_us = latency:percentile(50), p90_us = latency:percentile(90),
    p99_us = latency:percentile(99), p999_us = latency:percentile(99.9),
    max_us = latency.max, mean_us = latency.mean,
  }
  io.write("%(mark)s{", "\\"figures\\": ", object(figures),
           ", \\"statuses\\": ", object(all_statuses),
           ", \\"answers\\": ", object(all_answers), "}\\n")
end
"""


def wrk_script(
    pages: list[Weighted],
    *,
    default_host: str,
    seed: int,
    breaking_file: Path,
    breaking_share: float,
) -> str:
    """The Lua script: the pages and the upper bounds of their shares of [0, 1)."""
    bounds, running = [], 0.0
    for item in pages:
        running += item.weight
        bounds.append(running)
    bounds[-1] = 1.0
    return LUA % {
        "pages": ",\n".join(
            f"{{{json.dumps(item.page.host)}, {json.dumps(item.page.path)}}}" for item in pages
        ),
        "bounds": ",\n".join(repr(bound) for bound in bounds),
        "default_host": json.dumps(default_host),
        "seed": seed,
        "breaking_file": json.dumps(str(breaking_file)),
        "breaking_share": breaking_share,
        "mark": RESULT_MARK,
    }


def start_wrk(url: str, script: Path, *, duration: int, connections: int, threads: int):
    return subprocess.Popen(
        [
            *wrk_command(threads=threads, connections=connections, duration=duration),
            "-s",
            str(script),
            url,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wrk_result(process) -> dict[str, Any]:
    output, errors = process.communicate()
    if process.returncode:
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{errors}\n{output}")
    line = must_match(rf"^{RESULT_MARK}(.+)$", output, re.M).group(1)
    return json.loads(line)


def prerender(
    app_url: str, pages: list[Weighted], *, clients: int
) -> tuple[dict[tuple[str, str], float], Counter]:
    """Ask the app itself (not the front) for every page once, the least read first: the run
    then starts as a busy hour goes on, with every page of the set in the app's cache, since
    a hundred times the usual readers ask for each of them within minutes.

    Returns when each page was rendered (under the host nginx names it by) and the statuses.
    """
    address = urllib.parse.urlsplit(app_url)
    waiting = iter([item.page for item in reversed(pages)])
    lock = threading.Lock()
    rendered: dict[tuple[str, str], float] = {}
    statuses: Counter = Counter()

    def client() -> None:
        while True:
            with lock:
                page = next(waiting, None)
            if page is None:
                return
            host = page.host or "127.0.0.1"
            connection = http.client.HTTPConnection(
                address.hostname or "127.0.0.1", address.port, timeout=60
            )
            try:
                connection.request("GET", page.path, headers={"Host": host})
                response = connection.getresponse()
                response.read()
            finally:
                connection.close()
            with lock:
                statuses[response.status] += 1
                if response.headers["X-Page-Cache"] == "miss":
                    rendered[host, page.path] = time.time()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return rendered, statuses


# The front ---------------------------------------------------------------------------------------


def replace_once(text: str, old: str, new: str) -> str:
    """`str.replace` of a text that must occur exactly once, so a changed config fails loudly."""
    if text.count(old) != 1:
        raise RuntimeError(f"the front's configuration no longer has exactly one {old!r}")
    return text.replace(old, new)


class Front(ProdLocal):
    """The production front and app, the front's rate limit raised for one address's crowd, and
    every request that reaches the app logged with its page-cache answer."""

    access_log = False  # a line per request at thousands a second would be nginx's main work

    def __init__(self, environment: dict[str, str], *, run_dir: Path, workers: int | None):
        super().__init__(environment, run_dir=run_dir, workers=workers, task_worker=False)
        self.render_log = self.nginx.run_dir / "app-requests.log"
        self.slow_log = self.nginx.run_dir / "slow-requests.log"

    def front_text(self, config: str) -> str:
        config = replace_once(config, "rate=10r/s;", "rate=100000r/s;")
        config = replace_once(
            config,
            "limit_req_log_level warn;",
            f"limit_req_log_level warn;\n    access_log {self.render_log} newsroom_mix;",
        )
        config = replace_once(
            config,
            "proxy_cache_revalidate on;",
            "proxy_cache_revalidate on;\n"
            f"    access_log {self.slow_log} newsroom_slow if=$newsroom_slow;",
        )
        return RENDER_LOG_FORMAT + SLOW_LOG_FORMAT + config

    def start(self) -> None:
        self.render_log.unlink(missing_ok=True)
        self.slow_log.unlink(missing_ok=True)
        super().start()


@dataclass
class AppRequest:
    at: float
    host: str
    path: str
    status: int
    page_cache: str  # "hit", "miss" (rendered and stored) or "-" (not a cached page)


def app_requests(log: Path) -> list[AppRequest]:
    found = []
    for line in log.read_text().splitlines():
        at, host, path, status, page_cache = line.split("\t")
        found.append(AppRequest(float(at), host, path, int(status), page_cache))
    return found


@dataclass
class SlowRequest:
    at: float
    seconds: float
    cache: str  # nginx's $upstream_cache_status: HIT, STALE, UPDATING, MISS, EXPIRED or "-"
    host: str
    path: str


def slow_requests(log: Path) -> list[SlowRequest]:
    found = []
    for line in log.read_text().splitlines():
        at, seconds, cache, host, path = line.split("\t")
        found.append(SlowRequest(float(at), float(seconds), cache, host, path))
    return found


def slow_summary(requests: list[SlowRequest]) -> dict[str, Any]:
    """The front's slow requests by its cache's answer, and the pages most of them were for."""
    return {
        "count": len(requests),
        "by_cache_status": dict(Counter(r.cache for r in requests).most_common()),
        "over_400_ms": sum(r.seconds >= 0.4 for r in requests),
        "pages": [
            {"host": host, "path": path, "count": count}
            for (host, path), count in Counter((r.host, r.path) for r in requests).most_common(5)
        ],
    }


# The editor --------------------------------------------------------------------------------------


@dataclass
class Publication:
    at: float  # the epoch second the service returned (the commit, and the cache's bump)
    seconds: float  # how long the service took
    path: str
    host: str


class Editor:
    """Publishes a new article on one site, through the service the admin's form calls."""

    def __init__(self, site, *, breaking_file: Path):
        from django.contrib.auth import get_user_model

        from regions.models import Region

        self.site = site
        self.user, _ = get_user_model().objects.get_or_create(
            username="bench-mix-editor", defaults={"is_staff": True, "is_superuser": True}
        )
        self.rubric = biggest_rubric(site)
        self.region = site.region or first_row(
            Region.objects.filter(parent__isnull=False, parent__parent__isnull=True)
        )
        self.run = secrets.token_hex(3)
        self.breaking_file = breaking_file
        breaking_file.unlink(missing_ok=True)
        self.published: list = []

    def delete_published(self) -> None:
        """Leave the bench database as it was, through the services too: to the trash, then
        deleted for good."""
        from editorial.services import empty_trash, move_to_trash

        trashed = [move_to_trash(article=article, user=self.user) for article in self.published]
        empty_trash(articles=trashed, user=self.user)
        self.published.clear()

    def publish(self, number: int) -> Publication:
        from articles.models import Article
        from editorial.services import save_article
        from editorial.workflow import Action

        started = time.monotonic()
        article = Article(
            title=f"Срочно: паводок, сводка {number} ({self.run})",
            lead="Вода в реке поднялась ещё на десять сантиметров, спасатели на месте.",
            body="<p>Подтоплены дворы на двух улицах. Жителей просят не выходить к реке.</p>"
            "<p>Следующая сводка через полчаса.</p>",
            rubric=self.rubric,
            site=self.site,
            is_featured=True,
        )
        article.full_clean(exclude=["slug", "excerpt", "age_mark"])
        save_article(
            article=article,
            user=self.user,
            regions=[self.region],
            tags=["паводок"],
            action=Action.PUBLISH,
        )
        publication = Publication(
            at=time.time(),
            seconds=round(time.monotonic() - started, 3),
            path=article.get_absolute_url(),
            host=self.site.domain if not self.site.is_default else "",
        )
        self.published.append(article)
        written = self.breaking_file.with_suffix(".new")
        written.write_text(f"{publication.host}\t{publication.path}\n")
        written.replace(self.breaking_file)
        return publication


# The run -----------------------------------------------------------------------------------------


@dataclass
class Renders:
    """Renders (app requests answered `X-Page-Cache: miss`) in a span of the run."""

    seconds: float
    again_on_site: int = 0  # pages of the published site rendered earlier in the run
    first_on_site: int = 0
    again_elsewhere: int = 0  # the other sites' pages
    first_elsewhere: int = 0
    expired: int = 0  # rendered again, but the earlier copy's time was up anyway
    app_requests: int = 0
    # Pages rendered again: host, path and the seconds since their previous render.
    pages: list[tuple[str, str, float]] = field(default_factory=list)


def count_renders(
    requests: list[AppRequest],
    *,
    start: float,
    end: float,
    host: str,
    rendered: dict[tuple[str, str], float],
    lifetime: float,
) -> Renders:
    """Count the renders between `start` and `end`. `rendered` holds when each page was last
    rendered before `start`, and is updated; `lifetime` is how long the app keeps a page."""
    span = Renders(seconds=round(end - start, 1))
    for request in requests:
        if not start <= request.at < end:
            continue
        span.app_requests += 1
        if request.page_cache != "miss":
            continue
        page = (request.host, request.path)
        before = rendered.get(page)
        rendered[page] = request.at
        if before is None:
            if request.host == host:
                span.first_on_site += 1
            else:
                span.first_elsewhere += 1
            continue
        span.pages.append((request.host, request.path, round(request.at - before, 1)))
        if request.at - before >= lifetime:
            span.expired += 1
        elif request.host == host:
            span.again_on_site += 1
        else:
            span.again_elsewhere += 1
    return span


def print_report(result: dict[str, Any]) -> None:
    wrk = result["wrk"]
    figures = wrk["figures"]
    print(
        f"\n{figures['requests']} requests in {result['args']['duration']} s: "
        f"{result['requests_per_second']:.0f} req/s; "
        f"latency p50 {figures['p50_us'] / 1000:.1f} ms, "
        f"p99 {figures['p99_us'] / 1000:.1f} ms, p99.9 {figures['p999_us'] / 1000:.1f} ms, "
        f"max {figures['max_us'] / 1000:.0f} ms; errors {result['errors']}"
    )
    print(f"  statuses: {wrk['statuses']}")
    print(f"  answers (nginx's X-Cache-Status, the app's X-Page-Cache): {wrk['answers']}")
    app = result["app"]
    print(
        f"  reached the app: {app['requests']} ({app['hits']} page-cache hits, "
        f"{app['renders']} renders, {app['not_modified']} revalidations answered 304, "
        f"{app['other']} other)"
    )
    cpu = result["cpu_ms_per_request"]
    print(
        f"  CPU per request: gunicorn {cpu['app']:.2f} ms, nginx {cpu['nginx']:.2f} ms, "
        f"PostgreSQL {cpu['postgres']:.2f} ms; gunicorn "
        f"{result['app_cpu_ms_per_app_request']:.1f} ms per request that reached it"
    )
    memory = result["memory_mb"]
    print(
        f"  workers' memory: {memory['workers']} workers, largest {memory['largest_worker']} MB, "
        f"all {memory['all_workers']} MB (peak {memory['peak_all_workers']} MB)"
    )
    slow = result["front_slow_requests"]
    print(
        f"  requests the front took 50 ms or more to finish: {slow['count']} "
        f"({slow['by_cache_status']}; {slow['over_400_ms']} of 400 ms or more)"
    )
    before = result["before_first_publication"]
    print(
        f"  before the first publication ({before['seconds']} s): "
        f"{before['again_on_site'] + before['again_elsewhere']} pages rendered again, "
        f"{before['first_on_site'] + before['first_elsewhere']} for the first time, "
        f"{before['expired']} expired"
    )
    for number, (publication, span) in enumerate(
        zip(result["publications"], result["after_each_publication"], strict=True), 1
    ):
        print(
            f"  publication {number} ({publication['host'] or 'oblast'}{publication['path']}, "
            f"{publication['seconds'] * 1000:.0f} ms): in the next {span['seconds']} s "
            f"{span['again_on_site']} of its site's pages rendered again "
            f"({span['first_on_site']} for the first time); other sites: "
            f"{span['again_elsewhere']} again, {span['first_elsewhere']} first; "
            f"{span['expired']} expired"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", help="a bench database name, or a postgres:// URL")
    parser.add_argument("--duration", type=int, default=60, help="seconds measured")
    parser.add_argument(
        "--warmup", type=int, default=20, help="seconds of the same load before, not measured"
    )
    parser.add_argument("--pages", type=int, default=10_000, help="distinct pages asked for")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="start with an empty page cache (by default every page is rendered once first)",
    )
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        default=3600,
        help="PAGE_CACHE_SECONDS of the run: longer than rendering every page first takes",
    )
    parser.add_argument("--zipf", type=float, default=1.0, help="Zipf's exponent on each site")
    parser.add_argument(
        "--oblast-share", type=float, default=0.5, help="the oblast's site's share of readers"
    )
    parser.add_argument("--publish-every", type=float, default=30, help="seconds")
    parser.add_argument(
        "--publish-on", default="", help="the site's domain (default: the oblast's site)"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: its config's)")
    parser.add_argument("--seed", type=int, default=1, help="of wrk's page picker")
    parser.add_argument("--redis", default=REDIS_URL, help="the Redis database of the page cache")
    args = parser.parse_args(argv)
    url = database_url(args.database)
    name = url.rpartition("/")[2]
    key_prefix = f"mix-{name}-{secrets.token_hex(4)}"
    cache_url = f"{args.redis}?key_prefix={key_prefix}"
    os.environ["PAGE_CACHE_SECONDS"] = str(args.page_cache_seconds)  # the app's and ours
    setup_django(url, cache_url=cache_url)

    from django.conf import settings

    from network.models import Site

    sites = sorted(Site.objects.select_related("region"), key=lambda s: (not s.is_default, s.pk))
    print(f"{url}: ranking the pages of {len(sites)} sites…", flush=True)
    pages = zipf_pages(
        [ranked_pages(site) for site in sites],
        count=args.pages,
        exponent=args.zipf,
        oblast_share=args.oblast_share,
    )
    publish_on = next(
        s for s in sites if (s.domain == args.publish_on if args.publish_on else s.is_default)
    )
    run_dir = WORK_DIR / f"mix-{name}"
    run_dir.mkdir(parents=True, exist_ok=True)
    editor = Editor(publish_on, breaking_file=run_dir / "breaking")
    script = run_dir / "mix.lua"
    script.write_text(
        wrk_script(
            pages,
            default_host="127.0.0.1",
            seed=args.seed,
            breaking_file=editor.breaking_file,
            breaking_share=max(
                item.weight
                for item in pages
                if item.page.host == ("" if publish_on.is_default else publish_on.domain)
            ),
        )
    )
    started = datetime.now(UTC)
    info: dict[str, Any] = {
        "database": url,
        "started": started.isoformat(),
        "machine": machine(),
        "args": vars(args),
        "pages": {
            "count": len(pages),
            "sites": len({item.page.site for item in pages}),
            "share_of_top": {
                top: round(sum(item.weight for item in pages[:top]), 3) for top in (10, 100, 1000)
            },
            "kinds": count_kinds(pages),
        },
    }
    print(f"{info['machine']}\n{info['pages']}", flush=True)
    environment = bench_environment(url, cache_url=cache_url)
    try:
        front = Front(environment, run_dir=run_dir / "front", workers=args.workers)
        with front:
            master = front.processes[0].pid
            assert front.nginx.process is not None
            nginx = front.nginx.process.pid

            def wrk(seconds: int):
                return start_wrk(
                    front.url,
                    script,
                    duration=seconds,
                    connections=args.connections,
                    threads=args.threads,
                )

            warm_start = time.time()
            warmed: dict[tuple[str, str], float] = {}
            if not args.cold:
                print(f"rendering the {len(pages)} pages once, the least read first…", flush=True)
                warmed, statuses = prerender(front.app_url, pages, clients=args.workers or 5)
                print(f"  {dict(statuses)} in {time.time() - warm_start:.0f} s", flush=True)
                info["prerendered"] = {
                    "pages": len(warmed),
                    "statuses": dict(statuses),
                    "seconds": round(time.time() - warm_start),
                }
            if args.warmup:
                print(f"warming up for {args.warmup} s…", flush=True)
                wrk_result(wrk(args.warmup))
            table = processes()
            app_before = tree_cpu_seconds(table, master)
            nginx_before = tree_cpu_seconds(table, nginx)
            _, db_before = cpu_seconds()
            print(f"measuring for {args.duration} s…", flush=True)
            measured = wrk(args.duration)
            start = time.time()
            end = start + args.duration
            next_publication = start + args.publish_every / 2
            publications: list[Publication] = []
            peak_rss = 0.0
            while measured.poll() is None:
                if time.time() >= next_publication and next_publication < end:
                    publications.append(editor.publish(len(publications) + 1))
                    print(f"  published {publications[-1]}", flush=True)
                    next_publication += args.publish_every
                peak_rss = max(peak_rss, sum(worker_rss_mb(master)))
                time.sleep(max(0.0, min(1.0, next_publication - time.time())))
            end = time.time()
            result = wrk_result(measured)
            table = processes()
            app_cpu = tree_cpu_seconds(table, master) - app_before
            nginx_cpu = tree_cpu_seconds(table, nginx) - nginx_before
            db_cpu = cpu_seconds()[1] - db_before
            rss = worker_rss_mb(master)
        requests = app_requests(front.render_log)
        slow = slow_requests(front.slow_log)
    finally:
        editor.delete_published()
        shared = redis.Redis.from_url(args.redis)
        for key in shared.scan_iter(f"{key_prefix}:*"):
            shared.delete(key)

    figures = result["figures"]
    served = figures["requests"]
    in_run = [r for r in requests if start <= r.at < end]
    rendered = dict(warmed)
    rendered |= {
        (r.host, r.path): r.at for r in requests if r.at < start and r.page_cache == "miss"
    }
    host = publish_on.domain if not publish_on.is_default else "127.0.0.1"
    moments = [p.at for p in publications] + [end]
    spans = [
        count_renders(
            requests,
            start=begin,
            end=finish,
            host=host,
            rendered=rendered,
            lifetime=settings.PAGE_CACHE_SECONDS,
        )
        for begin, finish in zip([start, *moments[:-1]], moments, strict=True)
    ]
    errors = sum(
        figures[kind]
        for kind in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
    )
    info |= {
        "load_average_after": os.getloadavg(),
        "warmup_seconds": round(start - warm_start, 1),
        "requests_per_second": round(served / (figures["duration_us"] / 1e6), 1),
        "errors": errors,
        "wrk": result,
        "app": {
            "requests": len(in_run),
            "hits": sum(r.page_cache == "hit" for r in in_run),
            "renders": sum(r.page_cache == "miss" for r in in_run),
            # 304: a page-cache hit for nginx's revalidation (the 304 drops the header).
            "other": sum(r.page_cache == "-" and r.status != 304 for r in in_run),
            "not_modified": sum(r.status == 304 for r in in_run),
            "statuses": dict(sorted(Counter(r.status for r in in_run).items())),
        },
        "cpu_ms_per_request": {
            "app": round(app_cpu * 1000 / served, 3) if served else None,
            "nginx": round(nginx_cpu * 1000 / served, 3) if served else None,
            "postgres": round(db_cpu * 1000 / served, 3) if served else None,
        },
        "app_cpu_ms_per_app_request": round(app_cpu * 1000 / len(in_run), 2) if in_run else None,
        "app_cpu_seconds": round(app_cpu, 2),
        "memory_mb": {
            "workers": len(rss),
            "largest_worker": round(max(rss), 1) if rss else None,
            "all_workers": round(sum(rss), 1),
            "peak_all_workers": round(peak_rss, 1),
        },
        "front_slow_requests": slow_summary([r for r in slow if start <= r.at < end]),
        "published_on": host,
        "publications": [asdict(p) for p in publications],
        "before_first_publication": asdict(spans[0]),
        "after_each_publication": [asdict(span) for span in spans[1:]],
    }
    print_report(info)
    save_results(info, WORK_DIR / "results" / f"{name}.mix.json")


def count_kinds(pages: list[Weighted]) -> dict[str, int]:
    """How many pages of each kind, the deeper list pages counted together."""
    return dict(Counter(re.sub(r" p(?!1$)\d+$", " p2+", item.page.kind) for item in pages))


if __name__ == "__main__":
    main()
