"""Stored full-text search vectors: computed by PostgreSQL on write, read by search and filters.

Provisions, instruments and arguments each have a ``search`` tsvector column that a
BEFORE INSERT/UPDATE trigger fills from the row's own text (migration 0004 holds the triggers;
change both together), with a GIN index on it, so ``search @@ query`` reads only the hits and
nothing is parsed per row at query time. Weights (A ranks highest):

- provision: A label, heading; B summary, openness note; C official text
- instrument: A title, short title, identifier; B summary, status note
- argument: A title; B summary; C quotation

A trigger rather than a ``GeneratedField``: Django's system checks connect to the database to
validate generated columns, and ``check --deploy`` must run without one. A row's trigger sees
only its own columns, so instrument titles live in the instrument's vector. History tables leave
the vector out (``excluded_fields``): it is derived, and old rows are never searched.
"""

from django.contrib.postgres.search import SearchVectorField
from django.utils.translation import gettext_lazy as _

CONFIG = "english"


def search_vector_field() -> SearchVectorField:
    return SearchVectorField(_("search vector"), null=True, editable=False)
