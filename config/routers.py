"""Public reads from a read replica, when there is one.

Set DATABASE_REPLICA_URL (a hot standby of the primary, e.g. PostgreSQL streaming replication)
and the public pages (everything served through ``comparisons.web.pagecache``) read from it, data
version included, while the admin, the editors' desk, sessions and every write stay on the
primary: an editor always reads what they just saved. Without it, everything uses ``default``.

The router only sends reads to the replica inside ``public_reads()``, which the page cache
enters around a public view; it never guesses from the model, because the same models serve
editors, who must read their own writes.
"""

import contextlib
import contextvars

from django.conf import settings

REPLICA = "replica"

_public = contextvars.ContextVar("atlas_public_reads", default=False)


def public_database() -> str:
    """The alias public pages read from: the replica when configured and inside
    ``public_reads``, else ``default``."""
    return REPLICA if _public.get() and REPLICA in settings.DATABASES else "default"


@contextlib.contextmanager
def public_reads():
    token = _public.set(True)
    try:
        yield
    finally:
        _public.reset(token)


class PublicReadsRouter:
    """``settings.DATABASE_ROUTERS`` entry: reads inside ``public_reads`` go to the replica."""

    def db_for_read(self, model, **hints):
        return public_database()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary; never migrate it
