"""The atlas data version: one number that changes whenever curated data changes.

Caches key rendered pages on it and ETags carry it, so a publish, a withdrawal or any other
edit makes the very next request render afresh: nothing is invalidated by hand, and nothing can
be forgotten. PostgreSQL keeps it exact. A statement-level trigger on every table of the
``provisions`` and ``comparisons`` apps (history tables aside: they only follow the others)
bumps the single row of ``atlas_data_version`` on INSERT, UPDATE, DELETE and TRUNCATE, in the
writer's transaction, so the new number becomes visible exactly when the new data does. That
covers the admin, ``queryset.update()``, loaddata and raw SQL alike, which signals would not.

Reading it costs one primary-key lookup, so a process holds it in memory (``remembered``) and
asks again at most once per ``MAX_AGE`` second: the product decision is that a
publish may take up to one second to reach every server process, and that frees a cache hit
from the database. The process that writes sees its own change at once: every INSERT, UPDATE,
DELETE or TRUNCATE it sends through Django (ORM, ``update()``, raw SQL on Django's cursor)
forgets the remembered number now and again when its transaction commits (``watch_writes``),
so the next read asks PostgreSQL. Another process never sees the new number before the commit,
because it reads it from PostgreSQL like the data.

The table and the triggers are
(re)installed after every ``migrate`` (``post_migrate``), so tables added later are covered
without a migration of their own. Any change bumps the version, drafts included: that costs a
few cache misses after an editor saves a draft, never a stale page.
"""

import datetime
import threading
import time

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, ProgrammingError, connections, transaction

# Seconds a process may serve pages keyed on a version it read earlier.
MAX_AGE = 1.0

TABLE = "atlas_data_version"
APPS = ("provisions", "comparisons")

INSTALL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL,
    changed_at timestamptz NOT NULL
);
INSERT INTO {TABLE} VALUES (1, 1, now()) ON CONFLICT (id) DO NOTHING;
CREATE OR REPLACE FUNCTION atlas_bump_data_version() RETURNS trigger AS $$
BEGIN
    UPDATE {TABLE} SET version = version + 1, changed_at = now() WHERE id = 1;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""

TRIGGER = """
CREATE OR REPLACE TRIGGER atlas_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON {table} FOR EACH STATEMENT EXECUTE FUNCTION atlas_bump_data_version();
"""


def watched_tables() -> list[str]:
    tables = set()
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and "historical" not in model._meta.db_table:
                tables.add(model._meta.db_table)
    return sorted(tables)


def install(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Create the version row and its triggers (idempotent; a ``post_migrate`` receiver)."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(INSTALL)
        for table in watched_tables():
            if table in existing:
                cursor.execute(TRIGGER.format(table=connection.ops.quote_name(table)))


def current(using: str = DEFAULT_DB_ALIAS) -> tuple[int, datetime.datetime] | None:
    """(version, changed_at), or None when the table is missing (a database never migrated)."""
    connection = connections[using]
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version, changed_at FROM {TABLE} WHERE id = 1")
            row = cursor.fetchone()
    except ProgrammingError:
        # Only a missing table means "no version": an unreachable database is an outage, and
        # the request answers 503 now rather than trying the database again in the view.
        if connection.in_atomic_block:
            raise
        return None
    return (row[0], row[1]) if row else None


# alias -> (read at, by time.monotonic(); (version, changed_at)). One per process: a dict
# assignment is atomic, so threads need no lock beyond the one that keeps refreshes single.
_remembered: dict[str, tuple[float, tuple[int, datetime.datetime] | None]] = {}
_refreshing = threading.Lock()


def forget(*args, **kwargs) -> None:
    """Drop the remembered versions: the next ``remembered`` reads PostgreSQL."""
    _remembered.clear()


def remembered(using: str = DEFAULT_DB_ALIAS) -> tuple[int, datetime.datetime] | None:
    """``current(using)``, read from PostgreSQL at most once per ``MAX_AGE`` per process."""
    found = _remembered.get(using)
    if found is not None and time.monotonic() - found[0] < MAX_AGE:
        return found[1]
    with _refreshing:
        found = _remembered.get(using)
        if found is not None and time.monotonic() - found[0] < MAX_AGE:
            return found[1]  # another thread refreshed it while this one waited
        asked_at = time.monotonic()  # before the query: never trust it longer than MAX_AGE
        value = current(using)
        if value is not None:  # a missing table is not remembered: it may be migrated soon
            _remembered[using] = (asked_at, value)
        return value


WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "COPY", "MERGE")


def _forget_after_writes(execute, sql, params, many, context):
    """A ``connection.execute_wrapper``: a write forgets the version now (this connection then
    reads its own uncommitted number) and once more when the transaction commits (so a read by
    another thread in between cannot keep the old number for a second after the commit)."""
    try:
        return execute(sql, params, many, context)
    finally:
        statement = sql.lstrip()[:8].upper() if isinstance(sql, str) else ""
        if statement.startswith(WRITES):
            forget()
            connection = context["connection"]
            if connection.in_atomic_block:
                transaction.on_commit(forget, using=connection.alias)


def watch_writes(sender, connection, **kwargs) -> None:
    """A ``connection_created`` receiver: every new connection of this process forgets the
    remembered version when it writes."""
    if _forget_after_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_forget_after_writes)
