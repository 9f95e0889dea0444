"""Guessing passwords locks one username out from one address for a while, and no one else."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
LOCKED_OUT = "вход под этим именем с вашего адреса закрыт"


@pytest.fixture
def staff_user():
    return UserFactory(username="olga", is_staff=True, is_superuser=True)


def log_in(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
        **headers,
    )


def guess_wrong(client, username, times, address="203.0.113.7", **headers):
    for _ in range(times):
        response = log_in(client, username, "wrong-password", address, **headers)
        assert response.status_code in (200, 429)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_up_to_the_limit_lock_the_username_out(client, settings, staff_user):
    guess_wrong(client, "olga", settings.AXES_FAILURE_LIMIT)

    response = log_in(client, "olga", PASSWORD)

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_fewer_wrong_passwords_than_the_limit_do_not_lock_out(client, settings, staff_user):
    guess_wrong(client, "olga", settings.AXES_FAILURE_LIMIT - 1)

    response = log_in(client, "olga", PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_lockout_page_says_in_russian_when_to_try_again(client, settings, staff_user):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    guess_wrong(client, "olga", settings.AXES_FAILURE_LIMIT)

    response = log_in(client, "olga", PASSWORD)

    html = response.content.decode()
    assert LOCKED_OUT in html
    assert "Попробуйте снова через 15\N{NO-BREAK SPACE}минут." in html
    assert "Account locked" not in html
    assert 'id="login-form"' in html
    assert response["Retry-After"] == "900"


def test_other_user_from_the_same_address_logs_in(client, settings, staff_user):
    UserFactory(username="ivan", is_staff=True)
    guess_wrong(client, "olga", settings.AXES_FAILURE_LIMIT)

    response = log_in(client, "ivan", PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_same_user_from_another_address_logs_in(client, settings, staff_user):
    guess_wrong(client, "olga", settings.AXES_FAILURE_LIMIT, address="203.0.113.7")

    response = log_in(client, "olga", PASSWORD, address="198.51.100.20")

    assert response.status_code == 302
    assert is_logged_in(client)


def test_login_works_again_after_the_cool_off(client, settings, staff_user, time_machine):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    time_machine.move_to("2026-03-02 09:00:00+07:00", tick=False)
    guess_wrong(client, "olga", settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "olga", PASSWORD).status_code == 429

    time_machine.move_to("2026-03-02 09:14:00+07:00", tick=False)
    assert log_in(client, "olga", PASSWORD).status_code == 429
    time_machine.move_to("2026-03-02 09:30:00+07:00", tick=False)
    response = log_in(client, "olga", PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_successful_login_clears_the_count_of_wrong_passwords(client, settings, staff_user):
    guess_wrong(client, "olga", settings.AXES_FAILURE_LIMIT - 1)
    log_in(client, "olga", PASSWORD)
    client.logout()
    guess_wrong(client, "olga", settings.AXES_FAILURE_LIMIT - 1)

    response = log_in(client, "olga", PASSWORD)

    assert response.status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(client, settings, staff_user):
    """nginx connects from 127.0.0.1 and appends the reader's address to X-Forwarded-For;
    what the reader wrote there before it is ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "127.0.0.1"
    guess_wrong(
        client,
        "olga",
        settings.AXES_FAILURE_LIMIT,
        address=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )

    spoofed = log_in(
        client, "olga", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.20, 203.0.113.7"
    )
    elsewhere = log_in(client, "olga", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")

    assert spoofed.status_code == 429
    assert elsewhere.status_code == 302


def test_without_a_trusted_proxy_forwarded_for_is_ignored(client, settings, staff_user):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "olga", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")

    response = log_in(client, "olga", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1")

    assert response.status_code == 429


def test_test_clients_login_still_works(client, staff_user):
    assert client.login(username="olga", password=PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200
