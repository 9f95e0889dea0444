"""The production front against slow and greedy clients (issue #14), over real sockets.

`deploy.prod_local.ProdLocal` starts what `make prod-local` starts: Debian's nginx with
deploy/nginx/newsroom.conf in front of gunicorn with deploy/gunicorn.conf.py (two sync workers)
and the production settings, on the test database, with the page cache in Redis. Attackers and
readers connect from their own loopback addresses (all of 127.0.0.0/8 is this machine), so that
nginx sees each as a client of its own, as it would on the internet.
"""

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
from django.conf import settings
from django.test import Client
from django.urls import reverse

from deploy.prod_local import (
    ROOT,
    Nginx,
    ProdLocal,
    free_port,
    front_config,
    nginx_main_config,
)
from tests.factories import UserFactory

# The database marker makes pytest-django create the test database, which the servers use.
pytestmark = [pytest.mark.front, pytest.mark.django_db]

REDIS_URL = "redis://127.0.0.1:6379/6"


def database_url() -> str:
    """The test database, which pytest-django has made and migrated."""
    db = settings.DATABASES["default"]
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(scope="module")
def front(django_db_setup):
    """The front and the app, once for this file; their cache keys under a prefix of their own."""
    key_prefix = f"{settings.DATABASES['default']['NAME']}-front-{secrets.token_hex(4)}"
    run_dir = Path(tempfile.mkdtemp(prefix="newsroom-front-"))
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CACHE_URL": f"{REDIS_URL}?key_prefix={key_prefix}",
        "MEDIA_ROOT": str(run_dir / "media"),
        # The test's key, so that a session the test makes (force_login) is valid there too.
        "SECRET_KEY": settings.SECRET_KEY,
    }
    try:
        with ProdLocal(
            environment, run_dir=run_dir, workers=2, task_worker=False, migrate=False
        ) as running:
            for _ in range(6):  # each worker has loaded its templates and opened its connection
                get(running, f"/news/?warm={secrets.token_hex(3)}")
            yield running
    finally:
        shared = redis.Redis.from_url(REDIS_URL)
        for key in shared.scan_iter(f"{key_prefix}:*"):
            shared.delete(key)
        shutil.rmtree(run_dir, ignore_errors=True)


@dataclass
class Answer:
    status: int
    seconds: float
    headers: http.client.HTTPMessage
    body: bytes


def get(front: ProdLocal, path: str, *, source: str = "127.0.0.1", cookie: str = "") -> Answer:
    """One request on a new connection from `source`, as a reader's browser would send it."""
    connection = http.client.HTTPConnection(
        front.host, front.port, timeout=10, source_address=(source, 0)
    )
    started = time.monotonic()
    try:
        headers = {"Host": "127.0.0.1"} | ({"Cookie": cookie} if cookie else {})
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return Answer(response.status, time.monotonic() - started, response.headers, body)


class Trickle(threading.Thread):
    """`count` connections from addresses of their own, each sending `opening` and then `drip`
    every `interval` seconds, reconnecting when the server drops it, until `stop()`."""

    def __init__(self, front, *, count, opening, drip, interval, network):
        super().__init__(daemon=True)
        self.address = (front.host, front.port)
        self.count, self.opening, self.drip, self.interval = count, opening, drip, interval
        self.network = network
        self.stopping = threading.Event()
        self.connections = 0

    def source(self, index: int) -> str:
        return f"127.{self.network}.{index // 250}.{index % 250 + 1}"

    def run(self):
        sockets: dict[int, socket.socket] = {}
        while not self.stopping.is_set():
            for index in range(self.count):
                try:
                    if index not in sockets:
                        sockets[index] = socket.create_connection(
                            self.address, timeout=2, source_address=(self.source(index), 0)
                        )
                        sockets[index].sendall(self.opening)
                        self.connections += 1
                    else:
                        sockets[index].sendall(self.drip)
                except OSError:
                    dropped = sockets.pop(index, None)
                    if dropped:
                        dropped.close()
            self.stopping.wait(self.interval)
        for open_socket in sockets.values():
            open_socket.close()

    def stop(self):
        self.stopping.set()
        self.join(timeout=10)


def read_while(front: ProdLocal, attack: Trickle, *, readers: int = 3, each: int = 15):
    """Readers' requests that no cache answers, made while the attack runs: their answers."""
    attack.start()
    time.sleep(3)  # every attacking socket is open and dripping

    def reader(number: int) -> list[Answer]:
        answers = []
        for request in range(each):
            path = f"/news/?reader={number}-{request}-{secrets.token_hex(3)}"
            answers.append(get(front, path, source=f"127.3.0.{number + 1}"))
            time.sleep(0.2)
        return answers

    try:
        with ThreadPoolExecutor(readers) as pool:
            answers = [a for batch in pool.map(reader, range(readers)) for a in batch]
    finally:
        attack.stop()
    return answers


