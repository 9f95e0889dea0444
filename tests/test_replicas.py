"""Reader requests are routed to a read replica when one is configured; editors never are."""

import pytest
from django.db import router
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Article
from newsroom.replicas import ReaderReplicaMiddleware, ReaderReplicaRouter


@pytest.fixture
def read_alias_seen_by_view(settings):
    settings.DATABASE_ROUTERS = [ReaderReplicaRouter()]

    def serve(request):
        seen = {}

        def view(request):
            seen["alias"] = router.db_for_read(Article)
            return HttpResponse()

        ReaderReplicaMiddleware(view)(request)
        return seen["alias"]

    return serve


def test_anonymous_reader_pages_read_from_the_replica(read_alias_seen_by_view):
    assert read_alias_seen_by_view(RequestFactory().get("/news/")) == "replica"


def test_logged_in_staff_read_from_the_primary(read_alias_seen_by_view, settings):
    request = RequestFactory().get("/news/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "session"

    assert read_alias_seen_by_view(request) == "default"


@pytest.mark.parametrize(
    "request_for",
    [lambda factory: factory.get("/admin/"), lambda factory: factory.post("/age-confirm/")],
    ids=["admin", "post"],
)
def test_admin_and_writes_read_from_the_primary(read_alias_seen_by_view, request_for):
    assert read_alias_seen_by_view(request_for(RequestFactory())) == "default"


def test_reads_outside_a_request_use_the_primary(settings):
    settings.DATABASE_ROUTERS = [ReaderReplicaRouter()]

    assert router.db_for_read(Article) == "default"


def test_migrations_never_run_on_the_replica():
    assert ReaderReplicaRouter().allow_migrate("replica", "articles") is False
    assert ReaderReplicaRouter().allow_migrate("default", "articles") is True
