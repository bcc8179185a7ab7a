"""Full-text search over published provisions, instruments and arguments (PostgreSQL).

Web-search syntax ("quoted phrase", OR, -word) via websearch_to_tsquery, ranked with ts_rank.
Snippets come from ts_headline. Editors' text is escaped before it reaches the page: the
headline marks matches with random sentinels, we escape the whole snippet, and only then turn
the sentinels into <mark> tags, so <mark> is the only markup that can pass.
"""

import dataclasses
import secrets
from dataclasses import dataclass

from django import forms
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from provisions.models import Argument, Instrument, ModelProfile, Provision

CONFIG = "english"
LIMIT = 50  # per kind of record


class SearchForm(forms.Form):
    q = forms.CharField(label="Search the atlas", max_length=200, required=False, strip=True)


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    context: str
    snippet: SafeString
    rank: float


@dataclass
class Results:
    provisions: list[Hit]
    instruments: list[Hit]
    arguments: list[Hit]
    models: list[Hit] = dataclasses.field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.provisions) + len(self.instruments) + len(self.arguments) + len(self.models)


def marked(headline: str, start: str, stop: str) -> SafeString:
    return mark_safe(escape(headline).replace(start, "<mark>").replace(stop, "</mark>"))


def search(text: str) -> Results:
    """Three queries, one per kind of record, each ranked and cut at LIMIT."""
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    token = secrets.token_hex(6)
    start, stop = f"HLSTART{token}", f"HLSTOP{token}"

    def headline(expression):
        return SearchHeadline(
            expression,
            query,
            config=CONFIG,
            start_sel=start,
            stop_sel=stop,
            max_words=40,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    def top(queryset, snippet_source):
        """Rank every match, then headline only the best LIMIT ones (ts_headline is costly).

        Matches come from the stored vector through its GIN index (provisions/models/search.py).
        """
        best = (
            queryset.filter(search=query)
            .annotate(rank=SearchRank(F("search"), query))
            .order_by("-rank", "pk")
            .values("pk")[:LIMIT]
        )
        return (
            queryset.filter(pk__in=best)
            .annotate(rank=SearchRank(F("search"), query), snippet=headline(snippet_source))
            .order_by("-rank", "pk")
        )

    provisions = top(
        Provision.objects.public().select_related("instrument__jurisdiction"),
        Concat(
            "summary",
            Value(" "),
            "openness_note",
            Value(" "),
            "official_text",
            output_field=TextField(),
        ),
    )
    instruments = top(
        Instrument.objects.published().select_related("jurisdiction"),
        Concat("title", Value(". "), "summary", output_field=TextField()),
    )
    arguments = top(
        Argument.objects.published().select_related("source"),
        Concat("summary", Value(" "), "quotation", output_field=TextField()),
    )
    # Model profiles are few (tens, not thousands of long texts): their vector is computed in
    # the query rather than stored.
    models = top(
        ModelProfile.objects.published().annotate(
            search=SearchVector("name", weight="A", config=CONFIG)
            + SearchVector("provider", "licence_name", weight="B", config=CONFIG)
            + SearchVector("analysis", "licence_clauses", weight="C", config=CONFIG)
        ),
        Concat("analysis", Value(" "), "licence_clauses", output_field=TextField()),
    )
    return Results(
        models=[
            Hit(
                kind="Model",
                title=m.name,
                url=m.get_absolute_url(),
                context=f"{m.provider}; {m.licence_name}",
                snippet=marked(m.snippet, start, stop),
                rank=m.rank,
            )
            for m in models
        ],
        provisions=[
            Hit(
                kind="Provision",
                title=p.citation,
                url=p.get_absolute_url(),
                context=p.instrument.jurisdiction.name,
                snippet=marked(p.snippet, start, stop),
                rank=p.rank,
            )
            for p in provisions
        ],
        instruments=[
            Hit(
                kind="Instrument",
                title=i.title,
                url=i.get_absolute_url(),
                context=f"{i.jurisdiction.name}, {i.get_kind_display().lower()}",
                snippet=marked(i.snippet, start, stop),
                rank=i.rank,
            )
            for i in instruments
        ],
        arguments=[
            Hit(
                kind="Argument",
                title=a.title,
                url=a.get_absolute_url(),
                context=f"{a.get_stance_display()}; {a.source.title}",
                snippet=marked(a.snippet, start, stop),
                rank=a.rank,
            )
            for a in arguments
        ],
    )