def p95(answers: list[Answer]) -> float:
    return statistics.quantiles([a.seconds for a in answers], n=20)[18]


def test_slowloris_does_not_hold_the_workers(front):
    """Issue #14: three sockets sending headers a byte at a time held every sync worker."""
    host_line = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    attack = Trickle(front, count=50, opening=host_line, drip=b"a", interval=0.5, network=1)

    answers = read_while(front, attack)

    assert attack.connections >= 50
    assert [a.status for a in answers] == [200] * len(answers)
    assert p95(answers) < 1.0


def test_trickle_uploads_do_not_hold_the_workers(front):
    """Issue #14: 200 slow POST bodies failed 37 of 45 normal requests."""
    opening = (
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded"
        b"\r\nContent-Length: 1000000\r\n\r\n"
    )
    attack = Trickle(front, count=200, opening=opening, drip=b"a" * 64, interval=0.5, network=2)

    answers = read_while(front, attack)

    assert attack.connections >= 200
    assert [a.status for a in answers] == [200] * len(answers)
    assert p95(answers) < 1.0


def test_a_flood_of_uncached_requests_gets_429_while_another_client_is_served(front):
    def flood(number: int) -> int:
        return get(front, f"/healthz?flood={number}", source="127.4.0.1").status

    with ThreadPoolExecutor(20) as pool:
        flooding = pool.map(flood, range(200))
        others = [get(front, "/healthz", source="127.4.0.2").status for _ in range(5)]
        statuses = Counter(flooding)

    assert others == [200] * 5
    assert set(statuses) == {200, 429}
    assert statuses[429] >= 100


@pytest.mark.django_db(transaction=True)
def test_an_editor_opening_the_admin_in_a_hurry_is_never_limited(front):
    """A form page and its requests at once, as a browser sends them, five times over."""
    client = Client()
    client.force_login(UserFactory(username="front-editor", is_staff=True, is_superuser=True))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    autocomplete = (
        reverse("admin:autocomplete")
        + "?"
        + urllib.parse.urlencode(
            {"app_label": "articles", "model_name": "article", "field_name": "regions", "term": "н"}
        )
    )
    form = [
        reverse("admin:articles_article_add"),
        reverse("admin:jsi18n"),
        autocomplete,
        autocomplete,
        reverse("admin:articles_article_changelist"),
    ]

    with ThreadPoolExecutor(25) as pool:
        answers = list(
            pool.map(lambda path: get(front, path, cookie=cookie, source="127.5.0.1"), form * 5)
        )

    assert [a.status for a in answers] == [200] * 25


def test_the_429_answer_is_short_russian_and_never_kept(front):
    answer = None
    for number in range(100):
        answer = get(front, f"/healthz?flood={number}", source="127.4.0.3")
        if answer.status == 429:
            break

    assert answer is not None and answer.status == 429
    assert answer.body.decode() == "Слишком много запросов. Повторите через несколько секунд.\n"
    assert answer.headers["Retry-After"] == "1"
    assert answer.headers["Cache-Control"] == "no-store"


def test_cache_hits_are_never_limited(front):
    path = f"/search/?q={urllib.parse.quote('паводок')}"
    get(front, path)

    answers = [get(front, path, source="127.4.0.4") for _ in range(150)]

    statuses = Counter((a.status, a.headers["X-Cache-Status"]) for a in answers)

    assert statuses[(200, "HIT")] >= 140
    assert not [status for status, _ in statuses if status != 200]


def test_static_files_are_never_limited(front):
    with ThreadPoolExecutor(20) as pool:
        answers = list(
            pool.map(lambda _: get(front, "/static/css/site.css", source="127.4.0.5"), range(150))
        )

    assert [a.status for a in answers] == [200] * 150


def test_tracking_parameters_share_one_cache_entry(front):
    word = f"front{secrets.token_hex(4)}"
    first = get(front, f"/search/?q={word}")

    variants = [
        get(front, f"/search/?q={word}&utm_source=vk&utm_medium=social"),
        get(front, f"/search/?utm_campaign=spring&q={word}&yclid=123456&ysclid=lq1x"),
        get(front, f"/search/?fbclid=IwAR0&q={word}&gclid=abc&utm_term=x&utm_content=y"),
    ]

    assert first.headers["X-Cache-Status"] == "MISS"
    assert [v.headers["X-Cache-Status"] for v in variants] == ["HIT"] * 3
    assert get(front, f"/search/?q={word}x").headers["X-Cache-Status"] == "MISS"


