"""Public pages for curated records: provisions, instruments, jurisdictions, arguments.

Only published records are shown (provisions also need a published instrument); anything else is
a 404. Each view loads what its page shows in a fixed number of queries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    QueryDict,
)
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from comparisons.matrix.build import badge_label, cell_id, condition_names
from comparisons.records.argument_filters import ArgumentFilter, argument_facets
from comparisons.records.citations import (
    bibtex_citation,
    bluebook_citation,
    official_citation,
    oscola_citation,
    plain_citation,
    ris_citation,
)
from comparisons.records.versions import redline_link
from comparisons.timeline.developments import developments_of, events_in_order
from comparisons.web.fragments import render_page_or_fragment, vary_on_fragment, wants_fragment
from comparisons.web.nearest import nearest
from comparisons.web.pagecache import cached_page, understood
from provisions import withdrawals
from provisions.models import (
    DatePrecision,
    EarlierLabel,
    EditorialState,
    Instrument,
    InstrumentEvent,
    InstrumentRelation,
    Jurisdiction,
    Provision,
    ProvisionText,
    Stance,
    Topic,
    Verification,
)
from provisions.models.arguments import Argument
from provisions.models.provisions import badge_words
from provisions.models.texts import authentic_text, in_force_on
from provisions.queries import (
    previewed_texts,
    public_argument_links,
    public_arguments,
    public_silences,
    published_texts,
)
from provisions.textmarkup import parse

PUBLISHED = EditorialState.PUBLISHED
ARGUMENTS_PER_PAGE = 50


def gone_page(
    request: HttpRequest, withdrawal: withdrawals.Withdrawal | None
) -> HttpResponse | None:
    """The 410 page (provisions/withdrawals.py), or None: the address never held a public record."""
    if withdrawal is None:
        return None
    return render(request, "comparisons/withdrawn.html", {"withdrawal": withdrawal}, status=410)


def provision_page(
    request: HttpRequest, jurisdiction: str, instrument: str, provision: str, *, among=None
) -> HttpResponse:
    """A provision's page. ``among``: the editors' preview (records/preview.py) renders a draft
    through this, uncached, with the draft's own texts, parts and arguments (a reviewer approves
    what they see); the public route is ``provision_detail``."""
    preview = among is not None
    found = (
        (Provision.objects.public() if among is None else among)
        .filter(
            instrument__jurisdiction__code=jurisdiction,
            instrument__slug=instrument,
            slug=provision,
        )
        .select_related("instrument__jurisdiction", "parent")
        # The conditions' names only (all the page shows of them): an array in this query,
        # not a prefetch query of their own.
        .annotate(condition_names=condition_names())
        .prefetch_related(
            Prefetch(
                "children",
                (
                    Provision.objects.exclude(state=EditorialState.WITHDRAWN)
                    if preview
                    else Provision.objects.published()
                ).order_by("order", "pk"),
            ),
            "components",
            "topics",
            "earlier_labels",
            public_argument_links("argument__stance", "argument__title", preview=preview),
            previewed_texts() if preview else published_texts(),
            # The acts that amend its instrument: the JSON-LD names the one an amended
            # version of the text is based on (web/templatetags/sharing.py).
            Prefetch(
                "instrument__relations_to",
                InstrumentRelation.objects.filter(
                    kind=InstrumentRelation.Kind.AMENDS, source__state=PUBLISHED
                ).select_related("source__jurisdiction"),
                to_attr="amended_by",
            ),
        )
        .first()
    )
    if found is None:
        withdrawn = withdrawals.find_provision(jurisdiction, instrument, provision)
        if gone := gone_page(request, withdrawn):
            return gone  # 410: a withdrawn record keeps its address
        return redirect_from_earlier_label(jurisdiction, instrument, provision, request)
    as_of, as_of_ignored = as_of_date(request)
    understood(request, QueryDict(f"as_of={as_of.isoformat()}" if as_of else ""))

    parent = found.parent if found.parent and (preview or found.parent.is_published) else None
    if parent:
        parent.instrument = found.instrument  # same instrument (a DB rule): no extra query
    today = timezone.localdate()
    day = as_of or today
    badge, badge_date = found.status_on(day)
    permalink = request.build_absolute_uri(found.get_absolute_url())
    texts = shown_texts(found.public_texts, day)
    authentic = authentic_text(texts.all, day)
    arguments_by_stance = defaultdict(list)
    for link in found.public_argument_links:
        arguments_by_stance[link.argument.stance].append(link)
    code = found.instrument.jurisdiction.code
    context = {
        "provision": found,
        "instrument": found.instrument,
        "jurisdiction": found.instrument.jurisdiction,
        "parent": parent,
        "badge": badge,
        "badge_label": badge_label(badge, badge_date),
        "badge_date": badge_date,
        "today": today,
        "day": day,
        "as_of": as_of,
        "as_of_ignored": as_of_ignored,
        "texts": texts,
        "permalink": permalink,
        "official_citation": official_citation(found, authentic),
        "neighbours": neighbours(found),
        "redline": redline_link(found, texts.all, texts.current, found.instrument.amended_by),
        "citations": [
            (key, label, build(found, permalink, today, authentic))
            for key, label, build in CITATION_STYLES
        ],
        "argument_groups": [
            (label, arguments_by_stance[value])
            for value, label in Stance.choices
            if arguments_by_stance[value]
        ],
        "elsewhere_topics": [(t, cell_id(t.slug, code)) for t in found.topics.all()],
        "elsewhere_components": [(c, cell_id(c.slug, code)) for c in found.components.all()],
    }
    return render(request, "comparisons/provision.html", context)


# ?as_of= changes the page: it must be part of the cache key.
provision_detail = require_safe(cached_page(provision_page, params=("as_of",)))


CITATION_STYLES = [
    ("plain", "Plain text", plain_citation),
    ("oscola", "OSCOLA", oscola_citation),
    ("bluebook", "Bluebook", bluebook_citation),
    ("bibtex", "BibTeX", bibtex_citation),
    ("ris", "RIS (EndNote, Zotero, Mendeley)", ris_citation),
]


def as_of_date(request: HttpRequest) -> tuple[datetime.date | None, bool]:
    """``?as_of=YYYY-MM-DD``: the day the page shows the law as of. A bad date is ignored (and
    the page says so), never an error."""
    raw = request.GET.get("as_of", "")
    if not raw:
        return None, False
    try:
        return datetime.date.fromisoformat(raw), False
    except ValueError:
        return None, True


@dataclass
class ShownTexts:
    """The texts a provision page shows: those in force on the day, and the other versions."""

    all: list[ProvisionText]
    current: list[ProvisionText]
    other_versions: list[ProvisionText]

    @property
    def side_by_side(self) -> bool:
        return len(self.current) > 1


def shown_texts(texts: list[ProvisionText], day: datetime.date) -> ShownTexts:
    """Each text gets its blocks; the first in force keeps plain anchors (#point-a), the others
    are prefixed (#en-point-a, #v7-point-a) so that every id on the page is unique."""
    current = in_force_on(texts, day)
    others = [t for t in texts if t not in current]
    prefixes = {""}
    for n, text in enumerate(current):
        prefix = "" if n == 0 else f"{text.language.lower()}-"
        if prefix in prefixes and n:
            prefix = f"t{text.pk}-"
        prefixes.add(prefix)
        text.blocks = parse(text.body, prefix)
    for text in others:
        text.blocks = parse(text.body, f"v{text.pk}-")
    return ShownTexts(all=texts, current=current, other_versions=others)


def redirect_from_earlier_label(
    jurisdiction: str, instrument: str, slug: str, request: HttpRequest
) -> HttpResponse:
    """Old links keep working: an earlier label answers 301 to the provision's current URL."""
    earlier = (
        EarlierLabel.objects.filter(
            instrument__jurisdiction__code=jurisdiction,
            instrument__slug=instrument,
            slug=slug,
            provision__in=Provision.objects.public(),
        )
        .select_related("provision__instrument__jurisdiction")
        .first()
    )
    if earlier is not None:
        return HttpResponsePermanentRedirect(earlier.provision.get_absolute_url())
    # A hand-written variant (art-52c-2, article-53-2) of one provision's slug or earlier slug.
    meant, suggestions = nearest(jurisdiction, instrument, slug)
    if meant is not None:
        return HttpResponsePermanentRedirect(meant.get_absolute_url())
    return not_found_with_suggestions(request, suggestions)


def not_found_with_suggestions(request: HttpRequest, suggestions: list) -> HttpResponse:
    """The site's 404 page, with the provisions nearest to the address asked for."""
    return render(request, "404.html", {"suggestions": suggestions}, status=404)


def in_document_order(provisions: list[Provision]) -> list[Provision]:
    """The instrument's contents as the table of contents reads them: each provision, then
    its parts."""

    def walk(nodes):
        for node in nodes:
            yield node.provision
            yield from walk(node.children)

    return list(walk(table_of_contents(provisions)))


@dataclass
class Neighbours:
    previous: Provision | None
    next: Provision | None


def neighbours(provision: Provision) -> Neighbours:
    """The provisions before and after this one in its instrument's contents (one query: the
    instrument's published provisions, their labels only)."""
    contents = list(
        Provision.objects.published()
        .filter(instrument_id=provision.instrument_id)
        .only("pk", "parent_id", "order", "label", "slug", "instrument_id")
        .order_by("order", "pk")
    )
    for p in contents:
        p.instrument = provision.instrument  # their URLs without another query
    ordered = in_document_order(contents)
    where = next((n for n, p in enumerate(ordered) if p.pk == provision.pk), None)
    if where is None:  # a draft, previewed: not in the published contents
        return Neighbours(None, None)
    before = ordered[where - 1] if where > 0 else None
    after = ordered[where + 1] if where + 1 < len(ordered) else None
    return Neighbours(before, after)


@dataclass
class TocNode:
    provision: Provision
    children: list["TocNode"]


def table_of_contents(provisions: list[Provision]) -> list[TocNode]:
    """Nest the instrument's provisions; one whose parent is not shown goes to the top."""
    nodes = {p.pk: TocNode(p, []) for p in provisions}
    roots = []
    for p in provisions:
        node = nodes[p.pk]
        if p.parent_id in nodes:
            nodes[p.parent_id].children.append(node)
        else:
            roots.append(node)
    return roots


@dataclass
class TimelineItem:
    date: object
    description: str
    source_url: str = ""
    precision: str = DatePrecision.DAY
    verification: str = Verification.UNVERIFIED


def timeline(instrument: Instrument, events: list[InstrumentEvent]) -> list[TimelineItem]:
    """The instrument's dates and its recorded events, oldest first.

    An event on the same day as a date field says more (and has a source), so the bare date
    item gives way to it.
    """
    items = [
        TimelineItem(e.date, e.description, e.source_url, e.date_precision, e.verification)
        for e in events
    ]
    event_days = {e.date for e in events}
    ended = ""
    if instrument.ended_on:
        ended_by = instrument.ended_by
        by = f" by {ended_by.short_title}" if ended_by and ended_by.is_published else ""
        ended = f"{instrument.get_status_display()}{by}"
    # The instrument's own dates were checked with it: they carry its verification level.
    for day, description, precision in (
        (instrument.proposed_on, "Proposed", DatePrecision.DAY),
        (instrument.adopted_on, "Adopted or issued", instrument.adopted_on_precision),
        (instrument.in_force_on, "In force", DatePrecision.DAY),
        (instrument.ended_on, ended, DatePrecision.DAY),
    ):
        if day and day not in event_days:
            items.append(TimelineItem(day, description, "", precision, instrument.verification))
    return sorted(items, key=lambda item: item.date)


def instrument_page(
    request: HttpRequest, jurisdiction: str, instrument: str, *, among=None
) -> HttpResponse:
    """An instrument's page (drafts are previewed through it; public: ``instrument_detail``)."""
    found = (
        (Instrument.objects.published() if among is None else among)
        .filter(jurisdiction__code=jurisdiction, slug=instrument)
        .select_related("jurisdiction", "ended_by")
        .prefetch_related(
            Prefetch("provisions", Provision.objects.published().order_by("order", "pk")),
            "events",
            Prefetch(
                "relations_from",
                InstrumentRelation.objects.filter(target__state=PUBLISHED).select_related(
                    "target__jurisdiction"
                ),
            ),
            Prefetch(
                "relations_to",
                InstrumentRelation.objects.filter(source__state=PUBLISHED).select_related(
                    "source__jurisdiction"
                ),
            ),
        )
        .first()
    )
    if found is None:
        withdrawn = withdrawals.find_instrument(jurisdiction, instrument)
        if gone := gone_page(request, withdrawn):
            return gone
        raise Http404("No such instrument.")
    provisions = list(found.provisions.all())
    today = timezone.localdate()
    for p in provisions:
        p.instrument = found  # citations and URLs without another query
        badge, day = p.status_on(today)
        p.badge, p.badge_text = badge, badge_words(badge, day, dated=False)  # its standing
    context = {
        "instrument": found,
        "jurisdiction": found.jurisdiction,
        "toc": table_of_contents(provisions),
        "timeline": timeline(found, list(found.events.all())),
        "relations_from": list(found.relations_from.all()),
        "relations_to": list(found.relations_to.all()),
    }
    return render(request, "comparisons/instrument.html", context)


instrument_detail = require_safe(cached_page(instrument_page))


@dataclass
class Answer:
    """How a jurisdiction answers one policy question: its provisions, else the texts read and
    found silent, else nothing reviewed yet."""

    topic: Topic
    provisions: list
    silences: list

    @property
    def state(self) -> str:
        if self.provisions:
            return "provisions"
        return "silent" if self.silences else "unreviewed"


def grouped(found: list[Answer]) -> dict[str, list[Answer]]:
    by_state = {"provisions": [], "silent": [], "unreviewed": []}
    for answer in found:
        by_state[answer.state].append(answer)
    return {
        "answered": by_state["provisions"],
        "silent_answers": by_state["silent"],
        "unreviewed_answers": by_state["unreviewed"],
    }


def answers(topics, provisions, silences) -> list[Answer]:
    result = []
    for topic in topics:
        named = [p for p in provisions if topic.pk in p.topic_ids]
        covering = [s for s in silences if topic.pk in s.topic_ids] + [
            s for s in silences if not s.topic_ids
        ]
        result.append(Answer(topic, named, [] if named else covering))
    return result


LATEST_DEVELOPMENTS = 6

# ISO 3166-1 codes (alpha-2 where ours differ, and alpha-3) that readers type for a jurisdiction
# whose code in the atlas is another: /gb/ and /gbr/ are the United Kingdom's /uk/. Only the
# codes of jurisdictions the atlas may hold; a jurisdiction whose code is the alias wins.
ISO_ALIASES = {
    "gb": "uk",
    "gbr": "uk",
    "usa": "us",
    "chn": "cn",
    "kor": "kr",
    "jpn": "jp",
    "bra": "br",
    "ind": "in",
    "can": "ca",
    "sgp": "sg",
}


@require_safe
@cached_page
def jurisdiction_detail(request: HttpRequest, jurisdiction: str) -> HttpResponse:
    """The jurisdiction's profile: its approach in two sentences, its instruments and their
    legal lives, every policy question answered, the arguments and the latest developments."""
    found = (
        Jurisdiction.objects.filter(code=jurisdiction)
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "instruments",
                Instrument.objects.published()
                .order_by("-adopted_on", "title")
                .prefetch_related(events_in_order()),
            ),
            Prefetch(
                "silences",
                public_silences().prefetch_related("topics"),
            ),
            "children",
        )
        .first()
    )
    if found is None:
        alias = Jurisdiction.objects.filter(code=ISO_ALIASES.get(jurisdiction.lower())).first()
        if alias is not None:
            return HttpResponsePermanentRedirect(alias.get_absolute_url())
        raise Http404("No such jurisdiction.")
    today = timezone.localdate()
    provisions = list(
        Provision.objects.public()
        .filter(instrument__jurisdiction=found)
        .select_related("instrument")
        .annotate(
            topic_ids=ArraySubquery(
                Provision.topics.through.objects.filter(provision_id=OuterRef("pk")).values(
                    "topic_id"
                )
            )
        )
        .order_by("instrument__title", "order", "pk")
    )
    for p in provisions:
        p.instrument.jurisdiction = found  # URLs without another query
        badge, day = p.status_on(today)
        p.badge, p.badge_text = badge, badge_words(badge, day, dated=False)
    silences = list(found.silences.all())
    arguments = list(
        Argument.objects.published()
        .filter(provision_links_for_profile(provisions))
        .select_related("source")
        .distinct()
        .order_by("stance", "title")
    )
    instruments = list(found.instruments.all())
    for instrument in instruments:
        instrument.jurisdiction = found  # no query per instrument
    latest = [d for d in developments_of(instruments) if d.date <= today]
    latest = latest[-LATEST_DEVELOPMENTS:]
    context = {
        "jurisdiction": found,
        "instruments": instruments,
        "silences": silences,
        # Questions answered one by one; those the texts are silent on, or not yet reviewed
        # on, each in one line (one paragraph repeated eleven times said less).
        **grouped(answers(Topic.objects.order_by("order", "name", "pk"), provisions, silences)),
        "arguments": arguments,
        "latest": list(reversed(latest)),
        "children": list(found.children.all()),
        "today": today,
    }
    return render(request, "comparisons/jurisdiction.html", context)


