"""The whole atlas in one versioned JSON file, and back: drafts, history and who made each change.

What is written: every row of every model of the dataset apps (curated records, their
many-to-many tables, every historical table django-simple-history keeps), and the editors'
accounts that history points at (without password hashes: a backup must not leak them, and a
restored editor sets a new password). Values are written exactly (datetimes to the microsecond)
so that an export of a restored database equals the export it was restored from.

The file names the format version and the migrations the data was written under; restoring
needs a database at the same migrations, and an empty one: a restore never merges.
"""

import datetime
import decimal
import uuid
from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "openness-atlas-export"
VERSION = 1
DATASET_APPS = ("provisions", "comparisons")
# Account fields worth keeping; the password hash and permissions are deliberately left out.
USER_FIELDS = (
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "date_joined",
    "last_login",
)


class RestoreRefused(Exception):
    """The file or the database is not fit for a restore; the message says why and what to do."""


def dataset_models() -> list[type[models.Model]]:
    """Every model whose rows are the atlas, incl. auto-created m2m and historical tables."""
    found = []
    for label in DATASET_APPS:
        found.extend(
            m
            for m in apps.get_app_config(label).get_models(include_auto_created=True)
            if not m._meta.proxy and m._meta.managed
        )
    return sorted(found, key=lambda m: m._meta.label)


def _encode(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()  # full precision, unlike DjangoJSONEncoder
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    return value


def _table(model, fields: list[str], queryset) -> dict:
    rows = [[_encode(v) for v in row] for row in queryset.values_list(*fields)]
    return {"model": model._meta.label_lower, "fields": fields, "rows": rows}


def applied_migrations() -> dict[str, list[str]]:
    recorded = MigrationRecorder(connection).applied_migrations()
    return {app: sorted(name for a, name in recorded if a == app) for app in DATASET_APPS}


def _sequence(model) -> str | None:
    pk = model._meta.pk
    if not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk.column])
        return cursor.fetchone()[0]


def sequences(models_: Iterable[type[models.Model]]) -> dict[str, list]:
    """Where each id counter stands, so a restored atlas never reuses the id of a deleted record
    (its history would become the history of an unrelated new one)."""
    found = {}
    with connection.cursor() as cursor:
        for model in models_:
            if name := _sequence(model):
                cursor.execute(f"SELECT last_value, is_called FROM {name}")
                found[model._meta.label_lower] = list(cursor.fetchone())
    return found


def export() -> dict:
    tables = []
    for model in dataset_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        tables.append(_table(model, fields, model._base_manager.order_by("pk")))
    users = User.objects.order_by("pk")
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "migrations": applied_migrations(),
        "accounts": {
            "users": _table(User, list(USER_FIELDS), users),
            "groups": sorted(Group.objects.values_list("name", flat=True)),
            "memberships": sorted(
                [u, g] for u, g in User.groups.through.objects.values_list("user_id", "group__name")
            ),
        },
        "tables": tables,
        "sequences": sequences([User, *dataset_models()]),
    }


def _check(document: dict) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RestoreRefused("This is not an Openness Atlas export file.")
    if document.get("version") != VERSION:
        raise RestoreRefused(
            f"This file is format version {document.get('version')}; this version of the atlas "
            f"reads version {VERSION}."
        )
    here = applied_migrations()
    if document["migrations"] != here:
        wanted = {
            app: names[-1] if names else None for app, names in document["migrations"].items()
        }
        raise RestoreRefused(
            "The file was written under other migrations than this database has. Migrate an "
            f"empty database to the file's migrations ({wanted}) with `manage.py migrate <app> "
            "<migration>`, restore, then migrate forward."
        )
    known = {m._meta.label_lower for m in dataset_models()}
    written = {t["model"] for t in document["tables"]}
    if known != written:
        raise RestoreRefused(
            f"The file's tables differ from this atlas's: {sorted(known ^ written)}"
        )
    occupied = [m._meta.label for m in dataset_models() if m._base_manager.exists()]
    if User.objects.exists():
        occupied.append("auth.User")
    if occupied:
        raise RestoreRefused(
            "A restore goes into an empty database, and this one has data in "
            + ", ".join(occupied)
            + ". Create a new database, migrate it, and restore into that."
        )


def _instances(model, table: dict) -> Iterable[models.Model]:
    fields = [model._meta.get_field(name) for name in _field_names(model, table["fields"])]
    for row in table["rows"]:
        obj = model()
        for field, attname, value in zip(fields, table["fields"], row, strict=True):
            setattr(obj, attname, None if value is None else field.to_python(value))
        yield obj


def _field_names(model, attnames: list[str]) -> list[str]:
    by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
    try:
        return [by_attname[a] for a in attnames]
    except KeyError as missing:
        raise RestoreRefused(f"{model._meta.label} has no column {missing} here.") from None


def _insert(model, objs: list[models.Model]) -> None:
    # raw=True, as loaddata does: auto_now keeps the stored time, and signal receivers (history)
    # know this is a restore and record nothing new.
    for obj in objs:
        obj.save_base(raw=True, force_insert=True)


@transaction.atomic
def restore(document: dict) -> dict[str, int]:
    """Load an export into this (empty) database. All or nothing: one transaction."""
    _check(document)
    counts = {}
    accounts = document["accounts"]
    users = list(_instances(User, accounts["users"]))
    for user in users:
        user.set_unusable_password()
    _insert(User, users)
    counts["auth.user"] = len(users)
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in accounts["groups"]}
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u, group=groups[g]) for u, g in accounts["memberships"]
    )
    for table in document["tables"]:
        model = apps.get_model(table["model"])
        objs = list(_instances(model, table))
        _insert(model, objs)
        counts[model._meta.label_lower] = len(objs)
    # Explicit ids were inserted: move each id counter past them, as loaddata does, then to
    # where it stood when the file was written (past deleted records' ids too).
    restored = [User, Group, *dataset_models()]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), restored):
            cursor.execute(sql)
        for model in restored:
            saved = document["sequences"].get(model._meta.label_lower)
            if saved and (name := _sequence(model)):
                cursor.execute(f"SELECT last_value FROM {name}")
                if saved[0] >= cursor.fetchone()[0]:
                    cursor.execute("SELECT setval(%s, %s, %s)", [name, *saved])
    return counts
