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


def matrix_world():
    """A home comparison over three jurisdictions with provisions of every kind of standing.

    Built with the pages' own factories (tests/factories.py). Every provision is on a topic of
    the comparison, so the cells show exactly the provisions that pass the filters.
    """
    from tests import factories as f

    eu = f.jurisdiction(code="eu", name="European Union", short_name="EU", order=1)
    us = f.jurisdiction(code="us", name="United States", short_name="US", order=2)
    cn = f.jurisdiction(code="cn", name="China", short_name="China", order=3)
    exemptions = f.topic(slug="exemptions", name="Exemptions", question="Are open models exempt?")
    export = f.topic(slug="export-controls", name="Export controls", question="Controlled?")
    weights = f.component(slug="weights", name="Model weights")
    data = f.component(slug="data", name="Training data")
    monetised = f.condition(slug="not-monetised", name="Not monetised")
    ai_act = f.instrument(
        jurisdiction=eu,
        slug="ai-act",
        short_title="AI Act",
        title="Artificial Intelligence Act",
        identifier="Regulation (EU) 2024/1689",
    )
    art_53 = f.provision(
        instrument=ai_act,
        label="Art. 53(2)",
        slug="art-53-2",
        summary="Open-source GPAI providers are exempt from documentation duties.",
        treatment="exempts_conditionally",
        topics=[exemptions],
        components=[weights],
        conditions=[monetised],
        applies_from=datetime.date(2025, 8, 2),
    )
    art_2 = f.provision(
        instrument=ai_act,
        label="Art. 2(12)",
        slug="art-2-12",
        treatment="exempts",
        topics=[exemptions, export],
        components=[weights, data],
    )
    f.provision(instrument=ai_act, slug="art-draft", state=EditorialState.DRAFT, topics=[export])
    eo = f.instrument(
        jurisdiction=us,
        slug="eo-14110",
        short_title="EO 14110",
        kind=Instrument.Kind.EXECUTIVE_ORDER,
        adopted_on=datetime.date(2023, 10, 30),
        in_force_on=datetime.date(2023, 10, 30),
        status="revoked",
        ended_on=datetime.date(2025, 1, 20),
    )
    sec_4_6 = f.provision(
        instrument=eo,
        label="Sec. 4.6",
        slug="sec-4-6",
        treatment="studies",
        topics=[export],
        components=[weights],
    )
    plan = f.instrument(
        jurisdiction=us,
        slug="action-plan",
        short_title="Action Plan",
        binding=False,
        status="published",
    )
    plan_open = f.provision(
        instrument=plan,
        label="Pillar I",
        slug="pillar-1",
        treatment="promotes",
        topics=[exemptions],
        components=[weights],
    )
    hidden_law = f.instrument(jurisdiction=cn, slug="draft-law", state=EditorialState.DRAFT)
    f.provision(instrument=hidden_law, slug="art-1", topics=[exemptions])
    f.silence(jurisdiction=cn, topics=[exemptions])
    home = f.comparison(
        jurisdictions=[eu, us, cn], is_home=True, title="Open-source AI models", slug="home"
    )
    return {
        "eu": eu,
        "us": us,
        "cn": cn,
        "exemptions": exemptions,
        "export": export,
        "weights": weights,
        "data": data,
        "ai_act": ai_act,
        "art_53": art_53,
        "art_2": art_2,
        "eo": eo,
        "sec_4_6": sec_4_6,
        "plan": plan,
        "plan_open": plan_open,
        "home": home,
    }
