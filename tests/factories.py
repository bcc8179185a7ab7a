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


# --- the cases bugs hide in ------------------------------------------------------------------
# A mutation probe (issue #12) planted one-line bugs in the core logic; the ones that survived
# all lived where the usual worlds had no record: a provision that ceases, one without dates of
# its own in an instrument that comes into force after adoption, days before an instrument
# existed, a cell mixing a silence with filtered-out and ended provisions, and drafts reached
# through a published record's parent or children. ``hard_cases`` adds all of them to a world.

LATE_PROPOSED = datetime.date(2021, 4, 21)
LATE_ADOPTED = datetime.date(2024, 6, 13)
LATE_IN_FORCE = datetime.date(2024, 8, 1)
CEASES = datetime.date(2025, 6, 30)
BILL_PROPOSED = datetime.date(2023, 3, 1)
REVOKED_ON = datetime.date(2025, 1, 20)


def hard_cases(*, jurisdiction, topic, mixed_topic, hidden_state=EditorialState.DRAFT, marker=""):
    """Records on ``topic`` in ``jurisdiction`` whose standing changes on known days, plus a
    cell (``mixed_topic``) that holds a silence, a filtered-out provision and an ended one.

    ``marker`` goes into the headings of the unpublished parent and child, so a sweep can
    check that no public page names them.
    """
    marker = marker or "zqhiddenrelative"
    # Proposed 2021, adopted 13 June 2024, in force 1 August 2024: a provision without its own
    # dates is a proposal until adoption, then "applies from 1 Aug 2024", then in force.
    late = instrument(
        jurisdiction=jurisdiction,
        short_title="Late Start Act",
        proposed_on=LATE_PROPOSED,
        adopted_on=LATE_ADOPTED,
        in_force_on=LATE_IN_FORCE,
    )
    undated = provision(
        instrument=late, label="Art. 1", treatment=Treatment.REQUIRES, topics=[topic]
    )
    # Applies from entry into force, ceases on 30 June 2025 (ended on that day, not the next).
    ceasing = provision(
        instrument=late,
        label="Art. 2",
        treatment=Treatment.RESTRICTS,
        applies_from=LATE_IN_FORCE,
        ceases_on=CEASES,
        topics=[topic],
    )
    # A bill: proposed on 1 March 2023, never adopted. Not placed before it was proposed.
    bill = instrument(
        jurisdiction=jurisdiction,
        short_title="Open Models Bill",
        kind=Instrument.Kind.BILL,
        status=LegalStatus.PROPOSED,
        proposed_on=BILL_PROPOSED,
        adopted_on=None,
        in_force_on=None,
    )
    bill_provision = provision(instrument=bill, treatment=Treatment.PROMOTES, topics=[topic])
    # A proposal with no known date at all: it cannot be placed before it existed, so it is
    # shown (as a proposal) on every day.
    dateless = instrument(
        jurisdiction=jurisdiction,
        short_title="Dateless Draft Code",
        kind=Instrument.Kind.BILL,
        status=LegalStatus.PROPOSED,
        adopted_on=None,
        in_force_on=None,
    )
    dateless_provision = provision(instrument=dateless, treatment=Treatment.STUDIES, topics=[topic])
    # Revoked on 20 January 2025.
    revoked = instrument(
        jurisdiction=jurisdiction,
        short_title="Revoked Order",
        kind=Instrument.Kind.EXECUTIVE_ORDER,
        status=LegalStatus.REVOKED,
        adopted_on=datetime.date(2023, 10, 30),
        in_force_on=datetime.date(2023, 10, 30),
        ended_on=REVOKED_ON,
    )
    revoked_provision = provision(
        instrument=revoked, treatment=Treatment.STUDIES, topics=[topic, mixed_topic]
    )
    # The mixed cell: a silence, a provision any treatment filter but "defines" hides, and the
    # revoked provision above (ended after 20 January 2025).
    mixed_silence = silence(
        jurisdiction=jurisdiction,
        topics=[mixed_topic],
        statement="No text of this mixed cell mentions open-source models.",
    )
    defining = provision(
        instrument=late, label="Art. 9", treatment=Treatment.DEFINES, topics=[mixed_topic]
    )
    # Drafts through relations: a published provision whose parent is unpublished, and a
    # published provision with an unpublished child.
    hidden_parent = provision(
        instrument=late, label="Art. 5", state=hidden_state, heading=f"Parent {marker}"
    )
    child_of_hidden = provision(instrument=late, label="Art. 5(1)", parent=hidden_parent)
    hidden_child = provision(
        instrument=late,
        label="Art. 1(1)",
        parent=undated,
        state=hidden_state,
        heading=f"Child {marker}",
    )
    published_child = provision(
        instrument=late, label="Art. 1(2)", parent=undated, heading="Shown child"
    )
    return {
        "late": late,
        "undated": undated,
        "ceasing": ceasing,
        "bill": bill,
        "bill_provision": bill_provision,
        "dateless": dateless,
        "dateless_provision": dateless_provision,
        "revoked": revoked,
        "revoked_provision": revoked_provision,
        "mixed_silence": mixed_silence,
        "defining": defining,
        "hidden_parent": hidden_parent,
        "child_of_hidden": child_of_hidden,
        "hidden_child": hidden_child,
        "published_child": published_child,
    }
