"""Malformed and invalid backup files, for restore (``manage.py import_atlas``) to refuse.

Each case is a change to a good export, made at test time: a file written now carries today's
migrations and tables, so the case tests what it means to (and not a stale migration list).
``expect`` is part of the one-line message the restore must give.
"""

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    damage: Callable[[dict], object]  # the good document in, the file's content out
    expect: str


def _table(document, model):
    return next(t for t in document["tables"] if t["model"] == model)


def _set(document, model, column, value, row=0):
    table = _table(document, model)
    table["rows"][row][table["fields"].index(column)] = value
    return document


def _text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


MALFORMED = [
    Case("truncated", lambda d: json.dumps(d)[:200], "Cannot read"),
    Case("not utf-8", lambda d: b"\xff\xfe" + json.dumps(d).encode("utf-16-le"), "Cannot read"),
    Case("a list", lambda d: json.dumps([d]), "not an Openness Atlas export"),
    Case("other format", lambda d: {**d, "format": "something-else"}, "not an Openness Atlas"),
    Case("other version", lambda d: {**d, "version": 99}, "format version 99"),
    Case(
        "no migrations", lambda d: {k: v for k, v in d.items() if k != "migrations"}, "migrations"
    ),
    Case("migrations not a dict", lambda d: {**d, "migrations": ["0001"]}, "migrations"),
    Case("no accounts", lambda d: {k: v for k, v in d.items() if k != "accounts"}, "accounts"),
    Case(
        "users not a table",
        lambda d: {**d, "accounts": {**d["accounts"], "users": []}},
        "accounts.users",
    ),
    Case(
        "memberships not pairs",
        lambda d: {**d, "accounts": {**d["accounts"], "memberships": [[1]]}},
        "accounts.memberships",
    ),
    Case("tables not a list", lambda d: {**d, "tables": {"a": 1}}, "“tables” is not a list"),
    Case(
        "a table without rows",
        lambda d: {
            **d,
            "tables": [{k: v for k, v in t.items() if k != "rows"} for t in d["tables"]],
        },
        "is not a model name with rows",
    ),
    Case(
        "a short row",
        lambda d: (_table(d, "provisions.provision")["rows"][0].pop(), d)[1],
        "rows as long as its fields",
    ),
    Case(
        "an unknown column",
        lambda d: (
            _table(d, "provisions.topic")["fields"].__setitem__(1, "colour"),
            d,
        )[1],
        "no column 'colour'",
    ),
    Case("a missing table", lambda d: {**d, "tables": d["tables"][1:]}, "tables differ"),
    Case("no sequences", lambda d: {k: v for k, v in d.items() if k != "sequences"}, "sequences"),
    Case(
        "sequences not numbers",
        lambda d: {**d, "sequences": {k: ["x", True] for k in d["sequences"]}},
        "sequences",
    ),
    Case(
        "a date that is not a date",
        lambda d: _set(d, "provisions.provision", "checked_on", "yesterday"),
        "field “checked_on”",
    ),
    Case(
        "an id that is not a number",
        lambda d: _set(d, "provisions.topic", "id", "seven"),
        "field “id”",
    ),
    Case(
        "a flag that is not a flag",
        lambda d: _set(d, "provisions.instrument", "binding", "perhaps"),
        "field “binding”",
    ),
    Case(
        "a duplicate id",
        lambda d: (
            _table(d, "provisions.topic")["rows"].append(
                list(_table(d, "provisions.topic")["rows"][0])
            ),
            d,
        )[1],
        "same id",
    ),
    Case(
        "a link to a record not in the file",
        lambda d: _set(d, "provisions.provision", "instrument_id", 987654),
        "field “instrument”",
    ),
    Case("nested 200,000 deep", lambda d: "[" * 200_000 + "]" * 200_000, "Cannot read"),
    Case("a version that is true", lambda d: {**d, "version": True}, "format version True"),
    Case(
        "a list as a user id",
        lambda d: {
            **d,
            "accounts": {**d["accounts"], "memberships": [[[1], d["accounts"]["groups"][0]]]},
        },
        "accounts.memberships",
    ),
    Case(
        "a table listed twice",
        lambda d: {**d, "tables": [*d["tables"], _table(d, "provisions.topic")]},
        "provisions.topic is listed twice",
    ),
    Case(
        "an id that is a fraction",
        lambda d: _set(d, "provisions.topic", "id", 7.5),
        "field “id”",
    ),
    Case(
        "a link that is a float",
        lambda d: _set(
            d,
            "provisions.provision",
            "instrument_id",
            float(
                _table(d, "provisions.provision")["rows"][0][
                    _table(d, "provisions.provision")["fields"].index("instrument_id")
                ]
            ),
        ),
        "field “instrument”",
    ),
    Case(
        "a lone surrogate",
        lambda d: _set(d, "provisions.provision", "summary", "half \ud800 a character"),
        "field “summary”",
    ),
    Case(
        "a lone surrogate in a group name",
        lambda d: {
            **d,
            "accounts": {**d["accounts"], "groups": ["Editors \ud800"], "memberships": []},
        },
        "accounts.groups",
    ),
    Case(
        "a membership of an unknown group",
        lambda d: {
            **d,
            "accounts": {
                **d["accounts"],
                "memberships": [[d["accounts"]["users"]["rows"][0][0], "Admins"]],
            },
        },
        "group 'Admins'",
    ),
]

INVALID = [
    Case(
        "a state that does not exist",
        lambda d: _set(d, "provisions.provision", "state", "hacked"),
        "field “state”",
    ),
    Case(
        "a javascript: URL",
        lambda d: _set(d, "provisions.provision", "source_url", "javascript:alert(1)"),
        "field “source_url”",
    ),
    Case(
        "a control character",
        lambda d: _set(d, "provisions.provision", "summary", "Page\x0cbreak"),
        "field “summary”",
    ),
    Case(
        "a title too long",
        lambda d: _set(d, "provisions.instrument", "short_title", "x" * 500),
        "field “short_title”",
    ),
    Case(
        "a published record without its source",
        lambda d: _set(d, "provisions.provision", "source_url", ""),
        "field “source_url”",
    ),
    Case(
        "a provision that ceases before it applies",
        lambda d: _set(
            _set(d, "provisions.provision", "applies_from", "2030-01-01"),
            "provisions.provision",
            "ceases_on",
            "2020-01-01",
        ),
        "field “ceases_on”",
    ),
    Case(
        "a history row with a state that does not exist",
        lambda d: _set(d, "provisions.historicalprovision", "state", "hacked"),
        "field “state”",
    ),
]


def damaged(case: Case, good: dict) -> bytes:
    content = case.damage(copy.deepcopy(good))
    if isinstance(content, bytes):
        return content
    return _text(content).encode()
