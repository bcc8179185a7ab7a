"""Compare two versions of a record: a word-level redline of its texts, before/after for the rest.

Words are compared with difflib (the standard library does it well enough for paragraphs of law
and summaries; no dependency). Each word keeps the whitespace after it, so the redline reprints
the text as typed. Everything stays plain text: the template escapes each piece and marks inserted
and deleted words with <ins>/<del> and a text label, never by colour alone.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.db import models

# A word and the whitespace after it; words are compared without it.
TOKENS = re.compile(r"\s*\S+\s*|\s+")


@dataclass(frozen=True)
class Piece:
    kind: str  # "equal", "insert" or "delete"
    text: str


def redline(before: str, after: str) -> list[Piece]:
    """The pieces of ``after`` and what ``before`` had instead, word by word, in reading order."""
    old, new = TOKENS.findall(before or ""), TOKENS.findall(after or "")
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(
        None, [t.strip() for t in old], [t.strip() for t in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("equal", "".join(new[j1:j2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece("delete", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("insert", "".join(new[j1:j2])))
    return _merged(pieces)


def _merged(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if merged and merged[-1].kind == piece.kind:
            merged[-1] = Piece(piece.kind, merged[-1].text + piece.text)
        elif piece.text:
            merged.append(piece)
    return merged


@dataclass
class Change:
    """One field that differs between two versions."""

    label: str
    before: str = ""
    after: str = ""
    pieces: list[Piece] = field(default_factory=list)  # a redline, for text fields

    @property
    def is_text(self) -> bool:
        return bool(self.pieces)


def is_prose(model_field) -> bool:
    """Fields compared word by word: free text, not codes, slugs, addresses or choices."""
    return (
        isinstance(model_field, (models.TextField, models.CharField))
        and not model_field.choices
        and not isinstance(model_field, (models.SlugField, models.URLField))
    )


def shown(model_field, value) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def changes(model, before, after, *, skip=()) -> list[Change]:
    """What differs between two historical versions of a ``model`` record (either may be None:
    the record did not exist then), in the form's field order."""
    found = []
    for model_field in model._meta.concrete_fields:
        name = model_field.name
        if name in skip or model_field.primary_key:
            continue
        attname = model_field.attname
        old = getattr(before, attname, None) if before is not None else None
        new = getattr(after, attname, None) if after is not None else None
        if old == new:
            continue
        label = str(model_field.verbose_name).capitalize()
        if model_field.is_relation:
            old = getattr(before, name, None) if old is not None else None
            new = getattr(after, name, None) if new is not None else None
        if is_prose(model_field):
            found.append(
                Change(label, shown(model_field, old), shown(model_field, new),
                       redline(old or "", new or ""))
            )  # fmt: skip
        else:
            found.append(Change(label, shown(model_field, old), shown(model_field, new)))
    return found
