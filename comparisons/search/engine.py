"""Full-text search over published provisions, instruments, arguments and model profiles.

Web-search syntax ("quoted phrase", OR, -word) via websearch_to_tsquery, ranked with ts_rank;
snippets from ts_headline (snippets.py). What is typed is first bounded (query.py: repeated
words once, at most eight words and three alternatives), so no query can stall a worker.

Ranking, one home per rule:
- an exact citation ≫ a citation of a part ≫ prose (``citation_score``; citations.py);
- the query's words as a phrase, or close together, in a record's own words (a provision's
  label, heading, official text or a published text: ``english_prose``; an instrument's title:
  ``ranked_instruments``) rank above the words scattered, and above the phrase only in our
  summary or note;
- at equal relevance, binding law that has not ended ranks above the rest, recitals included
  (×0.5, ``standing_weight``);
- for a query about openness ("open source", "open weights"), an open model above a closed one
  (``openness_degree``);
- ties fall back on the key.
At 100x today's data a broad query matches thousands: each kind reads at most CANDIDATES of its
matches (``indexed``), and provisions are ranked in two steps (``ranked_provisions``).

Chinese (no parser segments it): a text's vector also holds every pair of adjacent Chinese
characters (migration 0006), and a Chinese query is the phrase of its pairs, so it finds the
characters in order; instruments by their titles. The English equivalents of a Chinese query
(editors' synonyms) are a separate, labelled group, never mixed in.

Typos (spelling.py): a query that finds little is tried again with its misspelt words
corrected from the atlas's own vocabulary (pg_trgm); the corrected results are shown when they
are more, saying so and linking to the query as typed.

Queries, whatever the data size: the lexicon (synonyms and jurisdictions), provisions,
instruments, arguments with model profiles (one UNION ALL): four. A corrected search adds the
vocabulary lookup and the three again (eight); a Chinese query with English equivalents adds
one (five).
"""

import functools
import re
from dataclasses import dataclass, field

