"""Django's PostgreSQL backend, with a deadline on every answer from the database.

``connect_timeout`` only bounds opening a connection. On a network partition an open connection
waits for an answer that never comes: every request hung until gunicorn killed its worker (and
the in-flight requests with it), ~30 s. Here:

- every wait for the server has a deadline (``OPTIONS["answer_timeout"]``, seconds): past it
  the connection is closed and the query fails like any outage (``OperationalError`` → 503);
- the health check Django runs on a kept-alive connection before each request's first query
  (``CONN_HEALTH_CHECKS``) has its own short deadline (``OPTIONS["health_timeout"]``), and when it
  goes unanswered the request fails at once instead of also waiting to reconnect;
- ``answering_within(seconds)`` sets a shorter deadline for a block (``/healthz`` uses it).

The server-side ``statement_timeout`` and the TCP keepalive / ``tcp_user_timeout`` options are
ordinary libpq settings (config/settings.py); this deadline is the client's own, so it also holds
when the network drops packets or a middlebox keeps the socket open without forwarding.
"""

import contextlib
import time

import psycopg
from django.db.backends.postgresql import base as postgresql

# What psycopg's own ``Connection.wait(gen, timeout=…)`` raises at its deadline (its docstring
# names it). Private by name, but there is no public way to bound a wait on an open connection:
# ``connect_timeout`` covers only connecting, and libpq's keepalives and ``tcp_user_timeout``
# do not fire while a middlebox keeps the socket open without forwarding. The partition tests
# (tests/web/test_partition.py) fail on an upgrade that renames or stops raising it.
_WaitTimeout = psycopg.errors._WaitTimeout


class DeadlineConnection(psycopg.Connection):
    """A psycopg connection whose every wait for the server ends at a deadline."""

    deadline_seconds = None  # callable returning the current deadline in seconds, or None

    def wait(self, gen, *args, timeout=None, **kwargs):
        seconds = timeout if timeout is not None else (self.deadline_seconds or (lambda: None))()
        try:
            return super().wait(gen, *args, timeout=seconds or None, **kwargs)
        except _WaitTimeout:
            # The protocol stopped half way: this connection cannot be used again.
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"The database did not answer within {seconds:g} s; the connection was closed."
            ) from None


class _Driver:
    """psycopg, as Django's backend sees it, except that it connects with DeadlineConnection."""

    connect = staticmethod(DeadlineConnection.connect)

    def __getattr__(self, name):
        return getattr(psycopg, name)


class DatabaseWrapper(postgresql.DatabaseWrapper):
    Database = _Driver()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = self.settings_dict["OPTIONS"]
        self.answer_timeout = options.get("answer_timeout")
        self.health_timeout = options.get("health_timeout")

    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("answer_timeout", None)
        params.pop("health_timeout", None)
        return params

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.deadline_seconds = lambda: self.answer_timeout
        return connection

    @contextlib.contextmanager
    def answering_within(self, seconds: float | None):
        """Within the block, each wait for the database ends after ``seconds``."""
        if seconds is None:
            yield
            return
        saved = self.answer_timeout
        self.answer_timeout = min(seconds, saved) if saved else seconds
        try:
            yield
        finally:
            self.answer_timeout = saved

    def close_if_health_check_failed(self):
        if self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        started = time.monotonic()
        with self.answering_within(self.health_timeout):
            usable = self.is_usable()
        if not usable:
            silent = self.health_timeout and time.monotonic() - started >= self.health_timeout
            self.close()
            if silent:
                # The server did not answer at all: a partition, not a dropped connection.
                # Reconnecting would wait connect_timeout more; fail now, the next request
                # tries again.
                with self.wrap_database_errors:
                    raise psycopg.OperationalError(
                        f"The database did not answer the health check within "
                        f"{self.health_timeout:g} s."
                    )
        self.health_check_done = True
