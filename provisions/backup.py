"""The whole atlas in one versioned JSON file, and back: drafts, history and who made each change.

What is written: every row of every model of the dataset apps (curated records, their
many-to-many tables, every historical table django-simple-history keeps), and the editors'
accounts that history points at (without password hashes: a backup must not leak them, and a
restored editor sets a new password). Values are written exactly (datetimes to the microsecond)
so that an export of a restored database equals the export it was restored from.

The file names the format version and the migrations the data was written under; restoring
needs a database at the same migrations, and an empty one: a restore never merges.

A file is hostile until checked: its shape first (any malformed part is refused with a one-line
message, never a traceback), then every row like the admin would check it (field types, choices,
lengths, URLs, the plain-text rule, the links between rows, and each record's own rules), and
the first problem is named by table, row and field. Nothing is written unless all of it passes:
the restore is one transaction.
"""

import datetime
import decimal
import uuid
from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from provisions.plaintext import text_fields, validate_plain_text

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


def _is_text(value) -> bool:
    """A string a database can store: no lone UTF-16 surrogate (JSON can escape one)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_int(value) -> bool:
    return type(value) is int  # not a bool, not a float that int() would truncate


def _is_table(value) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("fields"), list)
        and all(isinstance(f, str) for f in value["fields"])
        and isinstance(value.get("rows"), list)
        and all(isinstance(r, list) and len(r) == len(value["fields"]) for r in value["rows"])
    )


def _check_shape(document) -> None:
    """Every part the restore reads is there and of the right kind, or a one-line refusal."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RestoreRefused("This is not an Openness Atlas export file.")
    version = document.get("version")
    if type(version) is not int or version != VERSION:  # JSON's true is no 1
        raise RestoreRefused(
            f"This file is format version {document.get('version')}; this version of the atlas "
            f"reads version {VERSION}."
        )
    problems = []
    migrations = document.get("migrations")
    if not isinstance(migrations, dict) or not all(
        isinstance(names, list) and all(isinstance(n, str) for n in names)
        for names in migrations.values()
    ):
        problems.append("“migrations” is not a list of migration names per app")
    accounts = document.get("accounts")
    if not isinstance(accounts, dict):
        problems.append("“accounts” is missing")
    else:
        if not _is_table(accounts.get("users")):
            problems.append("“accounts.users” is not a table of rows as long as its fields")
        if not isinstance(accounts.get("groups"), list) or not all(
            _is_text(g) for g in accounts["groups"]
        ):
            problems.append("“accounts.groups” is not a list of names")
        if not isinstance(accounts.get("memberships"), list) or not all(
            isinstance(m, list) and len(m) == 2 and _is_int(m[0]) and _is_text(m[1])
            for m in accounts["memberships"]
        ):
            problems.append("“accounts.memberships” is not a list of [user id, group] pairs")
    tables = document.get("tables")
    if not isinstance(tables, list):
        problems.append("“tables” is not a list")
    else:
        named = set()
        for n, table in enumerate(tables, 1):
            if not _is_table(table) or not isinstance(table.get("model"), str):
                name = table.get("model") if isinstance(table, dict) else None
                problems.append(
                    f"table {n} ({name or 'no model named'}) is not a model name with rows "
                    "as long as its fields"
                )
                break
            if table["model"] in named:
                # The second copy would silently replace the first.
                problems.append(f"{table['model']} is listed twice")
                break
            named.add(table["model"])
    sequences = document.get("sequences")
    if not isinstance(sequences, dict) or not all(
        isinstance(s, list)
        and len(s) == 2
        and isinstance(s[0], int)
        and not isinstance(s[0], bool)
        and isinstance(s[1], bool)
        for s in sequences.values()
    ):
        problems.append("“sequences” is not a [last value, is called] pair per table")
    if problems:
        raise RestoreRefused(f"The file is damaged: {problems[0]}. Nothing was restored.")


def _check(document: dict) -> None:
    _check_shape(document)
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


def _where(model, number: int, obj=None) -> str:
    pk = getattr(obj, "pk", None)
    return f"{model._meta.label_lower} row {number}" + (f" (id {pk})" if pk is not None else "")


def _refuse(where: str, field: str | None, error) -> RestoreRefused:
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    why = " ".join(" ".join(m.split()) for m in messages)  # one line
    about = f", field “{field}”" if field else ""
    return RestoreRefused(f"{where}{about}: {why} Nothing was restored.")


def _is_integer_field(field) -> bool:
    target = getattr(field, "target_field", field)  # a link holds its target's id
    return isinstance(target, models.IntegerField)


def _checked_value(field, value):
    """The value as the field holds it, or ValueError: JSON gives ints, floats and bools alike
    to ``to_python``, which would take 7.5 as id 7 and true as 1; and a lone surrogate
    (\\ud800 escaped in JSON) is text no database encoding can store."""
    if _is_integer_field(field) and not _is_int(value):
        raise ValueError(f"{value!r} is not a whole number.")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("It holds half a character (a lone UTF-16 surrogate).") from None
    return field.to_python(value)


def _instances(model, table: dict) -> Iterable[models.Model]:
    fields = [model._meta.get_field(name) for name in _field_names(model, table["fields"])]
    for number, row in enumerate(table["rows"], 1):
        obj = model()
        for field, attname, value in zip(fields, table["fields"], row, strict=True):
            try:
                setattr(obj, attname, None if value is None else _checked_value(field, value))
            except (ValidationError, TypeError, ValueError) as error:
                raise _refuse(_where(model, number), field.name, error) from None
        yield obj


