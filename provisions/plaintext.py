"""Editors' text is plain text: what may go in, and how it leaves safely.

One rule on the way in (``validate_plain_text``, applied to every text field of every curated
record by ``PlainTextFields``, so admin forms, spreadsheet imports and restores all refuse the
same thing with the same message): no C0 control character except tab, newline and carriage
return. A form feed or an escape is invisible on a page, and XML 1.0 cannot carry it at all, so
one of them used to turn every Atom feed and the XLSX export into a 500.

Two guards on the way out, for text that got in before the rule (or around it):
``xml_safe`` drops what XML cannot carry (feeds, spreadsheets), and ``spreadsheet_safe`` keeps a
cell from running as a formula when a CSV or spreadsheet is opened (``spreadsheet_text`` undoes
it when the file comes back as an import).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# C0 controls except tab (09), newline (0A) and carriage return (0D).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What XML 1.0 cannot carry: those controls, and the two non-characters U+FFFE and U+FFFF.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

NAMES = {
    "\x00": "null",
    "\x07": "bell",
    "\x08": "backspace",
    "\x0b": "vertical tab",
    "\x0c": "form feed (a page break, often pasted from a PDF)",
    "\x1b": "escape",
}

# A spreadsheet reads a cell starting with one of these as a formula (or a command, for @).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def validate_plain_text(value) -> None:
    if not isinstance(value, str) or (found := CONTROL.search(value)) is None:
        return
    character = found.group()
    raise ValidationError(
        _(
            "Remove the invisible control character U+%(code)04X (%(name)s) at character "
            "%(position)d: feeds and spreadsheets cannot carry it. Tabs and line breaks are fine."
        ),
        code="control_character",
        params={
            "code": ord(character),
            "name": NAMES.get(character, "control character"),
            "position": found.start() + 1,
        },
    )


def text_fields(model) -> list[models.Field]:
    return [
        f for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
    ]


class PlainTextFields:
    """Mixin for a model: every text field refuses control characters (see above).

    In ``clean_fields``, which model forms, django-import-export (``clean_model_instances``) and
    the restore (``provisions.backup``) all call, so the rule has one home and no migration.
    """

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in text_fields(type(self)):
            if field.name in exclude or field.name in errors:
                continue
            try:
                validate_plain_text(getattr(self, field.attname))
            except ValidationError as error:
                errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)


def xml_safe(value):
    """``value`` without what XML 1.0 cannot carry; a form feed becomes a space."""
    if not isinstance(value, str):
        return value
    return NOT_XML.sub(lambda m: " " if m.group() in "\x0b\x0c" else "", value)


def spreadsheet_safe(value):
    """Text that a spreadsheet shows as text: a leading formula character gets a quote (')."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def spreadsheet_text(value):
    """The text ``spreadsheet_safe`` wrote, as it was: an import reads back what was exported."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value
