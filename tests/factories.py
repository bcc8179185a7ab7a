"""Builders for published test data. Plain functions: each takes keyword overrides.

Everything is published and sourced unless a test says otherwise, because that is what the public
pages show. Slugs and codes are made unique with a counter so builders can be called freely.
"""

import datetime
import itertools

from comparisons.models import Comparison, ComparisonColumn
from provisions.models import (
    Argument,
    ArgumentComponent,
    ArgumentProvision,
    ArgumentTopic,
    Component,
    Condition,
    EarlierLabel,
    EditorialState,
    EvidenceKind,
    Instrument,
    InstrumentEvent,
    InstrumentRelation,
    Jurisdiction,
    LegalStatus,
    LinkStance,
    Provision,
    Silence,
    Source,
    Stance,
    Topic,
    Treatment,
    Verification,
)

_counter = itertools.count(1)
CHECKED = datetime.date(2026, 11, 1)


def _n() -> int:
    return next(_counter)


def sourced(**overrides):
    return {
        "source_url": "https://example.org/source",
        "checked_on": CHECKED,
        "verification": Verification.OFFICIAL,
        **overrides,
    }


def published(**overrides):
    return {"state": EditorialState.PUBLISHED, **sourced(**overrides)}


def jurisdiction(**overrides) -> Jurisdiction:
    n = _n()
    fields = {"code": f"j{n}", "name": f"Jurisdiction {n}", "short_name": f"J{n}", "order": n}
    fields.update(overrides)
    return Jurisdiction.objects.create(**fields)


def topic(**overrides) -> Topic:
    n = _n()
    fields = {"slug": f"topic-{n}", "name": f"Topic {n}", "question": f"Question {n}?", "order": n}
    fields.update(overrides)
    return Topic.objects.create(**fields)


def component(**overrides) -> Component:
    n = _n()
    fields = {"slug": f"component-{n}", "name": f"Component {n}", "order": n}
    fields.update(overrides)
    return Component.objects.create(**fields)


def condition(**overrides) -> Condition:
    n = _n()
    fields = {"slug": f"condition-{n}", "name": f"Condition {n}", "order": n}
    fields.update(overrides)
    return Condition.objects.create(**fields)


def instrument(**overrides) -> Instrument:
    n = _n()
    fields = published(
        slug=f"instrument-{n}",
        title=f"Instrument number {n}",
        short_title=f"Instr {n}",
        kind=Instrument.Kind.LAW,
        binding=True,
        status=LegalStatus.IN_FORCE,
        adopted_on=datetime.date(2024, 6, 13),
        in_force_on=datetime.date(2024, 8, 1),
        summary="An instrument for tests.",
    )
    fields.update(overrides)
    if "jurisdiction" not in fields:
        fields["jurisdiction"] = jurisdiction()
    return Instrument.objects.create(**fields)


def provision(*, topics=(), components=(), conditions=(), **overrides) -> Provision:
    n = _n()
    fields = published(
        kind=Provision.Kind.ARTICLE,
        label=f"Art. {n}",
        slug=f"art-{n}",
        order=n,
        summary=f"Summary of provision {n}.",
        treatment=Treatment.EXEMPTS,
    )
    fields.update(overrides)
    if "instrument" not in fields:
        fields["instrument"] = instrument()
    made = Provision.objects.create(**fields)
    made.topics.set(topics)
    made.components.set(components)
    made.conditions.set(conditions)
    return made


def earlier_label(provision: Provision, **overrides) -> EarlierLabel:
    n = _n()
    fields = {
        "label": f"Art. old-{n}",
        "slug": f"art-old-{n}",
        "text_version": "Council compromise text, 2 Feb 2024",
        "verification": Verification.OFFICIAL,
        "source_url": "https://example.org/old",
    }
    fields.update(overrides)
    return EarlierLabel.objects.create(provision=provision, **fields)


def silence(*, jurisdiction, topics=(), components=(), **overrides) -> Silence:
    fields = published(
        statement="No text mentions open-source models.",
        scope="Every regulation from 2019 to 2023.",
        reviewed_on=datetime.date(2026, 10, 1),
    )
    fields.update(overrides)
    made = Silence.objects.create(jurisdiction=jurisdiction, **fields)
    made.topics.set(topics)
    made.components.set(components)
    return made


def comparison(*, jurisdictions, topics=(), components=(), **overrides) -> Comparison:
    n = _n()
    fields = {
        "slug": f"comparison-{n}",
        "title": f"Comparison {n}",
        "state": EditorialState.PUBLISHED,
        "rows": Comparison.Rows.TOPICS,
    }
    fields.update(overrides)
    made = Comparison.objects.create(**fields)
    for order, j in enumerate(jurisdictions):
        ComparisonColumn.objects.create(comparison=made, jurisdiction=j, order=order)
    made.topics.set(topics)
    made.components.set(components)
    return made


def source(**overrides) -> Source:
    n = _n()
    fields = {
        "title": f"Paper {n}",
        "authors": "A. Author, B. Author",
        "published_on": datetime.date(2024, 2, 27),
        "url": f"https://example.org/paper-{n}",
        "verification": Verification.OFFICIAL,
    }
    fields.update(overrides)
    return Source.objects.create(**fields)


def argument(*, provisions=(), topics=(), components=(), **overrides) -> Argument:
    n = _n()
    fields = published(
        slug=f"argument-{n}",
        title=f"Claim number {n}",
        stance=Stance.FOR,
        evidence_kind=EvidenceKind.EMPIRICAL,
        summary=f"Summary of argument {n}.",
    )
    fields.update(overrides)
    if "source" not in fields:
        fields["source"] = source()
    made = Argument.objects.create(**fields)
    for p in provisions:
        ArgumentProvision.objects.create(argument=made, provision=p, stance=LinkStance.SUPPORTS)
    for t in topics:
        ArgumentTopic.objects.create(argument=made, topic=t, stance=LinkStance.INFORMS)
    for c in components:
        ArgumentComponent.objects.create(argument=made, component=c, stance=LinkStance.INFORMS)
    return made


def event(instrument: Instrument, **overrides) -> InstrumentEvent:
    fields = {"date": datetime.date(2025, 8, 2), "description": "Obligations start to apply."}
    fields.update(overrides)
    return InstrumentEvent.objects.create(instrument=instrument, **fields)


def relation(source: Instrument, kind: str, target: Instrument, **overrides):
    return InstrumentRelation.objects.create(source=source, kind=kind, target=target, **overrides)
