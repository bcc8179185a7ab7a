"""The atlas data version: one number that changes whenever curated data changes.

Caches key rendered pages on it and ETags carry it, so a publish, a withdrawal or any other
edit makes the very next request render afresh: nothing is invalidated by hand, and nothing can
be forgotten. PostgreSQL keeps it exact. A statement-level trigger on every table of the
``provisions`` and ``comparisons`` apps (history tables aside: they only follow the others)
bumps the single row of ``atlas_data_version`` on INSERT, UPDATE, DELETE and TRUNCATE, in the
writer's transaction, so the new number becomes visible exactly when the new data does. That
covers the admin, ``queryset.update()``, loaddata and raw SQL alike, which signals would not.

Reading it costs one primary-key lookup per request. The table and the triggers are
(re)installed after every ``migrate`` (``post_migrate``), so tables added later are covered
without a migration of their own. Any change bumps the version, drafts included: that costs a
few cache misses after an editor saves a draft, never a stale page.
"""

import datetime

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, ProgrammingError, connections

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