def provision_links_for_profile(provisions) -> Q:
    return Q(argumentprovision__provision__in=[p.pk for p in provisions])


@require_safe
@vary_on_fragment
@cached_page(params=(*ArgumentFilter.base_filters, "page"))
def argument_list(request: HttpRequest) -> HttpResponse:
    filterset = ArgumentFilter(request.GET)
    facets = argument_facets(filterset)
    fragment = wants_fragment(request)
    # get_page() turns a missing, garbage or out-of-range page number into a real page.
    page = Paginator(facets.matching, ARGUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = filterset.cleaned_query()
    asked_page = query.copy()
    if "page" in request.GET:
        asked_page["page"] = str(page.number)
    understood(request, asked_page)
    context = {
        "filterset": filterset,
        "facets": facets,
        "page": page,
        "page_query": query.urlencode(),
        "fragment": fragment,
    }
    return render_page_or_fragment(
        request, "comparisons/argument_list.html", "arguments", context, fragment
    )


@require_safe
@cached_page
def argument_detail(request: HttpRequest, slug: str) -> HttpResponse:
    found = public_arguments().filter(slug=slug).first()
    if found is None:
        if gone := gone_page(request, withdrawals.find_argument(slug)):
            return gone
        raise Http404("No such argument.")
    return render(request, "comparisons/argument.html", {"argument": found})
