"""A circuit breaker in front of Redis: a cache that stops answering is skipped at once.

Without it, a frozen Redis (a stopped process, a saturated host) made every request wait for the
socket timeout. Now the first call that times out or cannot connect opens the breaker in this
process: from then on every cache call fails at once with `CircuitOpen`, which the cache's
users already treat as a miss (`newsroom.pagecache`, `network.hosts`), so pages render without
the cache. Requests never probe a Redis that is out: a thread of this process does, every
`CACHE_RETRY_SECONDS`, and closes the breaker when Redis answers again.

Before it closes, the breaker runs the recovery actions that the cache's users registered
(`on_recovery`): a write lost while Redis was out (a page cache generation bump after a
publication, the sites' version after a site was saved) would otherwise let stale pages be
served once Redis is back with its old data. Each user redoes the writes that failed in this
process; after a real outage (a probe failed too, not a blip of one slow answer) every process
that saw it also makes everything stale, which covers a process that lost a write and ended
before Redis came back. A blip does not: under heavy load one slow answer must not empty the
cache of every app server at once.

Only connection errors and timeouts count as failures: an error answer (a wrong type, an
out-of-memory refusal) means Redis is there. pybreaker (a well-kept library) was considered;
its half-open probe is a caller's call, so a reader's request would pay the timeout of each
probe and run the recovery, which is why this one probes from a thread of its own.
"""

import logging
import os
import threading
import time
from collections.abc import Callable

import redis
from django.conf import settings
from redis.client import Pipeline

logger = logging.getLogger(__name__)

FAILURES = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, TimeoutError)


class CircuitOpen(redis.exceptions.ConnectionError):
    """Redis is skipped: it did not answer a moment ago and has not answered a probe since."""


class Breaker:
    """One per process (the module's `breaker`): open after a failure, closed by a probe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = False
        self._prober: threading.Thread | None = None
        self._probing = threading.local()
        self._recovery: list[Callable[[bool], None]] = []

    @property
    def is_open(self) -> bool:
        return self._open

    def on_recovery(self, action: Callable[[bool], None]) -> None:
        """Run `action(after_outage)` (with the cache) when Redis answers again, before the
        breaker closes; `after_outage` says a probe failed too. An action that raises keeps the
        breaker open until the next probe."""
        if action not in self._recovery:
            self._recovery.append(action)

    def before_call(self) -> None:
        if self._open and not getattr(self._probing, "active", False):
            raise CircuitOpen("Redis did not answer a moment ago; skipping it")

    def trip(self, error: BaseException, client: "redis.Redis | None" = None) -> None:
        """Open the breaker (if it is not open yet) and start probing."""
        with self._lock:
            if self._open:
                return
            self._open = True
            logger.warning(
                "Cache: Redis failed (%s); skipping it, probing every %s s",
                error,
                settings.CACHE_RETRY_SECONDS,
            )
            self._prober = threading.Thread(
                target=self._probe_until_closed, args=(client,), name="cache-breaker", daemon=True
            )
            self._prober.start()

    def _probe_until_closed(self, client: "redis.Redis | None") -> None:
        self._probing.active = True
        after_outage = False
        while True:
            time.sleep(settings.CACHE_RETRY_SECONDS)
            try:
                if client is not None:
                    client.ping()
                for action in self._recovery:
                    action(after_outage)
            except Exception as error:
                logger.info("Cache: Redis still fails (%s)", error)
                after_outage = True
                continue
            with self._lock:
                self._open = False
                self._prober = None
            logger.warning("Cache: Redis answers again; using it")
            return

    def reset(self) -> None:
        """A forked child starts closed: the parent's probing thread does not exist there."""
        self._lock = threading.Lock()
        self._open = False
        self._prober = None
        self._probing = threading.local()


breaker = Breaker()
os.register_at_fork(after_in_child=breaker.reset)


def on_recovery(action: Callable[[bool], None]) -> None:
    breaker.on_recovery(action)


class BreakerPipeline(Pipeline):
    def execute(self, raise_on_error: bool = True):
        breaker.before_call()
        try:
            return super().execute(raise_on_error)
        except FAILURES as error:
            if not isinstance(error, CircuitOpen):
                # The probe needs a client that runs commands; a pipeline only queues them.
                breaker.trip(error, redis.Redis(connection_pool=self.connection_pool))
            raise


class BreakerRedis(redis.Redis):
    """django-redis's REDIS_CLIENT_CLASS: every command and pipeline passes the breaker."""

    def execute_command(self, *args, **options):
        breaker.before_call()
        try:
            return super().execute_command(*args, **options)
        except FAILURES as error:
            if not isinstance(error, CircuitOpen):
                breaker.trip(error, self)
            raise

    def pipeline(self, transaction=True, shard_hint=None) -> Pipeline:
        return BreakerPipeline(
            self.connection_pool, self.response_callbacks, transaction, shard_hint
        )
