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

What people type besides words: citations ("Article 53(2)", "53.2", "52c(-2)",
"EO 14110 Sec. 4.6", "第二条"; comparisons/search/citations.py) find their provision first, by
its slug, its label or an earlier label; other spellings and editors' synonyms widen the query
(words.py); sources' titles, authors, publishers and arXiv ids find their arguments; instrument
identifiers (COM numbers, FR doc numbers, 国发〔2025〕11号) find their instrument. At equal
relevance, binding law that has not ended ranks above the rest; ties fall back on the key.

At most four queries a search, whatever the data size: the lexicon (synonyms, jurisdictions and
the "did you mean" vocabulary, one UNION), provisions,
instruments, then arguments and model profiles together (one UNION ALL). With the page cache's
data-version read, a search page costs five at most.
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
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
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
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from comparisons.search import citations, words
from provisions.models import (
    Argument,
    EarlierLabel,
    Instrument,
    LegalStatus,
    ModelProfile,
    Provision,
    ProvisionText,
    Stance,
    StatusBadge,
)
from provisions.models.instruments import ENDED
from provisions.models.search import CONFIG  # the stored vectors' configuration (migration 0004)

LIMIT = 50  # per kind of record


KINDS = {
    "provisions": "Provisions",
    "instruments": "Instruments",
    "arguments": "Arguments",
    "models": "Models",
}
# A binding text still in force (or yet to apply) outranks the rest at equal relevance.
STANDING = [LegalStatus.IN_FORCE, LegalStatus.ADOPTED, LegalStatus.ENACTED]
LESS_STANDING = 0.5
CITATION_EXACT = 100.0  # far above any ts_rank (at most about 1 a vector)
CITATION_PART = 50.0  # "第二条" → Art. 2, para. 3
CITATION_ELSEWHERE = 10.0  # the number matches, the named instrument does not


class SearchForm(forms.Form):
    q = forms.CharField(label="Search the atlas", max_length=200, required=False, strip=True)
    # Facets: unknown values are ignored (the view says so), never an error.
    jurisdiction = forms.CharField(required=False, max_length=40)
    type = forms.ChoiceField(choices=[("", "All"), *KINDS.items()], required=False)

    def clean_q(self):
        text = self.cleaned_data["q"]
        # Lone surrogates cannot be encoded for PostgreSQL; NUL cannot be stored in text.
        text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")
        return " ".join(text.split())


@dataclass
class Badge:
    label: str
    css: str  # in-force, ended, …


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    context: str
    snippet: SafeString
    rank: float
    status: Badge | None = None
    treatment: str = ""
    note: str = ""  # "Art. 52c(-2) in … is now Art. 53(2)."
    jurisdiction: str = ""  # a code, for the facet
    exact: bool = False  # an exact citation of this record
    lang: str = ""  # the snippet's language, when it is not the page's (a Chinese text)


@dataclass
class Results:
    provisions: list[Hit]
    instruments: list[Hit]
    arguments: list[Hit]
    models: list[Hit] = dataclasses.field(default_factory=list)
    did_you_mean: str | None = None
    jurisdictions: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    skipped: list[str] = dataclasses.field(default_factory=list)  # kinds a facet left out
    jurisdiction: str | None = None  # the jurisdiction facet applied, if any
    kind: str | None = None  # the record-type facet applied, if any

    @property
    def total(self) -> int:
        return len(self.provisions) + len(self.instruments) + len(self.arguments) + len(self.models)

    @property
    def exact(self) -> Hit | None:
        """The provision or instrument the query cites exactly, if only one."""
        cited = [hit for hit in self.provisions + self.instruments if hit.exact]
        return cited[0] if len(cited) == 1 else None

    def groups(self) -> list[tuple[str, str, list[Hit]]]:
        return [
            (slug, heading, getattr(self, slug))
            for slug, heading in KINDS.items()
            if slug not in self.skipped
        ]

    def as_json(self) -> dict:
        def hit(h: Hit) -> dict:
            return {
                "title": h.title,
                "url": h.url,
                "context": h.context,
                "snippet": str(h.snippet),
                "status": h.status.label if h.status else None,
                "treatment": h.treatment or None,
                "note": h.note or None,
                "jurisdiction": h.jurisdiction or None,
                "exact_citation": h.exact,
            }

        return {
            "total": self.total,
            "did_you_mean": self.did_you_mean,
            **{slug: [hit(h) for h in hits] for slug, _, hits in self.groups()},
        }


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
    """About 40 characters either side of the first Chinese run of the query, marked; cut
    after a punctuation mark or space where one is near, with ellipses where text was left out."""
    runs = sorted(CJK.findall(text), key=len, reverse=True)
    at = body.find(runs[0]) if runs else -1
    if at < 0:
        return bounded(body, 0, min(len(body), 120))
    start, stop = max(at - 40, 0), at + len(runs[0])
    end = min(stop + 40, len(body))
    start, end = word_bounds(body, start, end)
    return mark_safe(
        ("…" if start else "")
        + escape(body[start:at])
        + "<mark>"
        + escape(body[at:stop])
        + "</mark>"
        + escape(body[stop:end])
        + ("…" if end < len(body) else "")
    )