def _field_names(model, attnames: list[str]) -> list[str]:
    by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
    if unknown := [a for a in attnames if a not in by_attname]:
        raise RestoreRefused(f"{model._meta.label} has no column {unknown[0]!r} here.")
    wanted = set(USER_FIELDS) if model is User else set(by_attname)  # no password hashes
    if missing := sorted(wanted - set(attnames)):
        raise RestoreRefused(f"The file's {model._meta.label} table lacks column {missing[0]!r}.")
    return [by_attname[a] for a in attnames]


def _is_history(model) -> bool:
    return model.__name__.startswith("Historical") and hasattr(model, "history_object")


def _checked_references(model) -> list[models.ForeignKey]:
    """Foreign keys the database enforces (history's point at deleted records on purpose)."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.db_constraint
    ]


def _validate_fields(model, objs: list[models.Model], exclude: tuple[str, ...] = ()) -> None:
    """Each row as a form would check each field (links between rows: ``_validate_links``)."""
    links = [f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    text = [f.name for f in text_fields(model)]
    history = _is_history(model)
    seen = set()
    for number, obj in enumerate(objs, 1):
        if obj.pk in seen:
            raise _refuse(_where(model, number, obj), "id", "Another row has the same id.")
        seen.add(obj.pk)
        skip = [*links, *exclude]
        if history:
            # A version keeps what the record held then; only what it holds is checked.
            skip += [
                f.name for f in model._meta.concrete_fields if getattr(obj, f.attname) in ("", None)
            ]
        try:
            obj.clean_fields(exclude=skip)
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise _refuse(_where(model, number, obj), field, ValidationError(messages)) from None
        for name in text:
            try:
                validate_plain_text(getattr(obj, name))
            except ValidationError as error:
                raise _refuse(_where(model, number, obj), name, error) from None


def _validate_links(loaded: dict[type, list[models.Model]]) -> None:
    ids = {model: {obj.pk for obj in objs} for model, objs in loaded.items()}
    for model, objs in loaded.items():
        for field in _checked_references(model):
            target = field.related_model._meta.concrete_model
            known = ids.get(target, set())
            for number, obj in enumerate(objs, 1):
                value = getattr(obj, field.attname)
                if value is not None and value not in known:
                    raise _refuse(
                        _where(model, number, obj),
                        field.name,
                        f"It names {target._meta.label_lower} {value}, which is not in the file.",
                    )


def _validate_records(loaded: dict[type, list[models.Model]], *, before_writing=False) -> None:
    """Each curated record's own rules (``clean``). Before writing, the rules that look at other
    rows cannot run yet (they are skipped, and run again once every row is in place)."""
    for model, objs in loaded.items():
        if _is_history(model) or model._meta.auto_created or model in (User, Group):
            continue
        for number, obj in enumerate(objs, 1):
            try:
                obj.clean()
            except ObjectDoesNotExist:
                if not before_writing:
                    raise
            except ValidationError as error:
                field, messages = (
                    next(iter(error.message_dict.items()))
                    if hasattr(error, "error_dict")
                    else (None, error.messages)
                )
                field = None if field == "__all__" else field
                raise _refuse(
                    _where(model, number, obj), field, ValidationError(messages)
                ) from None


def _insert(model, objs: list[models.Model]) -> None:
    # raw=True, as loaddata does: auto_now keeps the stored time, and signal receivers (history)
    # know this is a restore and record nothing new.
    for number, obj in enumerate(objs, 1):
        try:
            obj.save_base(raw=True, force_insert=True)
        except IntegrityError as error:
            # A constraint across columns or rows: say which, in the model's own words.
            name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
            found = [c for c in model._meta.constraints if c.name == name]
            why = found[0].get_violation_error_message() if found else error
            raise _refuse(_where(model, number, obj), None, why) from None


def restore(document: dict) -> dict[str, int]:
    """Load an export into this (empty) database. All or nothing: one transaction."""
    _check(document)
    accounts = document["accounts"]
    users = list(_instances(User, accounts["users"]))
    _validate_fields(User, users, exclude=("password",))
    user_ids = {user.pk for user in users}
    for number, (user_id, group) in enumerate(accounts["memberships"], 1):
        if group not in accounts["groups"] or user_id not in user_ids:
            raise RestoreRefused(
                f"accounts.memberships row {number}: user {user_id!r} or group {group!r} is not "
                "in the file. Nothing was restored."
            )
    loaded = {User: users}
    for table in document["tables"]:
        model = apps.get_model(table["model"])
        loaded[model] = list(_instances(model, table))
        _validate_fields(model, loaded[model])
    _validate_links(loaded)
    _validate_records(loaded, before_writing=True)
    try:
        with transaction.atomic():
            counts = _write(document, loaded)
            _validate_records(loaded)
    except DatabaseError as error:
        # A rule only the database checks (a unique slug, a constraint across columns).
        reason = " ".join(str(error).split())
        raise RestoreRefused(
            f"The database refused the file: {reason} Nothing was restored."
        ) from None
    return counts


def _write(document: dict, loaded: dict[type, list[models.Model]]) -> dict[str, int]:
    counts = {}
    accounts = document["accounts"]
    users = loaded.pop(User)
    for user in users:
        user.set_unusable_password()
    _insert(User, users)
    counts["auth.user"] = len(users)
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in accounts["groups"]}
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=u, group=groups[g]) for u, g in accounts["memberships"]
    )
    for model, objs in loaded.items():
        _insert(model, objs)
        counts[model._meta.label_lower] = len(objs)
    loaded[User] = users
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
