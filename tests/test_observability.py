"""One log line per request with its id, errors logged with their context and never shown to
readers, and error reports to Sentry only when SENTRY_DSN is set."""

import gzip
import json
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sentry_sdk
from django.urls import path

from newsroom import observability, views
from newsroom import urls as site_urls


def breaks(request):
    """Fails after looking the user up, as the admin's views do first."""
    raise RuntimeError(f"a bug (staff: {request.user.is_staff})")


# This module is the URLconf of the error tests: the site's own URLs and one that fails.
urlpatterns = [path("breaks/", breaks), *site_urls.urlpatterns]
handler500 = views.server_error

pytestmark = pytest.mark.django_db


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "newsroom.request"]


def test_a_request_logs_one_line_with_method_path_status_duration_and_id(client, caplog):
    caplog.set_level(logging.INFO, logger="newsroom.request")

    response = client.get("/")

    [line] = request_lines(caplog)
    assert (line.method, line.path, line.status) == ("GET", "/", 200)
    assert isinstance(line.duration_ms, float)
    assert line.duration_ms >= 0
    assert len(line.request_id) == 32
    assert response["X-Request-ID"] == line.request_id


def test_the_front_proxys_request_id_is_kept(client, caplog):
    caplog.set_level(logging.INFO, logger="newsroom.request")

    response = client.get("/", headers={"x-request-id": "3f6c2a9e0b7d41c8a5e2f1d0c9b8a7e6"})

    assert response["X-Request-ID"] == "3f6c2a9e0b7d41c8a5e2f1d0c9b8a7e6"
    assert request_lines(caplog)[0].request_id == "3f6c2a9e0b7d41c8a5e2f1d0c9b8a7e6"


def test_a_request_id_that_could_forge_log_lines_is_replaced(client):
    forged = 'abc" level=ERROR\tx'

    response = client.get("/", headers={"x-request-id": forged})

    assert response["X-Request-ID"] != forged
    assert len(response["X-Request-ID"]) == 32


def test_the_json_line_holds_the_request_fields(client, caplog):
    caplog.set_level(logging.INFO, logger="newsroom.request")
    client.get("/news/no-such-article/")
    [record] = request_lines(caplog)

    line = json.loads(observability.JSONFormatter().format(record))

    assert line["level"] == "INFO"
    assert line["logger"] == "newsroom.request"
    assert line["method"] == "GET"
    assert line["path"] == "/news/no-such-article/"
    assert line["status"] == 404
    assert line["request_id"] == record.request_id
    assert "duration_ms" in line


def test_the_request_line_costs_no_query_for_a_signed_in_user(
    client_as, author, django_assert_num_queries
):
    client = client_as(author)

    with django_assert_num_queries(1):  # the health check's own SELECT 1
        client.get("/healthz")


def test_a_server_error_is_logged_with_its_traceback_request_id_and_user(
    client_as, author, settings, caplog
):
    settings.ROOT_URLCONF = __name__
    client = client_as(author)
    client.raise_request_exception = False

    response = client.get("/breaks/")

    [error] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert error.request_id == response["X-Request-ID"]
    assert error.user_id == author.pk
    assert "RuntimeError: a bug" in observability.JSONFormatter().format(error)
    assert json.loads(observability.JSONFormatter().format(error))["user_id"] == author.pk


def test_a_reader_gets_the_russian_error_page_without_the_traceback(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False

    response = client.get("/breaks/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "Ошибка на сервере" in html
    assert "RuntimeError" not in html
    assert "a bug" not in html
    assert "Traceback" not in html


class SentryInbox(BaseHTTPRequestHandler):
    """A stand-in for Sentry's ingestion endpoint: keeps every envelope it is sent."""

    envelopes: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.envelopes.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format, *args):
        pass


@pytest.fixture
def sentry_inbox(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), SentryInbox)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    SentryInbox.envelopes = []
    settings.SENTRY_DSN = f"http://public@127.0.0.1:{server.server_port}/1"
    observability.init_sentry(settings.SENTRY_DSN, environment="test")
    yield SentryInbox.envelopes
    sentry_sdk.init()  # no DSN: nothing is sent any more
    server.shutdown()
    server.server_close()


def test_with_a_dsn_an_error_is_reported_to_sentry_with_the_request_id_and_no_cookies(
    client_as, author, settings, sentry_inbox
):
    settings.ROOT_URLCONF = __name__
    client = client_as(author)
    client.raise_request_exception = False

    response = client.get("/breaks/")
    sentry_sdk.flush(timeout=5)

    events = [
        json.loads(item)
        for envelope in sentry_inbox
        for item in envelope.splitlines()
        if b'"exception"' in item
    ]
    [event] = events
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["tags"]["request_id"] == response["X-Request-ID"]
    assert "cookies" not in event["request"]
    assert client.cookies["sessionid"].value not in json.dumps(event)
    assert "ip_address" not in event.get("user", {})


SENTRY_PROBE = """
import django, sentry_sdk
django.setup()
print(sentry_sdk.is_initialized())
"""


@pytest.mark.parametrize(
    ("dsn", "initialised"), [("", "False"), ("http://public@127.0.0.1:9/1", "True")]
)
def test_production_starts_sentry_only_with_a_dsn(dsn, initialised):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": "x7Qp-" + "k3Vz9Lm2Rt8Wn5Yb1Hc6Jd4Fg0Sa" * 3,
        "SENTRY_DSN": dsn,
    }

    result = subprocess.run(
        [sys.executable, "-c", SENTRY_PROBE],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == initialised
