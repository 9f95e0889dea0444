"""docker-compose.yml and the Dockerfile keep the promises of docs/production.md.

Docker cannot run in the test environment (no daemon, no registry), so the files are read as
data: what is published, what waits for what, how each service is checked and limited.
"""

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
STACK = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = STACK["services"]


def test_only_nginx_publishes_a_port():
    assert [name for name, service in SERVICES.items() if "ports" in service] == ["nginx"]


def test_nginx_runs_the_repository_front_config():
    assert (
        "./deploy/nginx/newsroom.conf:/etc/nginx/conf.d/default.conf:ro"
        in (SERVICES["nginx"]["volumes"])
    )


def test_web_runs_gunicorn_with_the_repository_config():
    assert SERVICES["web"]["command"][:3] == ["gunicorn", "-c", "deploy/gunicorn.conf.py"]


def test_web_is_healthy_only_when_healthz_answers():
    check = " ".join(SERVICES["web"]["healthcheck"]["test"])

    assert "http://127.0.0.1:8000/healthz" in check


def test_services_start_in_a_healthy_order():
    healthy = {"condition": "service_healthy"}
    migrated = {"condition": "service_completed_successfully"}

    assert SERVICES["migrate"]["depends_on"] == {"db": healthy}
    for name in ("web", "worker"):
        assert SERVICES[name]["depends_on"] == {
            "db": healthy,
            "redis": healthy,
            "migrate": migrated,
        }
    assert SERVICES["nginx"]["depends_on"] == {"web": healthy}


def test_migrations_run_once_and_every_server_restarts():
    assert SERVICES["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert SERVICES["migrate"]["restart"] == "no"
    others = [service for name, service in SERVICES.items() if name != "migrate"]
    assert {service["restart"] for service in others} == {"unless-stopped"}


def test_redis_has_a_memory_limit_and_evicts_least_recently_used_keys():
    command = SERVICES["redis"]["command"]

    assert command[command.index("--maxmemory") + 1]
    assert command[command.index("--maxmemory-policy") + 1] == "allkeys-lru"


def test_postgresql_keeps_its_data_in_a_volume_and_is_health_checked():
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    assert "pg_isready" in " ".join(SERVICES["db"]["healthcheck"]["test"])


def test_the_image_is_slim_and_runs_as_a_user_of_its_own():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert re.search(r"^FROM python:[\d.]+-slim(-\w+)?$", dockerfile, re.M)
    users = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert users and users[-1] not in {"root", "0"}
