"""The cache's circuit breaker against a private redis-server: a frozen Redis costs one timeout,
and when it answers again the page cache makes up for what it missed."""

import time

import pytest
import redis
from django.core.cache import cache

from newsroom.cache_breaker import CircuitOpen, breaker
from newsroom.pagecache import GENERATION_KEY, bump_generation
from tests.private_servers import PrivateRedis, wait_for

pytestmark = pytest.mark.faults


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def breaker_cache(settings, private_redis):
    """The default cache on the private Redis, through the breaker, probing every 0.2 s."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
                "REDIS_CLIENT_CLASS": "newsroom.cache_breaker.BreakerRedis",
            },
        }
    }
    settings.CACHE_RETRY_SECONDS = 0.2
    yield cache
    private_redis.thaw()
    wait_for(lambda: not breaker.is_open, 10, "the breaker stayed open")


def test_a_frozen_redis_costs_one_timeout_and_then_is_skipped(breaker_cache, private_redis):
    breaker_cache.set("greeting", "привет")
    private_redis.freeze()

    with pytest.raises(redis.TimeoutError):
        breaker_cache.get("greeting")
    with pytest.raises(CircuitOpen):
        breaker_cache.get("greeting")


def test_the_breaker_closes_by_itself_once_redis_answers(breaker_cache, private_redis):
    breaker_cache.set("greeting", "привет")
    private_redis.freeze()
    with pytest.raises(redis.TimeoutError):
        breaker_cache.get("greeting")

    private_redis.thaw()

    wait_for(lambda: not breaker.is_open, 5, "the breaker stayed open")
    assert breaker_cache.get("greeting") == "привет"


def test_a_blip_leaves_the_cached_pages_alone(breaker_cache, private_redis):
    bump_generation()
    generation = breaker_cache.get(GENERATION_KEY)
    private_redis.freeze()
    with pytest.raises(redis.TimeoutError):
        breaker_cache.get("greeting")

    private_redis.thaw()

    wait_for(lambda: not breaker.is_open, 5, "the breaker stayed open")
    assert breaker_cache.get(GENERATION_KEY) == generation


def test_a_bump_that_could_not_be_made_is_made_when_redis_answers(breaker_cache, private_redis):
    bump_generation()
    generation = breaker_cache.get(GENERATION_KEY)
    private_redis.freeze()
    with pytest.raises(redis.TimeoutError):
        breaker_cache.get("greeting")
    bump_generation()  # a publication while the breaker is open: Redis is not even asked

    private_redis.thaw()

    wait_for(lambda: not breaker.is_open, 5, "the breaker stayed open")
    assert breaker_cache.get(GENERATION_KEY) == generation + 1


def test_after_an_outage_every_cached_page_is_stale(breaker_cache, private_redis):
    bump_generation()
    generation = breaker_cache.get(GENERATION_KEY)
    private_redis.freeze()
    with pytest.raises(redis.TimeoutError):
        breaker_cache.get("greeting")
    time.sleep(1)  # the probes fail too

    private_redis.thaw()

    wait_for(lambda: not breaker.is_open, 5, "the breaker stayed open")
    assert breaker_cache.get(GENERATION_KEY) != generation