from django import forms
from django.contrib.postgres.search import (
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVectorField,
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
from django.db.models.functions import Coalesce, Concat, Greatest
from django.utils import timezone
from django.utils.text import slugify

from comparisons.search import citations, spelling
from comparisons.search.query import CJK, MAX_PAIRS, Asked, asked
from comparisons.search.results import KINDS, LIMIT, Badge, Equivalents, Hit, Results
from comparisons.search.snippets import Marker, bounded, cjk_snippet
from provisions.models import (
    Argument,
    EarlierLabel,
    Instrument,
    LegalStatus,
    ModelProfile,
    Provision,
    ProvisionText,
    Source,
    Stance,
    StatusBadge,
)
from provisions.models.ai_models import PUBLISHED_WEIGHTS, OsiApproval
from provisions.models.instruments import ENDED
from provisions.models.search import CONFIG  # the stored vectors' configuration (migration 0004)

__all__ = ["KINDS", "LIMIT", "Results", "SearchForm", "cjk_tsquery", "search"]

# A binding text still in force (or yet to apply) outranks the rest at equal relevance.
STANDING = [LegalStatus.IN_FORCE, LegalStatus.ADOPTED, LegalStatus.ENACTED]
LESS_STANDING = 0.5
CITATION_EXACT = 100.0  # far above any ts_rank (at most about 1 a vector)
CITATION_PART = 50.0  # "第二条" → Art. 2, para. 3; "Art 52c" → Art. 52c(-2), now Art. 53(2)
CITATION_ELSEWHERE = 10.0  # the number matches, the named instrument does not
OWN_PHRASE = 1.0  # the words in order in the record's own words (the law's, its title)
OWN_PROXIMITY = 2.0  # × cover density (0–1) of the words in the provision's own words
TITLE_WORDS = 0.5  # every word in a provision's label or heading
NOTE_PHRASE = 0.3  # the words in order in our summary or note only
OPEN_MODEL = 10.0  # per degree of openness, for a query about openness: above any text rank
CANDIDATES = 2000  # matches of one kind read and ranked, at most (see ``indexed``)
POOL = 200  # provisions ranked by where their words stand, of those most relevant
TEXT_MATCH = 0.5  # a published text matches: the pool's stand-in for the text's own rank
SOURCE_MATCH = 0.5  # an argument whose source the query names (its title, its authors)
FEW = 3  # fewer results than this, and a corrected spelling is tried
EQUIVALENTS_CAP = 5
# Words that make a query about openness itself.
OPENNESS = re.compile(r"(?i)\bopen|开源|开放")


class SearchForm(forms.Form):
    q = forms.CharField(label="Search the atlas", max_length=200, required=False, strip=True)
    # Facets: unknown values are ignored (the view says so), never an error.
    jurisdiction = forms.CharField(required=False, max_length=40)
    type = forms.ChoiceField(choices=[("", "All"), *KINDS.items()], required=False)
    # Set by the "search for … instead" link under corrected results: search as typed.
    as_typed = forms.BooleanField(required=False)

    def clean_q(self):
        text = self.cleaned_data["q"]
        # Lone surrogates cannot be encoded for PostgreSQL; NUL cannot be stored in text.
        text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")
        return " ".join(text.split())


def cjk_tsquery(text: str) -> str:
    """The tsquery (as text) of a query holding Chinese: each run of Chinese characters as the
    phrase of its character pairs (at most MAX_PAIRS), other words as plain lexemes, all
    required. Only Chinese characters, letters and digits reach it, so nothing needs quoting."""
    terms = []
    for run in dict.fromkeys(CJK.findall(text)):
        run = run[: MAX_PAIRS + 1]
        if len(run) == 1:
            terms.append(f"'{run}':*")  # a pair that starts with it
        else:
            terms.append(" <-> ".join(f"'{run[i : i + 2]}'" for i in range(len(run) - 1)))
    latin = re.findall(r"[A-Za-z0-9]+", CJK.sub(" ", text))
    terms += [f"'{word.lower()}'" for word in dict.fromkeys(latin)]
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


class OwnWords(Func):
    """A stored vector's words of the given weights only (ts_filter): for a provision, A and C
    are its label, heading and official text, B our summary and note."""

    template = "ts_filter(%(expressions)s, '{%(weights)s}')"
    output_field = SearchVectorField()


def matches(vector, query) -> Matches:
    return Matches(vector, query)


def bonus(condition, amount: float) -> Case:
    return Case(When(condition, then=Value(amount)), default=Value(0.0), output_field=FloatField())


# The lexicon: synonyms and jurisdictions --------------------------------------------------


@dataclass
class Lexicon:
    synonyms: list[list[str]]
    jurisdictions: dict[str, str]


LEXICON_SQL = """
    SELECT 's', terms, '' FROM provisions_searchsynonym
    UNION ALL SELECT 'j', code, name FROM provisions_jurisdiction
"""


def lexicon() -> Lexicon:
    """Synonym groups and jurisdictions, in one query. Not memoised: a search page costs a few
    milliseconds at a hundred times today's data, far inside its budget, and every memo is a
    thing that can go stale."""
    return read_lexicon()


def read_lexicon() -> Lexicon:
    with connection.cursor() as cursor:
        cursor.execute(LEXICON_SQL)
        rows = cursor.fetchall()
    synonyms, jurisdictions = [], {}
    for kind, first, second in rows:
        if kind == "s":
            synonyms.append([line.strip() for line in first.splitlines() if line.strip()])
        else:
            jurisdictions[first] = second
    return Lexicon(synonyms, jurisdictions)


# One search's plan: what is searched, how, and where ------------------------------------


@dataclass
class Plan:
    asked: Asked
    parsed: citations.Parsed
    query: SearchQuery  # the text OR its variants
    texts_query: SearchQuery  # and the text's words unstemmed, as texts not in English hold them
    words: SearchQuery | None  # the text alone, every word required
    phrase: SearchQuery | None  # the text's words in order
    jurisdiction: str | None
    skipped: list[str]
    marker: Marker = field(default_factory=Marker)
    day: object = field(default_factory=timezone.localdate)

    @property
    def chinese(self) -> bool:
        return bool(CJK.search(self.asked.text))

    @property
    def about_openness(self) -> bool:
        """The query or its synonyms name openness ("widely available model weights" is
        "open weights")."""
        return bool(OPENNESS.search(" ".join([self.asked.text, *self.asked.variants])))


# Plain words: no web-search operators, so the phrase of the words means what was typed.
OPERATORS = re.compile(r'"|(^|\s)-\S|(^|\s)OR(\s|$)')


def plan_for(text: str, lex: Lexicon, jurisdiction: str | None, kind: str | None) -> Plan:
    searched = asked(text, lex.synonyms)
    query = SearchQuery(searched.text, search_type="websearch", config=CONFIG)
    for other in searched.variants:
        query |= SearchQuery(other, search_type="websearch", config=CONFIG)
    plain = searched.text if searched.text and not OPERATORS.search(searched.text) else ""
    skipped = [k for k in KINDS if kind in KINDS and k != kind]
    if jurisdiction:
        # Arguments and model profiles belong to no jurisdiction.
        skipped += [k for k in ("arguments", "models") if k not in skipped]
    # A published text in another language than English is indexed word for word ('simple',
    # migration 0006): "nacional" stays "nacional" where the English stemmer makes "nacion".
    unstemmed = SearchQuery(searched.text, search_type="websearch", config="simple")
    return Plan(
        asked=searched,
        parsed=citations.parse(text),
        query=query,
        texts_query=query | unstemmed,
        words=SearchQuery(plain, search_type="plain", config=CONFIG) if plain else None,
        phrase=SearchQuery(plain, search_type="phrase", config=CONFIG) if plain else None,
        jurisdiction=jurisdiction,
        skipped=skipped,
    )


# Provisions --------------------------------------------------------------------------------


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


def standing_weight(prefix: str = "instrument__", *, operative: Q | None = None):
    """1 for a binding text that has not ended, LESS_STANDING for the rest. ``operative``
    narrows a provision's standing to its operative parts: a recital explains the law and
    binds no one."""
    binding = Q(**{f"{prefix}binding": True}) & Q(**{f"{prefix}status__in": STANDING})
    return Case(
        When(binding & (operative or Q()), then=Value(1.0)),
        default=Value(LESS_STANDING),
        output_field=FloatField(),
    )


def with_best_text(queryset, text_query, phrase=None, rank_query=None, words=None):
    """Each provision's best-matching published text: its rank, body and language (for the
    snippet), and whether a published text holds the phrase. Correlated subqueries: they run
    only for the rows that reach them (the pool, then the page), never for every match.
    ``rank_query``, when given, ranks what ``text_query`` matches."""
    texts = ProvisionText.objects.published().filter(provision=OuterRef("pk"))
    rank_query = text_query if rank_query is None else rank_query
    best = (
        texts.annotate(hit=matches(F("search"), text_query))
        .filter(hit=True)
        .annotate(
            text_rank=Func(F("search"), rank_query, function="ts_rank", output_field=FloatField())
        )
        .order_by("-text_rank", "pk")
    )
    queryset = queryset.annotate(
        text_rank=Subquery(best.values("text_rank")[:1], output_field=FloatField()),
        text_body=Subquery(best.values("body")[:1], output_field=TextField()),
        text_language=Subquery(best.values("language")[:1], output_field=TextField()),
    )
    if phrase is not None:
        in_order = texts.annotate(hit=matches(F("search"), phrase)).filter(hit=True)
        queryset = queryset.annotate(text_phrase=Exists(in_order))
    if words is not None:
        # Cover density of the words in the best text: how close together the law says them.
        near = best.annotate(
            near=Func(
                F("search"), words, Value(32), function="ts_rank_cd", output_field=FloatField()
            )
        )
        queryset = queryset.annotate(
            text_near=Subquery(near.values("near")[:1], output_field=FloatField())
        )
    return queryset


def indexed(model, query) -> Q:
    """Records whose stored vector matches, as a subquery that reads only the GIN index's hits
    (in an OR with conditions no index serves, a plain ``search @@ query`` would read every
    row's vector), and at most CANDIDATES of them: reading the matches is most of a search's
    cost, and a query that matches more than that (a tenth of the provisions at 100x today's
    data) is too broad for the order among all of them to mean much. Citations, names and
    identifiers are matched apart, so they are never among those left out."""
    # No ordering: a model's default one (a provision's, by instrument and jurisdiction) would
    # sort every match before the cut.
    return Q(pk__in=model.objects.filter(search=query).order_by().values("pk")[:CANDIDATES])


def texted(text_query) -> Q:
    """Provisions with a published text that matches: one pass over the texts' index."""
    matching = (
        ProvisionText.objects.published()
        .annotate(hit=matches(F("search"), text_query))
        .filter(hit=True)
        .values("provision_id")
    )
    return Q(pk__in=matching)


def citation_score(queryset, parsed: citations.Parsed):
    """The provisions the query cites (exactly, or a part: "Art 52c" for Art. 52c(-2)), by their
    labels and their earlier labels, and the score of each; (queryset, cited Q, score)."""
    if not parsed.citations:
        queryset = queryset.annotate(earlier_label=Value(""), earlier_text=Value(""))
        return queryset, Q(pk__in=[]), Value(0.0)
    slugs, pattern = parsed.slugs, parsed.label_pattern
    prefixes = "^(" + "|".join(re.escape(slug) for slug in slugs) + ")-"
    earlier_exact = EarlierLabel.objects.filter(provision=OuterRef("pk")).filter(
        Q(slug__in=slugs) | Q(label__iregex=pattern)
    )
    # An earlier label of which the query is a part: "Art 52c" names Art. 52c(-2).
    earlier_part = EarlierLabel.objects.filter(provision=OuterRef("pk"), slug__regex=prefixes)
    earlier = EarlierLabel.objects.filter(provision=OuterRef("pk")).filter(
        Q(slug__in=slugs) | Q(label__iregex=pattern) | Q(slug__regex=prefixes)
    )
    queryset = queryset.annotate(
        earlier_label=Subquery(earlier.order_by("pk").values("label")[:1]),
        earlier_text=Subquery(earlier.order_by("pk").values("text_version")[:1]),
    )
    exact = Q(slug__in=slugs) | Q(label__iregex=pattern) | Exists(earlier_exact)
    part = Q(slug__regex=prefixes) | Exists(earlier_part)
    named = instrument_named(parsed)
    cited = exact | part
    if any(c.chinese for c in parsed.citations):
        # 第二条 cites a Chinese text; an article 2 elsewhere is not what was meant.
        chinese_instrument = Q(instrument__jurisdiction__code="cn")
        named = chinese_instrument if named is None else named & chinese_instrument
        cited &= chinese_instrument
    if named is None:
        whens = [When(exact, then=Value(CITATION_EXACT)), When(part, then=Value(CITATION_PART))]
    else:
        whens = [
            When(exact & named, then=Value(CITATION_EXACT)),
            When(part & named, then=Value(CITATION_PART)),
            When(exact, then=Value(CITATION_ELSEWHERE)),
        ]
    return queryset, cited, Case(*whens, default=Value(0.0), output_field=FloatField())


@dataclass
class Prose:
    """How a provision's words answer a query: which provisions match, their relevance (cheap:
    it picks the pool) and their rank within the pool (the words' standing too)."""

    found: Q
    relevance: object
    rank: object


def chinese_prose(plan: Plan, text_query) -> Prose:
    """A Chinese query: provisions whose published texts hold its characters in order, or
    whose label or heading does; a provision of an instrument titled with them first."""
    runs = plan.asked.chinese_runs
    named_in_label = Q(pk__in=[])
    for run in runs:
        named_in_label |= Q(label__contains=run) | Q(heading__contains=run)
    title_bonus = [When(instrument__title__contains=run, then=Value(1.0)) for run in runs]
    in_texts = texted(text_query)
    named = Case(*title_bonus, default=Value(0.0), output_field=FloatField()) + bonus(
        named_in_label, 1.0
    )
    return Prose(
        found=in_texts | named_in_label,
        relevance=named + bonus(in_texts, TEXT_MATCH),
        rank=named + Coalesce(F("text_rank"), 0.0),
    )


def english_prose(plan: Plan) -> Prose:
    """Words: the provision's own vector or a published text matches. Within the pool, the
    phrase in the provision's own words (label, heading, official text: weights A and C; or a
    published text) ranks above the words close together there, above every word in its label
    or heading, above the phrase in our summary or note."""
    own_rank = Coalesce(SearchRank(F("search"), plan.query), 0.0)
    in_texts = texted(plan.texts_query)
    rank = own_rank + Coalesce(F("text_rank"), 0.0)
    if plan.phrase is not None:
        own_words = OwnWords(F("search"), weights="a,c")
        # Cover density: how close together the words stand in the provision's own words.
        near = Greatest(
            Func(
                own_words, plan.words, Value(32), function="ts_rank_cd", output_field=FloatField()
            ),
            Coalesce(F("text_near"), 0.0),
        )
        in_order = Q(matches(own_words, plan.phrase)) | Q(text_phrase=True)
        in_title = Q(matches(OwnWords(F("search"), weights="a"), plan.words))
        # The best of the three, not their sum: a short title holding the words would
        # otherwise collect all three and outrank the law that says them.
        own = Greatest(
            bonus(in_order, OWN_PHRASE), OWN_PROXIMITY * near, bonus(in_title, TITLE_WORDS)
        )
        rank = rank + own + bonus(Q(matches(F("search"), plan.phrase)), NOTE_PHRASE)
    return Prose(
        found=indexed(Provision, plan.query) | in_texts,
        relevance=own_rank + bonus(in_texts, TEXT_MATCH),
        rank=rank,
    )


def ranked_provisions(plan: Plan):
    """Provisions that match or that the query cites, best first, the best LIMIT only, with
    their snippets' sources. One query, in three steps: relevance alone picks the POOL best
    matches (a broad query matches thousands at 100x data); the texts' ranks and the bonuses
    of where the words stand, which read each vector several times, rank that pool;
    ts_headline runs only on the LIMIT best rows."""
    chinese = plan.chinese
    text_query = TsQuery(Value(cjk_tsquery(plan.asked.text))) if chinese else plan.texts_query
    queryset = Provision.objects.public().select_related("instrument__jurisdiction")
    if plan.jurisdiction:
        queryset = queryset.filter(instrument__jurisdiction__code=plan.jurisdiction)
    if chinese:
        queryset = with_best_text(queryset, text_query)
    else:
        # Texts not in English match word for word; they rank by the English query as before
        # (where they score nothing, their match alone brings them in).
        queryset = with_best_text(
            queryset, text_query, plan.phrase, rank_query=plan.query, words=plan.words
        )
    queryset, cited, citation = citation_score(queryset, plan.parsed)
    prose = chinese_prose(plan, text_query) if chinese else english_prose(plan)
    weight = standing_weight(operative=~Q(kind=Provision.Kind.RECITAL))
    pool = (
        queryset.filter(prose.found | cited)
        .annotate(relevance=(citation + prose.relevance) * weight)
        .order_by("-relevance", "pk")
        .values("pk")[:POOL]
    )
    queryset = queryset.annotate(cited_score=citation, rank=(citation + prose.rank) * weight)
    best = queryset.filter(pk__in=pool).order_by("-rank", "pk").values("pk")[:LIMIT]
    queryset = queryset.filter(pk__in=best).order_by("-rank", "pk")
    if chinese:
        return queryset
    # The best-matching published text only: ts_headline's cost grows with the length of what
    # it reads.
    return queryset.annotate(
        snippet=plan.marker.headline(
            Concat(
                "summary",
                Value(" "),
                "openness_note",
                Value(" "),
                Coalesce(F("text_body"), Value(""), output_field=TextField()),
                output_field=TextField(),
            ),
            plan.query,
        )
    )


@functools.cache
def choice_labels(model, field: str) -> dict:
    return dict(model._meta.get_field(field).flatchoices)


def label_of(model, field: str, value) -> str:
    """``get_<field>_display()`` without its cost: Django rebuilds and hashes the field's
    choices on every call (1.3 ms each on this machine; a search shows up to 150 of them)."""
    return str(choice_labels(model, field).get(value, value or ""))


def status_badge(provision: Provision, day) -> Badge:
    """The matrix's status badge; an ended text says how it ended ("Revoked")."""
    badge, _ = provision.status_on(day)
    if badge == StatusBadge.ENDED:
        instrument = provision.instrument
        label = (
            label_of(Instrument, "status", instrument.status)
            if instrument.status in ENDED
            else str(StatusBadge.ENDED.label)
        )
        return Badge(label, StatusBadge.ENDED)
    return Badge(str(StatusBadge(badge).label), str(badge))


def earlier_note(provision) -> str:
    """ "Art. 52c(-2) in the Council/Coreper compromise text of 26 Jan / 2 Feb 2024 is now
    Art. 53(2)." The text's name is cut before its editors' remarks."""
    if not provision.earlier_label or provision.earlier_label == provision.label:
        return ""
    version = re.split(r" \(| as cited|;|,", provision.earlier_text or "", maxsplit=1)[0]
    where = f" in the {version}" if version else ""
    return f"{provision.earlier_label}{where} is now {provision.label}."


def provision_hit(p: Provision, plan: Plan) -> Hit:
    chinese = plan.chinese
    return Hit(
        kind="Provision",
        title=p.citation,
        url=p.get_absolute_url(),
        context=p.instrument.jurisdiction.name,
        snippet=(
            cjk_snippet(p.text_body or f"{p.label}. {p.heading}", plan.asked.text)
            if chinese
            else plan.marker.mark(p.snippet)
        ),
        rank=p.rank,
        status=status_badge(p, plan.day),
        treatment=label_of(Provision, "treatment", p.treatment),
        note=earlier_note(p),
        jurisdiction=p.instrument.jurisdiction.code,
        exact=p.cited_score >= CITATION_EXACT,
        lang=(p.text_language or "") if chinese and p.text_body else "",
    )


def find_provisions(plan: Plan) -> list[Hit]:
    return [provision_hit(p, plan) for p in ranked_provisions(plan)]


# Instruments ---------------------------------------------------------------------------------


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
    return Badge(label_of(Instrument, "status", instrument.status), str(css))


def instrument_named_by(plan: Plan) -> Q:
    """Instruments the query names: by number ("EO 14110"), short title, identifier
    ("COM(2025) 836", "国发〔2025〕11号") or, for Chinese, the characters of the title."""
    typed = plan.asked.typed.strip()
    named = Q(short_title__iexact=typed)
    if plan.parsed.instrument_slugs and not plan.parsed.citations:
        named |= Q(slug__in=plan.parsed.instrument_slugs)
    if len(typed) >= 4:
        named |= Q(identifier__icontains=typed)
    if CJK.search(typed):
        named |= Q(title__contains=typed)
    return named


def ranked_instruments(plan: Plan):
    named = instrument_named_by(plan)
    queryset = Instrument.objects.published().select_related("jurisdiction")
    if plan.jurisdiction:
        queryset = queryset.filter(jurisdiction__code=plan.jurisdiction)
    if plan.chinese:
        # The characters in order in the title; never the English words of a translation.
        in_title = Q(pk__in=[])
        for run in plan.asked.chinese_runs:
            in_title |= Q(title__contains=run) | Q(short_title__contains=run)
        rank = bonus(named, CITATION_EXACT) + bonus(in_title, 1.0)
        queryset = queryset.filter(named | in_title).annotate(rank=rank * standing_weight(""))
        return queryset.order_by("-rank", "pk")[:LIMIT]
    rank = Coalesce(SearchRank(F("search"), plan.query), 0.0) + bonus(named, CITATION_EXACT)
    if plan.phrase is not None:
        rank = rank + bonus(Q(matches(OwnWords(F("search"), weights="a"), plan.phrase)), OWN_PHRASE)
    return top(
        queryset,
        plan,
        Concat("title", Value(". "), "summary", output_field=TextField()),
        matching=indexed(Instrument, plan.query) | named,
        rank=rank * standing_weight(""),
    )


def top(queryset, plan: Plan, snippet_source, *, matching, rank):
    """Rank every match, then headline only the best LIMIT ones (ts_headline is costly).
    Matches come from the stored vector through its GIN index (provisions/models/search.py)."""
    best = queryset.filter(matching).annotate(rank=rank).order_by("-rank", "pk").values("pk")
    return (
        queryset.filter(pk__in=best[:LIMIT])
        .annotate(rank=rank, snippet=plan.marker.headline(snippet_source, plan.query))
        .order_by("-rank", "pk")
    )


def find_instruments(plan: Plan) -> list[Hit]:
    return [
        Hit(
            kind="Instrument",
            title=i.title,
            url=i.get_absolute_url(),
            context=f"{i.jurisdiction.name}, {label_of(Instrument, 'kind', i.kind).lower()}",
            snippet=(
                plan.marker.mark(i.snippet)
                if getattr(i, "snippet", None)
                else bounded(i.summary, 0, 200)
            ),
            rank=i.rank,
            status=instrument_badge(i),
            jurisdiction=i.jurisdiction.code,
            exact=not plan.parsed.citations and i.rank >= CITATION_EXACT * LESS_STANDING,
        )
        for i in ranked_instruments(plan)
    ]


# Arguments and model profiles: one statement ---------------------------------------------


def openness_degree():
    """0 for a model whose weights are not published, 1 when they are, 2 when also under an
    OSI-approved licence: how far a profile answers a query about openness."""
    return bonus(Q(weights_access__in=PUBLISHED_WEIGHTS), 1.0) + bonus(
        Q(licence_osi=OsiApproval.APPROVED), 1.0
    )


def ranked_arguments(plan: Plan):
    """Arguments by their own words, or by their source's title, authors, publisher or arXiv
    id (the source's stored vector)."""
    by_source = Q(source__in=Source.objects.filter(search=plan.query).order_by().values("pk"))
    rank = Coalesce(SearchRank(F("search"), plan.query), 0.0) + bonus(by_source, SOURCE_MATCH)
    return top(
        Argument.objects.published().select_related("source"),
        plan,
        Concat("summary", Value(" "), "quotation", output_field=TextField()),
        matching=indexed(Argument, plan.query) | by_source,
        rank=rank,
    )


def ranked_models(plan: Plan):
    rank = Coalesce(SearchRank(F("search"), plan.query), 0.0)
    if plan.about_openness:
        rank = rank + OPEN_MODEL * openness_degree()
    return top(
        ModelProfile.objects.published(),
        plan,
        Concat("analysis", Value(" "), "licence_clauses", output_field=TextField()),
        matching=indexed(ModelProfile, plan.query),
        rank=rank,
    )


def chinese_arguments(plan: Plan):
    """For a Chinese query, the arguments whose own words hold its characters in order: they
    are written in English, so these are few; a translation's words are the equivalents'."""
    held = Q(pk__in=[])
    for run in plan.asked.chinese_runs:
        held |= Q(title__contains=run) | Q(summary__contains=run) | Q(quotation__contains=run)
    found = Argument.objects.published().filter(held).select_related("source")
    return found.annotate(snippet=Value(""), rank=Value(1.0))


def chinese_models(plan: Plan):
    held = Q(pk__in=[])
    for run in plan.asked.chinese_runs:
        held |= Q(name__contains=run) | Q(analysis__contains=run)
    found = ModelProfile.objects.published().filter(held)
    return found.annotate(snippet=Value(""), rank=Value(1.0))


COLUMNS = ("hit_kind", "pk", "slug", "hit_title", "hit_a", "hit_b", "hit_c", "snippet", "rank")


def find_arguments_and_models(plan: Plan) -> tuple[list[Hit], list[Hit]]:
    """Arguments and model profiles are few and belong to no jurisdiction: one statement (a
    UNION ALL) fetches both, so that a search costs four queries even when the lexicon must be
    read again."""
    parts = []
    if "arguments" not in plan.skipped:
        ranked = chinese_arguments(plan) if plan.chinese else ranked_arguments(plan)
        parts.append(
            ranked.annotate(
                hit_kind=Value("arguments"),
                hit_title=F("title"),
                hit_a=F("stance"),
                hit_b=F("source__title"),
                hit_c=F("source__authors"),
            )
        )
    if "models" not in plan.skipped:
        ranked = chinese_models(plan) if plan.chinese else ranked_models(plan)
        parts.append(
            ranked.annotate(
                hit_kind=Value("models"),
                hit_title=F("name"),
                hit_a=F("provider"),
                hit_b=F("licence_name"),
                hit_c=Value(""),
            )
        )
    if not parts:
        return [], []
    parts = [part.order_by().values_list(*COLUMNS) for part in parts]
    rows = parts[0].union(*parts[1:], all=True).order_by("hit_kind", "-rank", "pk")
    arguments, models = [], []
    for kind_name, _, slug, title, a, b, c, snippet, rank in rows:
        if kind_name == "arguments":
            arguments.append(
                Hit(
                    kind="Argument",
                    title=title,
                    url=Argument(slug=slug).get_absolute_url(),
                    context=f"{Stance(a).label}; {b}" + (f" ({c})" if c else ""),
                    snippet=plan.marker.mark(snippet),
                    rank=rank,
                )
            )
        else:
            models.append(
                Hit(
                    kind="Model",
                    title=title,
                    url=ModelProfile(slug=slug).get_absolute_url(),
                    context=f"{a}; {b}",
                    snippet=plan.marker.mark(snippet),
                    rank=rank,
                )
            )
    return arguments, models


# The search ----------------------------------------------------------------------------------


def gather(plan: Plan, lex: Lexicon, kind: str | None) -> Results:
    """Each kind's hits under the plan: three queries at most."""
    results = Results(provisions=[], instruments=[], arguments=[], skipped=plan.skipped)
    results.jurisdiction = plan.jurisdiction or None
    results.kind = kind if kind in KINDS else None
    results.jurisdictions = sorted(lex.jurisdictions.items(), key=lambda item: item[1])
    results.typed = plan.asked.typed
    results.message = plan.asked.message
    if "provisions" not in plan.skipped:
        results.provisions = find_provisions(plan)
    if "instruments" not in plan.skipped:
        results.instruments = find_instruments(plan)
    results.arguments, results.models = find_arguments_and_models(plan)
    return results


def english_equivalents(plan: Plan, lex: Lexicon) -> Equivalents | None:
    """A Chinese query's English equivalents (its synonyms without Chinese) and the provisions
    they find: one query, shown as a group of its own."""
    terms = [v for v in plan.asked.variants if not CJK.search(v)]
    if not terms:
        return None
    english = plan_for(" OR ".join(terms), lex, plan.jurisdiction, "provisions")
    english.asked.variants = []  # the equivalents themselves, not their synonyms again
    english.query = SearchQuery(english.asked.text, search_type="websearch", config=CONFIG)
    english.texts_query = english.query
    hits = find_provisions(english)[:EQUIVALENTS_CAP]
    return Equivalents(terms=terms, hits=hits)


def search(
    text: str,
    *,
    jurisdiction: str | None = None,
    kind: str | None = None,
    as_typed: bool = False,
) -> Results:
    """Search the atlas. ``jurisdiction`` (a code) and ``kind`` (a KINDS key) are the facets;
    ``as_typed`` skips the spelling correction. Four queries, eight when a corrected spelling
    is tried (see the module's docstring)."""
    lex = lexicon()
    if jurisdiction and jurisdiction not in lex.jurisdictions:
        jurisdiction = None
    plan = plan_for(text, lex, jurisdiction, kind)
    results = gather(plan, lex, kind)
    if plan.chinese and "provisions" not in plan.skipped:
        results.equivalents = english_equivalents(plan, lex)
    if results.total < FEW and not as_typed and not plan.chinese:
        fixed = spelling.corrected(plan.asked.text)
        if fixed:
            again = gather(plan_for(fixed, lex, jurisdiction, kind), lex, kind)
            if again.total > results.total:
                again.typed, again.searched = text, fixed
                return again
    return results
