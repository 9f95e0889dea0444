"""Production settings pass Django's deployment checks, and request size limits fit the admin's
largest legitimate form."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article
from tests.admin_forms import article_form_data
from tests.factories import RubricFactory

BASE_DIR = Path(__file__).resolve().parent.parent


def test_production_settings_pass_the_deployment_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": "x7Qp-" + "k3Vz9Lm2Rt8Wn5Yb1Hc6Jd4Fg0Sa" * 3,
    }
    for overridden in ("DEBUG", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
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
