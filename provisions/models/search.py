"""Search data: stored full-text search vectors and editors' synonym groups.

Stored full-text search vectors: computed by PostgreSQL on write, read by search and filters.

Provisions, instruments, arguments, model profiles and sources each have a ``search`` tsvector
column that a BEFORE INSERT/UPDATE trigger fills from the row's own text (migrations 0004 and
0020 hold the triggers; change both together), with a GIN index on it, so ``search @@ query``
reads only the hits and nothing is parsed per row at query time. Weights (A ranks highest):

- provision: A label, heading; B summary, openness note; C official text
- instrument: A title, short title, identifier; B summary, status note
- argument: A title; B summary; C quotation
- model profile: A name; B provider, licence name; C analysis, licence clauses (migration 0020)
- source: A title, authors, arXiv id; B organisation, DOI (migration 0020)

A trigger rather than a ``GeneratedField``: Django's system checks connect to the database to
validate generated columns, and ``check --deploy`` must run without one. A row's trigger sees
only its own columns, so instrument titles live in the instrument's vector. History tables leave
the vector out (``excluded_fields``): it is derived, and old rows are never searched.
"""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from provisions.plaintext import PlainTextFields

CONFIG = "english"


def search_vector_field() -> SearchVectorField:
    return SearchVectorField(_("search vector"), null=True, editable=False)


class SearchSynonym(PlainTextFields, models.Model):
    """Words a reader may type for the same thing, kept by editors rather than in code.

    One row is one group of equivalent terms, one term a line ("open weights", "open-weight",
    "widely available model weights"). Search looks for any term of a group when the query
    holds one of them (comparisons/search/words.py). British and American spellings and
    hyphenation are rules in code; this is for words that differ.
    """

    terms = models.TextField(
        _("equivalent terms"),
        help_text=_("One term a line; a query holding any of them also finds the others."),
    )
    note = models.CharField(_("why they are equivalent"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("search synonym group")

    def __str__(self) -> str:
        return " ~ ".join(self.term_list())

    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]

    def clean(self) -> None:
        if len(self.term_list()) < 2:
            raise ValidationError({"terms": _("A group needs at least two terms, one a line.")})
