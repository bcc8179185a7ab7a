"""Small builders for the open-data tests: published and draft records with valid sources.

Plain functions, not fixtures, so a test says in its own body what world it sets up. The
records are made up for tests (``example.org`` sources); they are never legal facts.
"""

import datetime
import itertools

from provisions.models import (
    Argument,
    ArgumentProvision,
    ArgumentTopic,
    Component,
    Condition,
    Instrument,
    Jurisdiction,
    Provision,
    Silence,
    Source,
    Topic,
)
from provisions.models.editorial import EditorialState, Verification

CHECKED = datetime.date(2026, 1, 15)
_serial = itertools.count(1)

SOURCED = {
    "source_url": "https://example.org/official",
    "checked_on": CHECKED,
    "verification": Verification.OFFICIAL,
}


def jurisdiction(code: str = "", **fields) -> Jurisdiction:
    code = code or f"j{next(_serial)}"
    defaults = {"name": f"Jurisdiction {code.upper()}", "short_name": code.upper()}
    return Jurisdiction.objects.create(code=code, **(defaults | fields))


def topic(slug: str = "", **fields) -> Topic:
    slug = slug or f"topic-{next(_serial)}"
    defaults = {"name": slug.replace("-", " ").capitalize(), "question": f"What about {slug}?"}
    return Topic.objects.create(slug=slug, **(defaults | fields))


def component(slug: str = "", **fields) -> Component:
    slug = slug or f"component-{next(_serial)}"
    return Component.objects.create(slug=slug, **({"name": slug.capitalize()} | fields))


def condition(slug: str = "", **fields) -> Condition:
    slug = slug or f"condition-{next(_serial)}"
    return Condition.objects.create(slug=slug, **({"name": slug.capitalize()} | fields))


def instrument(jurisdiction: Jurisdiction, slug: str = "", *, published=True, **fields):
    slug = slug or f"instrument-{next(_serial)}"
    defaults = {
        "title": f"Test instrument {slug}",
        "short_title": f"TI {slug}",
        "kind": Instrument.Kind.LAW,
        "binding": True,
        "status": "in_force",
        "adopted_on": datetime.date(2024, 6, 13),
        "in_force_on": datetime.date(2024, 8, 1),
        "state": EditorialState.PUBLISHED if published else EditorialState.DRAFT,
        **SOURCED,
    }
    return Instrument.objects.create(jurisdiction=jurisdiction, slug=slug, **(defaults | fields))


def provision(instrument: Instrument, slug: str = "", *, published=True, topics=(), **fields):
    slug = slug or f"art-{next(_serial)}"
    defaults = {
        "kind": Provision.Kind.ARTICLE,
        "label": f"Art. {slug}",
        "summary": f"Summary of {slug}.",
        "treatment": "exempts",
        "state": EditorialState.PUBLISHED if published else EditorialState.DRAFT,
        **SOURCED,
    }
    made = Provision.objects.create(instrument=instrument, slug=slug, **(defaults | fields))
    made.topics.set(topics)
    return made


def source(**fields) -> Source:
    defaults = {
        "title": f"Source {next(_serial)}",
        "authors": "A. Author",
        "url": "https://example.org/paper",
        "published_on": datetime.date(2025, 3, 1),
        "verification": Verification.SECONDARY,
    }
    return Source.objects.create(**(defaults | fields))


def argument(slug: str = "", *, published=True, provisions=(), topics=(), **fields):
    slug = slug or f"argument-{next(_serial)}"
    defaults = {
        "title": f"Claim {slug}",
        "stance": "for",
        "evidence_kind": "analysis",
        "summary": f"Why {slug} holds.",
        "state": EditorialState.PUBLISHED if published else EditorialState.DRAFT,
        **SOURCED,
    }
    if "source" not in fields:
        fields["source"] = source()
    made = Argument.objects.create(slug=slug, **(defaults | fields))
    for p in provisions:
        ArgumentProvision.objects.create(argument=made, provision=p, stance="supports")
    for t in topics:
        ArgumentTopic.objects.create(argument=made, topic=t, stance="informs")
    return made


def silence(jurisdiction: Jurisdiction, *, published=True, **fields) -> Silence:
    defaults = {
        "statement": "No text reviewed mentions open-source models.",
        "scope": "Every published regulation of 2024.",
        "reviewed_on": CHECKED,
        "state": EditorialState.PUBLISHED if published else EditorialState.DRAFT,
        **SOURCED,
    }
    return Silence.objects.create(jurisdiction=jurisdiction, **(defaults | fields))


def world(size: int = 1):
    """``size`` jurisdictions, each with one published instrument of ``size`` provisions.

    Every provision is on every topic and every component, and has an argument, so the
    relations are as wide as the data: what N+1 query bugs need to show.
    """
    topics = [topic() for _ in range(size)]
    components = [component() for _ in range(size)]
    provisions = []
    for _ in range(size):
        place = jurisdiction()
        law = instrument(place)
        for _ in range(size):
            made = provision(law, topics=topics)
            made.components.set(components)
            provisions.append(made)
    for made in provisions:
        argument(provisions=[made], topics=topics)
    return provisions
