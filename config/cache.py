"""A Redis cache that degrades to "always a miss" while Redis is down, instead of failing pages.

Django's ``RedisCache`` raises on every connection error, so an outage of the cache would turn
every page that uses it into a 500. The cache only ever holds copies of what the database has,
so while Redis is unreachable this backend answers like an empty cache that forgets writes and
pages render from the database. After an error it leaves Redis alone for ``RETRY_AFTER``
seconds, so a blackholed Redis costs one socket timeout per process per interval, not one per
cache call. Use it through ``django.core.cache.cache`` as usual (settings.CACHES selects it when
REDIS_URL is set).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# Seconds to skip Redis after an error before trying it again.
RETRY_AFTER = 5.0


class TolerantRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._down_until = 0.0

    def _call(self, method: str, fallback, *args):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), method)(*args)
        except self._lib.exceptions.RedisError as error:
            # Log once per outage interval, not once per call: a busy site would flood the log.
            logger.warning(
                "Cache unavailable (%s); serving from the database for %ss.", error, RETRY_AFTER
            )
            self._down_until = time.monotonic() + RETRY_AFTER
            return fallback

    # What an empty cache that forgets writes would answer.
    def add(self, key, value, timeout):
        return self._call("add", False, key, value, timeout)

    def get(self, key, default):
        return self._call("get", default, key, default)

    def set(self, key, value, timeout):
        return self._call("set", None, key, value, timeout)

    def touch(self, key, timeout):
        return self._call("touch", False, key, timeout)

    def delete(self, key):
        return self._call("delete", False, key)

    def get_many(self, keys):
        return self._call("get_many", {}, keys)

    def has_key(self, key):
        return self._call("has_key", False, key)

    def incr(self, key, delta):
        missing = object()
        result = self._call("incr", missing, key, delta)
        if result is missing:
            raise ValueError(f"Key '{key}' not found.")  # as an empty cache would answer
        return result

    def set_many(self, data, timeout):
        return self._call("set_many", None, data, timeout)

    def delete_many(self, keys):
        return self._call("delete_many", None, keys)

    def clear(self):
        return self._call("clear", False)


class TolerantRedisCache(RedisCache):
    """``RedisCache`` whose outages are cache misses (see the module docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient
