"""Compare the texts: the official words of one policy question's provisions, one column per
jurisdiction, side by side.

A jurisdiction's column holds its own provisions and those of its parts (California under the
United States), each with the texts in force on the day, then any finding of silence with the
texts that were read. A jurisdiction with neither gets no column (an empty column was most of
the page): the page names it as not yet reviewed, for silence and "not reviewed" are different
facts. In a column, the provision that answers the question comes first (the matrix's headline
rule, comparisons/web/headline.py). Everything is read in a fixed number of queries.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from comparisons.models import Comparison, ComparisonColumn
from comparisons.web.headline import answer_first
from provisions.models import (
    EditorialState,
    Instrument,
    Jurisdiction,
    Provision,
    ProvisionText,
    Silence,
    StatusBadge,
    Topic,
)
from provisions.models.provisions import badge_words
from provisions.models.texts import in_force_on
from provisions.queries import published_texts
from provisions.textmarkup import parse


@dataclass
class ProvisionTexts:
    provision: Provision
    badge_label: str
    texts: list[ProvisionText]
    ended: bool = False


@dataclass
class Column:
    jurisdiction: Jurisdiction
    provisions: list[ProvisionTexts] = field(default_factory=list)
    silences: list[Silence] = field(default_factory=list)


@dataclass
class TextComparison:
    topic: Topic
    columns: list[Column]
    choices: list[Jurisdiction]
    ignored: list[str]
    # Chosen, but with neither a provision nor a finding of silence on the question.
    unreviewed: list[Jurisdiction] = field(default_factory=list)


def lead_as_in_the_matrix(entries: list[ProvisionTexts]) -> None:
    """Of the provisions that answer equally well, the one the matrix's cell leads with heads
    the column: the matrix breaks ties by its own order (the earliest adopted instrument, then
    the article), where this page lists the newest instrument first."""
    if not entries or entries[0].ended:
        return
    best = answer_first(entries[0].provision)
    tied = [e for e in entries if not e.ended and answer_first(e.provision) == best]
    lead = min(
        tied,
        key=lambda e: (
            e.provision.instrument.adopted_on or datetime.date.max,
            e.provision.order,
            e.provision.pk,
        ),
    )
    entries.remove(lead)
    entries.insert(0, lead)


def default_codes() -> list[str]:
    """The home matrix's columns (US, EU, China): the page a reader comes from (1 query)."""
    home = Comparison.objects.published().filter(is_home=True)
    return list(
        ComparisonColumn.objects.filter(comparison__in=home[:1], jurisdiction__parent__isnull=True)
        .order_by("order", "pk")
        .values_list("jurisdiction__code", flat=True)
    )


def compare_texts(topic: Topic, codes: list[str], day: datetime.date) -> TextComparison:
    """The columns for ``codes`` (top-level jurisdiction codes, in the order given; the home
    matrix's when empty, or all of them without a home matrix). Unknown codes are returned in
    ``ignored``."""
    choices = list(Jurisdiction.objects.filter(parent__isnull=True).order_by("order", "name"))
    by_code = {j.code: j for j in choices}
    wanted = list(dict.fromkeys(codes)) or default_codes()
    ignored = [code for code in wanted if code not in by_code]
    chosen = [by_code[code] for code in wanted if code in by_code] or choices
    columns = {j.pk: Column(j) for j in chosen}

    in_chosen = Q(instrument__jurisdiction__in=chosen) | Q(
        instrument__jurisdiction__parent__in=chosen
    )
    provisions = (
        Provision.objects.public()
        .filter(in_chosen, topics=topic)
        .select_related("instrument__jurisdiction")
        .prefetch_related(published_texts())
        .order_by("instrument__jurisdiction__order", "-instrument__adopted_on", "order", "pk")
    )
    for provision in provisions:
        jurisdiction = provision.instrument.jurisdiction
        column = columns.get(jurisdiction.pk) or columns.get(jurisdiction.parent_id)
        texts = in_force_on(provision.public_texts, day)
        for n, text in enumerate(texts):
            text.blocks = parse(text.body, f"p{provision.pk}-{'' if n == 0 else f't{n}-'}")
        badge, since = provision.status_on(day)
        label = badge_words(badge, since, dated=False)
        ended = badge in (StatusBadge.ENDED, StatusBadge.PROPOSAL)
        column.provisions.append(ProvisionTexts(provision, label, texts, ended))

    silences = (
        Silence.objects.published()
        .filter(Q(jurisdiction__in=chosen) | Q(jurisdiction__parent__in=chosen), topics=topic)
        .select_related("jurisdiction")
        .prefetch_related(
            Prefetch(
                "instruments",
                Instrument.objects.filter(state=EditorialState.PUBLISHED).select_related(
                    "jurisdiction"
                ),
            )
        )
    )
    for silence in silences:
        column = columns.get(silence.jurisdiction_id) or columns.get(silence.jurisdiction.parent_id)
        column.silences.append(silence)
    for column in columns.values():
        # What is in force first, the provision that answers the question at its head; ended
        # and proposed texts after it (a stable sort: otherwise the instruments' order).
        column.provisions.sort(key=lambda entry: (entry.ended, *answer_first(entry.provision)))
        lead_as_in_the_matrix(column.provisions)
    shown = [column for column in columns.values() if column.provisions or column.silences]
    unreviewed = [column.jurisdiction for column in columns.values() if column not in shown]
    return TextComparison(topic, shown, choices, ignored, unreviewed)
