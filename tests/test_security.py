"""Production settings pass Django's deployment checks; every answer carries the
Content-Security-Policy, under which reader pages run no inline script or style."""

import json
import os
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.urls import reverse

from articles.body import VIDEO_HOSTS
from articles.models import Article
from editorial.services import move_to_trash
from tests.admin_forms import article_form_data, change_url
from tests.factories import ArticleFactory, RubricFactory, SiteFactory

BASE_DIR = Path(__file__).resolve().parent.parent
HEADER = "Content-Security-Policy"
# JSON-LD and other data blocks are not scripts: a browser never runs them, and CSP ignores them.
DATA_BLOCK_TYPES = {"application/ld+json", "application/json"}


def policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response[HEADER].split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def test_production_settings_pass_the_deployment_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": "x7Qp-" + "k3Vz9Lm2Rt8Wn5Yb1Hc6Jd4Fg0Sa" * 3,
    }
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never.
    for overridden in (
        "DEBUG",
        "SECURE_COOKIES",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(overridden, None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# Production settings in a process of their own, asked over plain HTTP and through the front
# proxy's HTTPS (X-Forwarded-Proto), on the test database.
HTTPS_PROBE = """
import json, django
django.setup()
from django.test import Client
answers = {}
for name, path, headers in [
    ("plain", "/robots.txt", {}),
    ("health", "/healthz", {}),
    ("proxied", "/robots.txt", {"x-forwarded-proto": "https"}),
]:
    response = Client().get(path, headers=headers)
    answers[name] = [
        response.status_code,
        response.get("Location"),
        response.get("Strict-Transport-Security"),
    ]
print(json.dumps(answers))
"""


@pytest.mark.django_db
def test_production_redirects_to_https_except_the_health_check_and_sends_hsts_over_https():
    database = settings.DATABASES["default"]
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": "x7Qp-" + "k3Vz9Lm2Rt8Wn5Yb1Hc6Jd4Fg0Sa" * 3,
        "DATABASE_URL": (
            f"postgres://{credentials}@{database['HOST']}:{database['PORT'] or 5432}"
            f"/{database['NAME']}"
        ),
        "ALLOWED_HOSTS": "testserver",
    }
    for overridden in ("DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
        env.pop(overridden, None)

    result = subprocess.run(
        [sys.executable, "-c", HTTPS_PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert answers["plain"] == [301, "https://testserver/robots.txt", None]
    assert answers["health"] == [200, None, None]
    assert answers["proxied"] == [200, None, "max-age=31536000; includeSubDomains"]


@pytest.mark.django_db
def test_reader_pages_allow_scripts_and_styles_from_files_only(client):
    article = ArticleFactory()

    for url in ["/", article.get_absolute_url(), reverse("articles:search") + "?q=новость"]:
        rules = policy(client.get(url))

        assert rules["script-src"] == ["'self'"], url
        assert rules["style-src"] == ["'self'"], url
        assert rules["object-src"] == ["'none'"]
        assert rules["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_reader_pages_have_no_inline_script_style_or_event_handler(client, superuser):
    article = ArticleFactory(body="<p>Текст.</p>", age_mark="18+")
    trashed = move_to_trash(article=ArticleFactory(), user=superuser)
    urls = [
        "/",
        article.get_absolute_url(),
        article.rubric.get_absolute_url(),
        reverse("articles:archive"),
        reverse("articles:search") + "?q=текст",
        trashed.get_absolute_url(),
        "/news/no-such-article/",
    ]

    for url in urls:
        response = client.get(url)
        document = lxml.html.fromstring(response.content)
        inline_scripts = [
            script
            for script in document.iter("script")
            if not script.get("src") and script.get("type") not in DATA_BLOCK_TYPES
        ]
        handlers = [
            name for element in document.iter() for name in element.attrib if name.startswith("on")
        ]
        assert response.status_code in {200, 404, 410}, url
        assert inline_scripts == [], url
        assert document.xpath("//style | //*[@style]") == [], url
        assert handlers == [], url


@pytest.mark.django_db
def test_a_site_with_a_metrika_counter_allows_yandex_and_only_that_site(client):
    SiteFactory(domain="toguchin.example.ru", metrika_counter="98765432")

    counted = policy(client.get("/", headers={"host": "toguchin.example.ru"}))
    plain = policy(client.get("/"))

    assert "https://mc.yandex.ru" in counted["script-src"]
    assert "https://mc.yandex.ru" in counted["img-src"]
    assert "wss://mc.yandex.ru" in counted["connect-src"]
    assert "'unsafe-inline'" not in counted["script-src"]
    assert not any("yandex" in source for sources in plain.values() for source in sources)


@pytest.mark.django_db
def test_a_page_from_the_page_cache_carries_the_policy(client, page_cache):
    ArticleFactory()

    client.get("/")
    cached = client.get("/")

    assert cached["X-Page-Cache"] == "hit"
    assert policy(cached)["script-src"] == ["'self'"]


def test_every_video_player_the_body_allows_may_be_framed():
    allowed = set(policy_directive("frame-src"))

    for host in VIDEO_HOSTS:
        assert {f"https://{name}" for name in host.hosts} <= allowed


def policy_directive(name: str) -> list[str]:
    return settings.CONTENT_SECURITY_POLICY["DIRECTIVES"][name]


@pytest.mark.django_db
def test_the_article_form_gives_the_editors_import_map_the_policys_nonce(
    superuser_client, superuser
):
    article = ArticleFactory()

    response = superuser_client.get(change_url(article))

    document = lxml.html.fromstring(response.content)
    [importmap] = document.xpath('//script[@type="importmap"]')
    nonce = importmap.get("nonce")
    assert nonce
    assert f"'nonce-{nonce}'" in policy(response)["script-src"]


@pytest.mark.django_db
def test_a_report_address_is_added_when_configured(client, settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": directives | {"report-uri": "https://reports.example.ru/csp"}
    }

    assert policy(client.get("/"))["report-uri"] == ["https://reports.example.ru/csp"]


@pytest.mark.django_db
def test_the_longest_article_saves_within_the_form_data_limit(superuser_client):
    rubric = RubricFactory()
    paragraph = "<p>" + "Долгое чтение о районе и его жителях. " * 50 + "</p>"
    body = paragraph * 100  # about 190 000 letters, several times the longest long read

    response = superuser_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(rubric, title="Лонгрид", body=body),
    )

    assert response.status_code == 302
    assert Article.objects.get(title="Лонгрид").body == body


@pytest.mark.django_db
def test_form_data_over_the_limit_is_refused_with_400(superuser_client):
    rubric = RubricFactory()
    body = "я" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2)

    response = superuser_client.post(
        reverse("admin:articles_article_add"), article_form_data(rubric, body=body)
    )

    assert response.status_code == 400
    assert not Article.objects.exists()
