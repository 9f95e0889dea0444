"""Two app servers over one PostgreSQL and one Redis: the app keeps no state of its own.

Two gunicorn processes serve the test database with the page cache in Redis (database 6). An
editor logs in to server A and saves an article through the admin, over HTTP; server B, which
holds the old page in the cache, serves the new title on the very next request.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
import redis
from django.conf import settings
from lxml import html

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = "redis://127.0.0.1:6379/6"
PASSWORD = "correct-horse-battery"
BOOT_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database, which the test has made and the servers are to share."""
    db = settings.DATABASES["default"]
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_until_up(base_url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + BOOT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{base_url} exited: {server.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{base_url} did not start in {BOOT_SECONDS} s")


@pytest.fixture
def app_servers():
    """Two gunicorn processes on free ports; their cache keys live under a prefix of their own."""
    key_prefix = f"{settings.DATABASES['default']['NAME']}-{secrets.token_hex(4)}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
        "DATABASE_URL": database_url(),
        "CACHE_URL": f"{REDIS_URL}?key_prefix={key_prefix}",
        "PAGE_CACHE_SECONDS": "300",
    }
    servers = {}
    for name in ("A", "B"):
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--workers", "1"]
        command += ["--bind", f"127.0.0.1:{port}", "--graceful-timeout", "1"]
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        servers[name] = (f"http://127.0.0.1:{port}", process)
    try:
        for base_url, process in servers.values():
            wait_until_up(base_url, process)
        yield {name: base_url for name, (base_url, _) in servers.items()}
    finally:
        for _, process in servers.values():
            process.terminate()
        for _, process in servers.values():
            process.wait(timeout=10)
        shared = redis.Redis.from_url(REDIS_URL)
        for key in shared.scan_iter(f"{key_prefix}:*"):
            shared.delete(key)


def fetch(opener, url, data=None):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with opener.open(url, data=body, timeout=10) as response:
        return response.geturl(), response.headers, response.read().decode()


def form_fields(page: str, form_id: str) -> list[tuple[str, str]]:
    """What a browser would send for the form as it stands."""
    return html.fromstring(page).get_element_by_id(form_id).form_values()


def log_in(server: str, username: str):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    _, _, page = fetch(opener, f"{server}/admin/login/")
    fields = dict(form_fields(page, "login-form"))
    fields.update(username=username, password=PASSWORD)
    landed, _, _ = fetch(opener, f"{server}/admin/login/?next=/admin/", fields)
    assert landed == f"{server}/admin/", "the login was refused"
    return opener


def test_edit_saved_through_one_server_is_fresh_on_the_other(app_servers):
    server_a, server_b = app_servers["A"], app_servers["B"]
    UserFactory(username="chief", is_staff=True, is_superuser=True)
    article = ArticleFactory(title="Паводок в Бердске")
    reader = urllib.request.build_opener()
    page_url = server_b + article.get_absolute_url()
    fetch(reader, page_url)
    _, headers, page = fetch(reader, page_url)
    assert headers["X-Page-Cache"] == "hit"
    assert "Паводок в Бердске" in page

    editor = log_in(server_a, "chief")
    change_url = f"{server_a}/admin/articles/article/{article.pk}/change/"
    _, _, form_page = fetch(editor, change_url)
    fields = [
        (name, "Паводок в Бердске отступил" if name == "title" else value)
        for name, value in form_fields(form_page, "article_form")
    ]
    landed, _, _ = fetch(editor, change_url, fields)
    assert landed == f"{server_a}/admin/articles/article/", "the admin refused the edit"
    assert Article.objects.get(pk=article.pk).title == "Паводок в Бердске отступил"

    _, headers, page = fetch(reader, page_url)

    assert "Паводок в Бердске отступил" in page
    assert headers["X-Page-Cache"] == "miss"
