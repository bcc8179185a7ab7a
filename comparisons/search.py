"""Full-text search over published provisions, instruments and arguments (PostgreSQL).

Web-search syntax ("quoted phrase", OR, -word) via websearch_to_tsquery, ranked with ts_rank.
Snippets come from ts_headline. Editors' text is escaped before it reaches the page: the
headline marks matches with random sentinels, we escape the whole snippet, and only then turn
the sentinels into <mark> tags, so <mark> is the only markup that can pass.

Provisions are also found by the words of their texts (ProvisionText.search). PostgreSQL's
parsers do not segment Chinese, so a text's vector also holds every pair of adjacent Chinese
characters (migration 0006), and a Chinese query becomes the phrase of its pairs:
生成式人工智能 → '生成' <-> '成式' <-> '式人' <-> '人工' <-> '工智' <-> '智能'. A provision of
an instrument whose title holds the Chinese words ranks first.
"""

import dataclasses
import re
import secrets
from dataclasses import dataclass

from django import forms
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVector,
)
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from provisions.models import Argument, Instrument, ModelProfile, Provision, ProvisionText

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
    lang: str = ""  # the snippet's language, when it is not the page's (a Chinese text)


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


CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[A-Za-z0-9]+")


def cjk_tsquery(text: str) -> str:
    """The tsquery (as text) of a query holding Chinese: each run of Chinese characters as the
    phrase of its character pairs, other words as plain lexemes, all required. Only Chinese
    characters, letters and digits reach it, so nothing needs quoting."""
    terms = []
    for run in CJK.findall(text):
        if len(run) == 1:
            terms.append(f"'{run}':*")  # a pair that starts with it
        else:
            terms.append(" <-> ".join(f"'{run[i : i + 2]}'" for i in range(len(run) - 1)))
    terms += [f"'{word.lower()}'" for word in LATIN_WORD.findall(CJK.sub(" ", text))]
    return " & ".join(f"({term})" for term in terms)


class TsQuery(Func):
    """A tsquery written out, not parsed by a text-search configuration (which would drop
    Chinese characters in some locales)."""

    template = "%(expressions)s::tsquery"
    output_field = SearchQueryField()


class Matches(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


def cjk_snippet(body: str, text: str) -> SafeString:
    """About 40 characters either side of the first Chinese run of the query, marked."""
    runs = sorted(CJK.findall(text), key=len, reverse=True)
    at = body.find(runs[0]) if runs else -1
    if at < 0:
        return mark_safe(escape(body[:120]))
    start, stop = max(at - 40, 0), at + len(runs[0])
    return mark_safe(
        ("…" if start else "")
        + escape(body[start:at])
        + "<mark>"
        + escape(body[at:stop])
        + "</mark>"
        + escape(body[stop : stop + 40])
        + ("…" if stop + 40 < len(body) else "")
    )


def provisions_by_text(text: str, query: SearchQuery, headline):
    """Provisions whose own record or whose published texts match, best first.

    One query: the best-matching text of each provision comes from a subquery (its rank and
    body, for the snippet); ts_headline runs only on the LIMIT best rows.
    """
    chinese = bool(CJK.search(text))
    text_query = TsQuery(Value(cjk_tsquery(text))) if chinese else query
    best_text = (
        ProvisionText.objects.published()
        .filter(provision=OuterRef("pk"))
        .annotate(hit=Matches(F("search"), text_query))
        .filter(hit=True)
        .annotate(
            text_rank=Func(F("search"), text_query, function="ts_rank", output_field=FloatField())
        )
        .order_by("-text_rank", "pk")
    )
    queryset = (
        Provision.objects.public()
        .select_related("instrument__jurisdiction")
        .annotate(
            text_rank=Subquery(best_text.values("text_rank")[:1], output_field=FloatField()),
            text_body=Subquery(best_text.values("body")[:1], output_field=TextField()),
            text_language=Subquery(best_text.values("language")[:1], output_field=TextField()),
        )
    )
    if chinese:
        title_bonus = [
            When(instrument__title__contains=run, then=Value(1.0)) for run in CJK.findall(text)
        ]
        queryset = queryset.filter(text_rank__isnull=False).annotate(
            rank=F("text_rank") + Case(*title_bonus, default=Value(0.0), output_field=FloatField())
        )
    else:
        queryset = queryset.filter(Q(search=query) | Q(text_rank__isnull=False)).annotate(
            rank=Coalesce(SearchRank(F("search"), query), 0.0) + Coalesce(F("text_rank"), 0.0)
        )
    best = queryset.order_by("-rank", "pk").values("pk")[:LIMIT]
    found = queryset.filter(pk__in=best).order_by("-rank", "pk")
    if not chinese:
        found = found.annotate(
            snippet=headline(
                Concat(
                    "summary",
                    Value(" "),
                    "openness_note",
                    Value(" "),
                    "official_text",
                    Value(" "),
                    Coalesce(F("text_body"), Value(""), output_field=TextField()),
                    output_field=TextField(),
                )
            )
        )
    return found, chinese


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

    provisions, chinese = provisions_by_text(text, query, headline)
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
                snippet=(
                    cjk_snippet(p.text_body or "", text)
                    if chinese
                    else marked(p.snippet, start, stop)
                ),
                rank=p.rank,
                lang=p.text_language if chinese else "",
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