BOUNDARY = re.compile(r"[\s，。；、：,.;:]")


def word_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` forward and ``end`` back to the nearest space or punctuation (within 15
    characters), so a snippet never begins or ends in the middle of a word."""
    if start > 0:
        for i in range(start, min(start + 15, len(body))):
            if BOUNDARY.match(body[i]):
                start = i + 1
                break
    if end < len(body):
        for i in range(end, max(end - 15, start), -1):
            if BOUNDARY.match(body[i]):
                end = i
                break
    return start, end


def bounded(body: str, start: int, end: int) -> SafeString:
    start, end = word_bounds(body, start, end)
    return mark_safe(
        ("…" if start else "") + escape(body[start:end].strip()) + ("…" if end < len(body) else "")
    )


def with_ellipses(headline: SafeString) -> SafeString:
    """ts_headline cuts on word boundaries but does not say it left text out: a fragment that
    starts in lower case began mid-sentence, one without a final stop ends mid-sentence."""
    text = str(headline).strip()
    if not text:
        return headline
    plain = re.sub(r"</?mark>", "", text)
    head = "…" if plain[:1].islower() else ""
    tail = "" if plain[-1:] in '.!?)”"’;:。' else "…"
    return mark_safe(head + text + tail)


@dataclass
class Lexicon:
    synonyms: list[list[str]]
    jurisdictions: dict[str, str]
    vocabulary: set[str]


LEXICON_SQL = """
    SELECT 's', terms, '' FROM provisions_searchsynonym
    UNION ALL SELECT 'j', code, name FROM provisions_jurisdiction
    UNION ALL SELECT 'v', short_title, title FROM provisions_instrument WHERE state = %s
    UNION ALL SELECT 'v', name, '' FROM provisions_topic
    UNION ALL SELECT 'v', name, '' FROM provisions_component
"""


def lexicon() -> Lexicon:
    """Synonym groups, jurisdictions and the words of titles and questions, in one query.
    Not memoised: a search page costs a few milliseconds at a hundred times today's data, far
    inside its budget, and every memo is a thing that can go stale."""
    return read_lexicon()


def read_lexicon() -> Lexicon:
    with connection.cursor() as cursor:
        cursor.execute(LEXICON_SQL, ["published"])
        rows = cursor.fetchall()
    synonyms, jurisdictions, phrases = [], {}, []
    for kind, first, second in rows:
        if kind == "s":
            terms = [line.strip() for line in first.splitlines() if line.strip()]
            synonyms.append(terms)
            phrases += terms
        elif kind == "j":
            jurisdictions[first] = second
        else:
            phrases += [first, second]
    return Lexicon(synonyms, jurisdictions, words.vocabulary_of(phrases))


def web_query(text: str, lex: Lexicon) -> SearchQuery:
    """The query as typed, OR the same query in other spellings and synonyms."""
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    cleaned = re.sub(r"\barxiv:\s*", "", text, flags=re.I)
    others = words.alternatives(cleaned, lex.synonyms)
    if cleaned != text:
        others.insert(0, cleaned)
    for other in others:
        query |= SearchQuery(other, search_type="websearch", config=CONFIG)
    return query


def instrument_named(parsed: citations.Parsed) -> Q | None:
    """The instruments a citation query names ("AI Act", "EO 14110"); None when it names none."""
    named = Q()
    if parsed.instrument_slugs:
        named |= Q(instrument__slug__in=parsed.instrument_slugs)
    rest = re.sub(r"(?i)\b(?:eo|e\.o\.|executive order|sb|ab|hb)\b[\s-]*\d+", " ", parsed.rest)
    rest = rest.strip(" ,.;")
    if rest:
        named |= (
            Q(instrument__short_title__iexact=rest)
            | Q(instrument__slug=slugify(rest))
            | Q(instrument__title__icontains=rest)
        )
    return named if named else None


def standing_weight(prefix: str = "instrument__"):
    """1 for a binding text that has not ended, LESS_STANDING for the rest."""
    return Case(
        When(
            Q(**{f"{prefix}binding": True}) & Q(**{f"{prefix}status__in": STANDING}),
            then=Value(1.0),
        ),
        default=Value(LESS_STANDING),
        output_field=FloatField(),
    )


def provisions_by_text(text: str, query, headline, parsed=None, jurisdiction=None):
    """Provisions whose own record or whose published texts match, or that the query cites,
    best first.

    One query: the best-matching text of each provision comes from a subquery (its rank and
    body, for the snippet); ts_headline runs only on the LIMIT best rows.
    """
    parsed = parsed or citations.Parsed()
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
    if jurisdiction:
        queryset = queryset.filter(instrument__jurisdiction__code=jurisdiction)
    cited = Q(pk__in=[])
    citation = Value(0.0)
    if parsed.citations:
        slugs, pattern = parsed.slugs, parsed.label_pattern
        earlier = EarlierLabel.objects.filter(provision=OuterRef("pk")).filter(
            Q(slug__in=slugs) | Q(label__iregex=pattern)
        )
        queryset = queryset.annotate(
            earlier_label=Subquery(earlier.values("label")[:1]),
            earlier_text=Subquery(earlier.values("text_version")[:1]),
        )
        exact = Q(slug__in=slugs) | Q(label__iregex=pattern) | Exists(earlier)
        part = Q(slug__regex="^(" + "|".join(re.escape(slug) for slug in slugs) + ")-")
        named = instrument_named(parsed)
        cited = exact | part
        if any(c.chinese for c in parsed.citations):
            # 第二条 cites a Chinese text; an article 2 elsewhere is not what was meant.
            chinese_instrument = Q(instrument__jurisdiction__code="cn")
            named = chinese_instrument if named is None else named & chinese_instrument
            cited &= chinese_instrument
        whens = []
        if named is None:
            whens += [When(exact, then=Value(CITATION_EXACT)), When(part, then=CITATION_PART)]
        else:
            whens += [
                When(exact & named, then=Value(CITATION_EXACT)),
                When(part & named, then=Value(CITATION_PART)),
                When(exact, then=Value(CITATION_ELSEWHERE)),
            ]
        citation = Case(*whens, default=Value(0.0), output_field=FloatField())
    else:
        queryset = queryset.annotate(earlier_label=Value(""), earlier_text=Value(""))
    if chinese:
        runs = CJK.findall(text)
        title_bonus = [When(instrument__title__contains=run, then=Value(1.0)) for run in runs]
        # A label or heading may hold the Chinese words though no text is loaded
        # ("Open-source ecosystem (促进开源生态繁荣)").
        named_in_label = Q(pk__in=[])
        for run in runs:
            named_in_label |= Q(label__contains=run) | Q(heading__contains=run)
        prose = (
            Coalesce(F("text_rank"), 0.0)
            + Case(*title_bonus, default=Value(0.0), output_field=FloatField())
            + Case(When(named_in_label, then=Value(1.0)), default=Value(0.0))
        )
        queryset = queryset.filter(Q(text_rank__isnull=False) | cited | named_in_label)
    else:
        queryset = queryset.filter(Q(search=query) | Q(text_rank__isnull=False) | cited)
        prose = Coalesce(SearchRank(F("search"), query), 0.0) + Coalesce(F("text_rank"), 0.0)
    queryset = queryset.annotate(
        cited_score=citation,
        rank=(citation + Coalesce(prose, 0.0)) * standing_weight(),
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
                    Coalesce(F("text_body"), Value(""), output_field=TextField()),
                    output_field=TextField(),
                )
            )
        )
    return found, chinese


def status_badge(provision: Provision, day) -> Badge:
    """The matrix's status badge; an ended text says how it ended ("Revoked")."""
    badge, _ = provision.status_on(day)
    if badge == StatusBadge.ENDED:
        instrument = provision.instrument
        label = (
            instrument.get_status_display()
            if instrument.status in ENDED
            else str(StatusBadge.ENDED.label)
        )
        return Badge(label, StatusBadge.ENDED)
    return Badge(str(StatusBadge(badge).label), str(badge))


def instrument_badge(instrument: Instrument) -> Badge:
    """The instrument's legal status, coloured like the matrix's badges."""
    if instrument.status in ENDED:
        css = StatusBadge.ENDED
    elif instrument.status == LegalStatus.PROPOSED:
        css = StatusBadge.PROPOSAL
    elif not instrument.binding:
        css = StatusBadge.NON_BINDING
    elif instrument.status == LegalStatus.IN_FORCE:
        css = StatusBadge.IN_FORCE
    else:
        css = StatusBadge.APPLIES_LATER
    return Badge(instrument.get_status_display(), str(css))


def earlier_note(provision) -> str:
    """ "Art. 52c(-2) in the Council/Coreper compromise text of 26 Jan / 2 Feb 2024 is now
    Art. 53(2)." The text's name is cut before its editors' remarks."""
    if not provision.earlier_label or provision.earlier_label == provision.label:
        return ""
    version = re.split(r" \(| as cited|;|,", provision.earlier_text or "", maxsplit=1)[0]
    where = f" in the {version}" if version else ""
    return f"{provision.earlier_label}{where} is now {provision.label}."


def search(text: str, *, jurisdiction: str | None = None, kind: str | None = None) -> Results:
    """At most four queries: the lexicon, provisions,
    instruments, arguments with model profiles; each kind ranked and cut at LIMIT.
    ``jurisdiction`` (a code) and ``kind`` (a KINDS key) are the facets."""
    lex = lexicon()
    if jurisdiction and jurisdiction not in lex.jurisdictions:
        jurisdiction = None
    query = web_query(text, lex)
    parsed = citations.parse(text)
    token = secrets.token_hex(6)
    start, stop = f"HLSTART{token}", f"HLSTOP{token}"
    day = timezone.localdate()
    skipped = [k for k in KINDS if kind in KINDS and k != kind]
    if jurisdiction:
        # Arguments and model profiles belong to no jurisdiction.
        skipped += [k for k in ("arguments", "models") if k not in skipped]

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

    def top(queryset, snippet_source, *, also=None, extra_rank=None, weight=None):
        """Rank every match, then headline only the best LIMIT ones (ts_headline is costly).

        Matches come from the stored vector through its GIN index (provisions/models/search.py).
        """
        rank = SearchRank(F("search"), query)
        if extra_rank is not None:
            rank = Coalesce(rank, 0.0) + Coalesce(extra_rank, 0.0)
        if weight is not None:
            rank = rank * weight
        matches = Q(search=query) if also is None else Q(search=query) | also
        best = (
            queryset.filter(matches)
            .annotate(rank=rank)
            .order_by("-rank", "pk")
            .values("pk")[:LIMIT]
        )
        return (
            queryset.filter(pk__in=best)
            .annotate(rank=rank, snippet=headline(snippet_source))
            .order_by("-rank", "pk")
        )

    def as_hits(ranked, kind, title, a, b, c):
        """One kind's ranked matches under the UNION's column names (``columns`` below)."""
        return ranked.annotate(hit_kind=Value(kind), hit_title=title, hit_a=a, hit_b=b, hit_c=c)

    def mark(snippet) -> SafeString:
        return with_ellipses(marked(snippet or "", start, stop))

    results = Results(provisions=[], instruments=[], arguments=[], skipped=skipped)
    results.jurisdiction = jurisdiction or None
    results.kind = kind if kind in KINDS else None
    results.jurisdictions = sorted(lex.jurisdictions.items(), key=lambda item: item[1])

    if "provisions" not in skipped:
        provisions, chinese = provisions_by_text(text, query, headline, parsed, jurisdiction)
        results.provisions = [
            Hit(
                kind="Provision",
                title=p.citation,
                url=p.get_absolute_url(),
                context=p.instrument.jurisdiction.name,
                snippet=(
                    cjk_snippet(p.text_body or f"{p.label}. {p.heading}", text)
                    if chinese
                    else mark(p.snippet)
                ),
                rank=p.rank,
                status=status_badge(p, day),
                treatment=p.get_treatment_display(),
                note=earlier_note(p),
                jurisdiction=p.instrument.jurisdiction.code,
                exact=p.cited_score >= CITATION_EXACT,
                lang=(p.text_language or "") if chinese and p.text_body else "",
            )
            for p in provisions
        ]
    if "instruments" not in skipped:
        named = Q(pk__in=[])
        exact_named = Value(0.0)
        typed = text.strip()
        if parsed.instrument_slugs and not parsed.citations:
            named = Q(slug__in=parsed.instrument_slugs)
        named |= Q(short_title__iexact=typed)
        if len(typed) >= 4:
            named |= Q(identifier__icontains=typed)  # "COM(2025) 836", "国发〔2025〕11号"
        if CJK.search(typed):
            named |= Q(title__contains=typed)
        exact_named = Case(
            When(named, then=Value(CITATION_EXACT)), default=Value(0.0), output_field=FloatField()
        )
        instruments = Instrument.objects.published().select_related("jurisdiction")
        if jurisdiction:
            instruments = instruments.filter(jurisdiction__code=jurisdiction)
        results.instruments = [
            Hit(
                kind="Instrument",
                title=i.title,
                url=i.get_absolute_url(),
                context=f"{i.jurisdiction.name}, {i.get_kind_display().lower()}",
                snippet=mark(i.snippet) if i.snippet else bounded(i.summary, 0, 200),
                rank=i.rank,
                status=instrument_badge(i),
                jurisdiction=i.jurisdiction.code,
                exact=not parsed.citations and i.rank >= CITATION_EXACT * LESS_STANDING,
            )
            for i in top(
                instruments.annotate(exact_named=exact_named),
                Concat("title", Value(". "), "summary", output_field=TextField()),
                also=named,
                extra_rank=F("exact_named"),
                weight=standing_weight(prefix=""),
            )
        ]
    # Arguments and model profiles are few and belong to no jurisdiction: one statement (a
    # UNION ALL) fetches both, so that a search costs five queries with the page cache's
    # data-version read included, even when the lexicon must be read again.
    hits = []
    if "arguments" not in skipped:
        # Sources are few next to arguments: their words are read at query time.
        source_vector = SearchVector(
            "source__title", "source__authors", "source__arxiv_id", weight="A", config=CONFIG
        ) + SearchVector("source__organisation", "source__doi", weight="B", config=CONFIG)
        hits.append(
            as_hits(
                top(
                    Argument.objects.published()
                    .select_related("source")
                    .annotate(source_search=source_vector),
                    Concat("summary", Value(" "), "quotation", output_field=TextField()),
                    also=Q(source_search=query),
                    extra_rank=SearchRank(F("source_search"), query),
                ),
                "arguments",
                F("title"),
                F("stance"),
                F("source__title"),
                F("source__authors"),
            )
        )
    if "models" not in skipped:
        # Model profiles are few (tens, not thousands of long texts): their vector is computed
        # in the query rather than stored.
        hits.append(
            as_hits(
                top(
                    ModelProfile.objects.published().annotate(
                        search=SearchVector("name", weight="A", config=CONFIG)
                        + SearchVector("provider", "licence_name", weight="B", config=CONFIG)
                        + SearchVector("analysis", "licence_clauses", weight="C", config=CONFIG)
                    ),
                    Concat("analysis", Value(" "), "licence_clauses", output_field=TextField()),
                ),
                "models",
                F("name"),
                F("provider"),
                F("licence_name"),
                Value(""),
            )
        )
    columns = ("hit_kind", "pk", "slug", "hit_title", "hit_a", "hit_b", "hit_c", "snippet", "rank")
    hits = [part.order_by().values_list(*columns) for part in hits]
    rows = hits[0].union(*hits[1:], all=True).order_by("hit_kind", "-rank", "pk") if hits else []
    for kind_name, _, slug, title, a, b, c, snippet, rank in rows:
        if kind_name == "arguments":
            results.arguments.append(
                Hit(
                    kind="Argument",
                    title=title,
                    url=Argument(slug=slug).get_absolute_url(),
                    context=f"{Stance(a).label}; {b}" + (f" ({c})" if c else ""),
                    snippet=mark(snippet),
                    rank=rank,
                )
            )
        else:
            results.models.append(
                Hit(
                    kind="Model",
                    title=title,
                    url=ModelProfile(slug=slug).get_absolute_url(),
                    context=f"{a}; {b}",
                    snippet=mark(snippet),
                    rank=rank,
                )
            )
    if results.total == 0:
        results.did_you_mean = words.did_you_mean(text, lex.vocabulary)
    return results
