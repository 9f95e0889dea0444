import pytest
from django.core.cache import cache

from network import hosts
from staff.roles import AUTHORS, EDITORS, MODERATORS
from tests.factories import RegionFactory, UserFactory, staff_member

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


@pytest.fixture(autouse=True)
def site_map(request, django_db_blocker):
    """Each test that uses the database starts with the sites as it holds them, read before
    it counts queries, and leaves no site of its own in the process's copy. A test without
    the database needs no sites (and must not reach for a database that was never made)."""
    hosts.forget()
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(request.fixturenames)
    )
    if uses_database:
        request.getfixturevalue("django_db_setup")
        with django_db_blocker.unblock():
            hosts.current()
    yield
    hosts.forget()


@pytest.fixture
def superuser(db):
    return UserFactory(username="chief", is_staff=True, is_superuser=True)


@pytest.fixture
def client_as(client):
    """Log the test client in as the given user and return it."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def superuser_client(superuser, client_as):
    return client_as(superuser)


# The newsroom's roles (staff.roles): staff users with a byline profile, named after their role.


@pytest.fixture
def desk_region(db):
    """The district of `editor`'s desk: its articles are the ones the editor may publish."""
    return RegionFactory(name="Тогучинский район")


@pytest.fixture
def author(db):
    return staff_member(AUTHORS, username="author")


@pytest.fixture
def editor(desk_region):
    """An editor whose desk is `desk_region` (and every region within it)."""
    return staff_member(EDITORS, username="editor", desk_regions=[desk_region])


@pytest.fixture
def editor_without_desk(db):
    """An editor with no desk regions, who is therefore limited to none."""
    return staff_member(EDITORS, username="editor_without_desk")


@pytest.fixture
def moderator(db):
    return staff_member(MODERATORS, username="moderator")


@pytest.fixture
def page_cache(settings):
    """The page cache on, in Redis database 5, under a prefix of this test database's name:
    test runs on other databases may share the Redis at the same time."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/5",
            "KEY_PREFIX": settings.DATABASES["default"]["NAME"],
            # The live server answers the stampede's 200 requests in one process, a thread
            # each; redis-py's pool refuses more than 100 connections at a time by default.
            "OPTIONS": {"CONNECTION_POOL_KWARGS": {"max_connections": 250}},
        }
    }
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_MAX_AGE = 60
    cache.delete_pattern("*")
    yield
    cache.delete_pattern("*")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a commit would run, once the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