def test_an_address_that_nginx_would_normalise_is_cached_apart(front):
    """An address with "//" or "%2F" reaches the app as sent; its answer is not the plain one's."""
    word = f"front{secrets.token_hex(4)}"
    get(front, f"/search//?q={word}")
    get(front, f"/search%2F?q={word}")

    assert get(front, f"/search/?q={word}").headers["X-Cache-Status"] == "MISS"


def test_media_is_served_inert(front):
    photo = Path(front.environment["MEDIA_ROOT"]) / "photos" / "upload.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"<html><script>alert(document.cookie)</script></html>")

    answer = get(front, "/media/photos/upload.jpg")

    assert answer.status == 200
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    policy = answer.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" in policy
    assert "script-src" not in policy


def test_an_upload_over_the_limit_gets_a_short_russian_413_at_once(front):
    with socket.create_connection((front.host, front.port), timeout=10) as upload:
        upload.sendall(
            b"POST /admin/photos/image/add/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 40000000\r\n\r\n"
        )
        response = http.client.HTTPResponse(upload)
        response.begin()

        assert response.status == 413
        assert response.read().decode() == "Файл слишком большой: не больше 30 МБ.\n"
        assert response.headers["Cache-Control"] == "no-store"


def test_readers_get_a_russian_503_from_nginx_when_the_app_cannot_be_reached():
    # Not pytest's tmp_path: nginx's workers (an unprivileged user under root) must enter it.
    run_dir = Path(tempfile.mkdtemp(prefix="newsroom-front-down-"))
    run_dir.chmod(0o755)
    port = free_port()
    include = run_dir / "newsroom.conf"
    include.write_text(
        front_config(
            app=f"127.0.0.1:{free_port()}",  # nothing listens there
            listen=f"127.0.0.1:{port}",
            limiter_port=free_port(),
            cache_dir=run_dir / "cache",
            media_dir=run_dir / "media",
        )
    )
    nginx = Nginx(run_dir)
    nginx.start(nginx_main_config(run_dir, include=include))
    try:
        answer = None
        for _ in range(50):  # nginx is listening once it answers at all
            try:
                answer = get(SimpleNamespace(host="127.0.0.1", port=port), "/news/")
                break
            except OSError:
                time.sleep(0.1)
    finally:
        nginx.stop()
        shutil.rmtree(run_dir, ignore_errors=True)

    assert answer is not None and answer.status == 503
    assert answer.body.decode() == "Сайт временно недоступен. Обновите страницу через минуту.\n"
    assert answer.headers["Retry-After"] == "10"
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/no-such-page/", "/media/no-such-file.jpg"])
def test_errors_carry_a_short_cache_control(front, path):
    answer = get(front, path)

    assert answer.status == 404
    cache_control = answer.headers["Cache-Control"] or ""
    max_age = re.search(r"max-age=(\d+)", cache_control)
    assert "no-store" in cache_control or (max_age and int(max_age.group(1)) <= 60)


def test_make_prod_local_serves_the_site_and_stops_everything_on_ctrl_c(django_db_setup):
    run_dir = Path(tempfile.mkdtemp(prefix="newsroom-prod-local-"))
    port = free_port()
    command = [sys.executable, "-m", "deploy.prod_local", "--port", str(port), "--workers", "1"]
    command += ["--run-dir", str(run_dir)]
    environment = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(run_dir)}
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line.decode())
            if "Ctrl+C" in lines[-1]:
                break
        url = f"http://127.0.0.1:{port}"
        assert url in lines[-1], "".join(lines)
        started = children_of(process.pid)
        page = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        page.request("GET", "/")
        assert page.getresponse().status == 200

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=40) == 0
    finally:
        if process.poll() is None:
            process.kill()
        shutil.rmtree(run_dir, ignore_errors=True)
    assert {"nginx", "gunicorn", "db_worker"} <= started.keys()
    assert not [pid for pids in started.values() for pid in pids if alive(pid)]


def children_of(pid: int) -> dict[str, list[int]]:
    """The processes under `pid` (gunicorn, its workers, nginx, …) by what they run."""
    found: dict[str, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            name = next(n for n in ("nginx", "gunicorn", "db_worker", "") if n in command)
            found.setdefault(name, []).append(int(stat.parent.name))
            for grandchild in children_of(int(stat.parent.name)).values():
                found[name] += grandchild
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
