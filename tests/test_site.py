import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import resolve, reverse

from network import hosts
from newsroom.settings.base import DEVELOPMENT_SECRET_KEY, refuse_development_secret_key


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_does_not_answer(client):
    hosts.forget()
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1"})
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)

    assert response.status_code == 503


@pytest.mark.django_db
def test_healthz_answers_at_any_host(client):
    assert client.get("/healthz", headers={"host": "10.0.0.7:8000"}).status_code == 200


def test_site_refuses_to_start_on_the_development_key_with_debug_off():
    with pytest.raises(ImproperlyConfigured):
        refuse_development_secret_key(False, DEVELOPMENT_SECRET_KEY)


def test_development_key_is_allowed_with_debug_on():
    refuse_development_secret_key(True, DEVELOPMENT_SECRET_KEY)


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("articles:home", {}, "/"),
        ("articles:detail", {"slug": "novost"}, "/news/novost/"),
        ("articles:rubric", {"slug": "sport"}, "/rubric/sport/"),
        ("articles:tag", {"slug": "belarus"}, "/tag/belarus/"),
        ("articles:region", {"slug": "zdvinskiy-rayon"}, "/region/zdvinskiy-rayon/"),
        ("articles:author", {"slug": "redaktsiya"}, "/author/redaktsiya/"),
        ("healthz", {}, "/healthz"),
    ],
)
def test_url_names_round_trip(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name
