"""Builders of test records: one for each record the tests make. Each takes keyword overrides
and returns a saved record; slugs and codes are made unique with one counter, so builders can
be called freely. The records are made up (``example.org`` sources); they are never legal facts,
and exist only inside a test's transaction (the dataset is in fixtures/).

Two sets of the same builders, which differ only in what a record of the editorial workflow
(instrument, provision, finding of silence, argument, comparison) is when a test does not say:

- ``published``: published and sourced (sources and earlier labels verified), because that is
  what the public pages show;
- ``drafts``: a draft without a source (sources and earlier labels unverified), what an editor
  starts from (admin, workflow, desk and constraint tests); a test that wants a record
  published says ``state=…, **SOURCED``.

A builder that makes a parent it was not given (a provision's instrument, an argument's
source) makes it with the same set. Plain functions rather than factory_boy or model-bakery:
each builder is a few lines a reader can check, several set many-to-many links and link rows
with a stance, and the worlds below are stories told in code; a factory library would add a
layer without removing any of that.
"""

import datetime
import io
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
    LinkCheck,
    LinkStance,
    ModelProfile,
    ModelSource,
    MovedPath,
    OpennessRequirement,
    Provision,
    ProvisionText,
    SearchSynonym,
    Silence,
    Source,
    Stance,
    Topic,
    Treatment,
    Verification,
)

_counter = itertools.count(1)
CHECKED = datetime.date(2026, 11, 1)
SOURCED = {
    "source_url": "https://example.org/source",
    "checked_on": CHECKED,
    "verification": Verification.OFFICIAL,
}


def _n() -> int:
    return next(_counter)


# -- records outside the editorial workflow: the same in both sets -------------------------------


def jurisdiction(**fields) -> Jurisdiction:
    n = _n()
    defaults = {"code": f"j{n}", "name": f"Jurisdiction {n}", "short_name": f"J{n}", "order": n}
    return Jurisdiction.objects.create(**defaults | fields)


def topic(**fields) -> Topic:
    n = _n()
    defaults = {"slug": f"topic-{n}", "name": f"Topic {n}", "question": f"Question {n}?"}
    defaults["order"] = n
    return Topic.objects.create(**defaults | fields)


def component(**fields) -> Component:
    n = _n()
    defaults = {"slug": f"component-{n}", "name": f"Component {n}", "order": n}
    return Component.objects.create(**defaults | fields)


def condition(**fields) -> Condition:
    n = _n()
    defaults = {"slug": f"condition-{n}", "name": f"Condition {n}", "order": n}
    return Condition.objects.create(**defaults | fields)


def exemptions(**fields) -> Topic:
    """The topic many worlds put their exemptions under."""
    defaults = {"slug": "exemptions", "name": "Exemptions", "question": "Are open models exempt?"}
    return topic(**defaults | fields)


def weights(**fields) -> Component:
    """The component many worlds' provisions and arguments bear on."""
    return component(**{"slug": "weights", "name": "Model weights"} | fields)


def export_controls(**fields) -> Topic:
    return topic(**{"slug": "export-controls", "name": "Export controls"} | fields)


# The places many worlds name, in the home comparison's column order (the records made in them
# are made up; only the names are real).
PLACES = {"eu": ("European Union", "EU"), "us": ("United States", "US"), "cn": ("China", "China")}


def place(code: str, **fields) -> Jurisdiction:
    """The EU, the US or China, ordered 1, 2, 3 as the matrix shows them."""
    name, short_name = PLACES[code]
    defaults = {"name": name, "short_name": short_name, "order": list(PLACES).index(code) + 1}
    return jurisdiction(code=code, **defaults | fields)


def home_places() -> tuple[Jurisdiction, ...]:
    """The EU, the US and China, the home comparison's columns."""
    return tuple(place(code) for code in PLACES)


def event(instrument: Instrument, **fields) -> InstrumentEvent:
    defaults = {"date": datetime.date(2025, 8, 2), "description": "Obligations start to apply."}
    return InstrumentEvent.objects.create(instrument=instrument, **defaults | fields)


def relation(source: Instrument, kind: str, target: Instrument, **fields) -> InstrumentRelation:
    return InstrumentRelation.objects.create(source=source, kind=kind, target=target, **fields)


def staff(group: str, username: str | None = None):
    """A staff account in ``group`` ("Editors" or "Reviewers"), groups set up as in production."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    if not Group.objects.filter(name=group).exists():
        call_command("setup_groups", stdout=io.StringIO())
    user = User.objects.create_user(username or f"{group.lower()}-{_n()}", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


class Builders:
    """The builders, with what an editorial record is when the test does not say."""

    CHECKED = CHECKED
    SOURCED = SOURCED
    jurisdiction = staticmethod(jurisdiction)
    place = staticmethod(place)
    home_places = staticmethod(home_places)
    topic = staticmethod(topic)
    exemptions = staticmethod(exemptions)
    component = staticmethod(component)
    weights = staticmethod(weights)
    export_controls = staticmethod(export_controls)
    condition = staticmethod(condition)
    event = staticmethod(event)
    relation = staticmethod(relation)
    staff = staticmethod(staff)

    def __init__(self, state: str, sourced: bool):
        self.state = state
        self.editorial = {"state": state, **(SOURCED if sourced else {})}
        # Sources and earlier labels have no editorial state, but are checked or not.
        self.verified = {"verification": Verification.OFFICIAL} if sourced else {}

    def source(self, **fields) -> Source:
        n = _n()
        defaults = {
            "title": f"Paper {n}",
            "authors": "A. Author, B. Author",
            "published_on": datetime.date(2024, 2, 27),
            "url": f"https://example.org/paper-{n}",
            **self.verified,
        }
        return Source.objects.create(**defaults | fields)

    def instrument(self, **fields) -> Instrument:
        n = _n()
        defaults = {
            "slug": f"instrument-{n}",
            "title": f"Instrument number {n}",
            "short_title": f"Instr {n}",
            "kind": Instrument.Kind.LAW,
            "binding": True,
            "status": LegalStatus.IN_FORCE,
            "adopted_on": datetime.date(2024, 6, 13),
            "in_force_on": datetime.date(2024, 8, 1),
            "summary": "An instrument for tests.",
            **self.editorial,
        }
        fields = defaults | fields
        if "jurisdiction" not in fields:
            fields["jurisdiction"] = jurisdiction()
        return Instrument.objects.create(**fields)

    def provision(self, *, topics=(), components=(), conditions=(), **fields) -> Provision:
        n = _n()
        defaults = {
            "kind": Provision.Kind.ARTICLE,
            "label": f"Art. {n}",
            "slug": f"art-{n}",
            "order": n,
            "summary": f"Summary of provision {n}.",
            "treatment": Treatment.EXEMPTS,
            **self.editorial,
        }
        fields = defaults | fields
        if "instrument" not in fields:
            fields["instrument"] = self.instrument()
        made = Provision.objects.create(**fields)
        made.topics.set(topics)
        made.components.set(components)
        made.conditions.set(conditions)
        return made

    def eo_14110(self, jurisdiction: Jurisdiction, **fields) -> Instrument:
        """An executive order adopted on 30 October 2023 and revoked on 20 January 2025."""
        defaults = {
            "slug": "eo-14110",
            "short_title": "EO 14110",
            "kind": Instrument.Kind.EXECUTIVE_ORDER,
            "adopted_on": datetime.date(2023, 10, 30),
            "in_force_on": datetime.date(2023, 10, 30),
            "status": LegalStatus.REVOKED,
            "ended_on": datetime.date(2025, 1, 20),
        }
        return self.instrument(jurisdiction=jurisdiction, **defaults | fields)

    def ai_act(self, jurisdiction: Jurisdiction, **fields) -> Instrument:
        """The EU AI Act (adopted 13 June 2024, in force 1 August 2024, the builder's dates)."""
        defaults = {
            "slug": "ai-act",
            "short_title": "AI Act",
            "title": "Artificial Intelligence Act",
            "identifier": "Regulation (EU) 2024/1689",
        }
        return self.instrument(jurisdiction=jurisdiction, **defaults | fields)

    def art_53_2(self, instrument: Instrument, **fields) -> Provision:
        """The AI Act's conditional exemption for open-source models (applies from 2 Aug 2025)."""
        defaults = {
            "label": "Art. 53(2)",
            "slug": "art-53-2",
            "summary": "Open-source GPAI providers are exempt from documentation duties.",
            "treatment": Treatment.EXEMPTS_CONDITIONALLY,
            "applies_from": datetime.date(2025, 8, 2),
        }
        return self.provision(instrument=instrument, **defaults | fields)

    def sec_4_6(self, instrument: Instrument, **fields) -> Provision:
        """EO 14110's study of dual-use foundation models with widely available weights."""
        defaults = {"label": "Sec. 4.6", "slug": "sec-4-6", "treatment": Treatment.STUDIES}
        return self.provision(instrument=instrument, **defaults | fields)

    def text(self, **fields) -> ProvisionText:
        defaults = {
            "language": "en",
            "kind": ProvisionText.Kind.AUTHENTIC,
            "version_label": "Original",
            "body": "1. Words.",
        }
        fields = defaults | fields
        if "provision" not in fields:
            fields["provision"] = self.provision()
        return ProvisionText.objects.create(**fields)

    def earlier_label(self, provision: Provision | None = None, **fields) -> EarlierLabel:
        n = _n()
        defaults = {
            "label": f"Art. old-{n}",
            "slug": f"art-old-{n}",
            "text_version": "Council compromise text, 2 Feb 2024",
        }
        if self.verified:
            defaults |= {"source_url": "https://example.org/old", **self.verified}
        return EarlierLabel.objects.create(
            provision=provision or self.provision(), **defaults | fields
        )

    def silence(self, *, jurisdiction=None, topics=(), components=(), **fields) -> Silence:
        defaults = {
            "statement": "No text mentions open-source models.",
            "scope": "Every regulation from 2019 to 2023.",
            "reviewed_on": datetime.date(2026, 10, 1),
            **self.editorial,
        }
        made = Silence.objects.create(
            jurisdiction=jurisdiction or self.jurisdiction(), **defaults | fields
        )
        made.topics.set(topics)
        made.components.set(components)
        return made

    def comparison(self, *, jurisdictions=(), topics=(), components=(), **fields) -> Comparison:
        n = _n()
        defaults = {
            "slug": f"comparison-{n}",
            "title": f"Comparison {n}",
            "state": self.state,
            "rows": Comparison.Rows.TOPICS,
        }
        made = Comparison.objects.create(**defaults | fields)
        for order, j in enumerate(jurisdictions):
            ComparisonColumn.objects.create(comparison=made, jurisdiction=j, order=order)
        made.topics.set(topics)
        made.components.set(components)
        return made

    def argument(self, *, provisions=(), topics=(), components=(), **fields) -> Argument:
        n = _n()
        defaults = {
            "slug": f"argument-{n}",
            "title": f"Claim number {n}",
            "stance": Stance.FOR,
            "evidence_kind": EvidenceKind.EMPIRICAL,
            "summary": f"Summary of argument {n}.",
            **self.editorial,
        }
        fields = defaults | fields
        if "source" not in fields:
            fields["source"] = self.source()
        made = Argument.objects.create(**fields)
        for p in provisions:
            ArgumentProvision.objects.create(argument=made, provision=p, stance=LinkStance.SUPPORTS)
        for t in topics:
            ArgumentTopic.objects.create(argument=made, topic=t, stance=LinkStance.INFORMS)
        for c in components:
            ArgumentComponent.objects.create(argument=made, component=c, stance=LinkStance.INFORMS)
        return made

    def model_profile(self, provision: Provision) -> ModelProfile:
        """A model profile with a source, and one openness condition on ``provision``."""
        n = _n()
        profile = ModelProfile.objects.create(
            slug=f"model-{n}",
            name=f"Model {n}",
            provider="Lab",
            provider_country="Nowhere",
            licence_name="Apache-2.0",
        )
        ModelSource.objects.create(
            profile=profile,
            title="Model card",
            url="https://example.org/card",
            checked_on=CHECKED,
            verification="official",
            facts=["licence", "weights"],
        )
        OpennessRequirement.objects.create(
            provision=provision, kind="compute_at_most", threshold=1e25 + n, imposed_by=provision
        )
        return profile

    # -- worlds ------------------------------------------------------------------------------

    def world(self, size: int = 1) -> list[Provision]:
        """``size`` jurisdictions, each with one instrument of ``size`` provisions.

        Every provision is on every topic and every component, and has an argument, so the
        relations are as wide as the data: what N+1 query bugs need to show.
        """
        topics = [topic() for _ in range(size)]
        components = [component() for _ in range(size)]
        provisions = []
        for _ in range(size):
            law = self.instrument(jurisdiction=jurisdiction())
            for _ in range(size):
                provisions.append(
                    self.provision(instrument=law, topics=topics, components=components)
                )
        for made in provisions:
            self.argument(provisions=[made], topics=topics)
        return provisions

    def whole_world(self, rows: int) -> None:
        """``rows`` records of every model, linked to each other, for query-count tests."""
        j = jurisdiction(parent=jurisdiction())
        comp = self.comparison(jurisdictions=[j])
        previous = None
        published = {"state": EditorialState.PUBLISHED, **SOURCED}
        for _ in range(rows):
            inst = self.instrument(jurisdiction=j, **published)
            event(inst, date=CHECKED, description="Applies")
            if previous:
                relation(inst, "amends", previous)
            parent = self.provision(instrument=inst, **published)
            t, c = topic(), component()
            p = self.provision(instrument=inst, parent=parent, topics=[t], components=[c])
            p.conditions.add(condition())
            self.earlier_label(p)
            self.text(provision=p)
            a = self.argument()
            ArgumentProvision.objects.create(argument=a, provision=p, stance="supports")
            ArgumentTopic.objects.create(argument=a, topic=t, stance="informs")
            ArgumentComponent.objects.create(argument=a, component=c, stance="challenges")
            s = self.silence(jurisdiction=j, topics=[t])
            s.instruments.add(inst)
            comp.topics.add(t)
            MovedPath.objects.create(old_path=f"/old/{inst.pk}/", new_path=inst.get_absolute_url())
            SearchSynonym.objects.create(terms=f"term {inst.pk}\nanother term {inst.pk}")
            LinkCheck.objects.create(
                url=f"https://example.org/checked/{inst.pk}",
                checked_at=datetime.datetime.now(datetime.UTC),
                status=200,
            )
            self.model_profile(p)
            previous = inst

    def matrix_world(self) -> dict:
        """A home comparison over three jurisdictions with provisions of every kind of standing.

        Every provision is on a topic of the comparison, so the cells show exactly the
        provisions that pass the filters.
        """
        eu, us, cn = home_places()
        exemptions = self.exemptions()
        export = export_controls(question="Controlled?")
        weights = self.weights()
        data = component(slug="data", name="Training data")
        monetised = condition(slug="not-monetised", name="Not monetised")
        ai_act = self.ai_act(eu)
        art_53 = self.art_53_2(
            ai_act,
            topics=[exemptions],
            components=[weights],
            conditions=[monetised],
        )
        art_2 = self.provision(
            instrument=ai_act,
            label="Art. 2(12)",
            slug="art-2-12",
            treatment="exempts",
            topics=[exemptions, export],
            components=[weights, data],
        )
        self.provision(
            instrument=ai_act, slug="art-draft", state=EditorialState.DRAFT, topics=[export]
        )
        eo = self.eo_14110(us)
        sec_4_6 = self.sec_4_6(eo, topics=[export], components=[weights])
        plan = self.instrument(
            jurisdiction=us,
            slug="action-plan",
            short_title="Action Plan",
            binding=False,
            status="published",
        )
        plan_open = self.provision(
            instrument=plan,
            label="Pillar I",
            slug="pillar-1",
            treatment="promotes",
            topics=[exemptions],
            components=[weights],
        )
        hidden_law = self.instrument(jurisdiction=cn, slug="draft-law", state=EditorialState.DRAFT)
        self.provision(instrument=hidden_law, slug="art-1", topics=[exemptions])
        self.silence(jurisdiction=cn, topics=[exemptions])
        home = self.comparison(
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

    # -- the cases bugs hide in ----------------------------------------------------------------
    # A mutation probe planted one-line bugs in the core logic; the ones that
    # survived all lived where the usual worlds had no record: a provision that ceases, one
    # without dates of its own in an instrument that comes into force after adoption, days
    # before an instrument existed, a cell mixing a silence with filtered-out and ended
    # provisions, and drafts reached through a published record's parent or children.
    # ``hard_cases`` adds all of them to a world.

    LATE_PROPOSED = datetime.date(2021, 4, 21)
    LATE_ADOPTED = datetime.date(2024, 6, 13)
    LATE_IN_FORCE = datetime.date(2024, 8, 1)
    CEASES = datetime.date(2025, 6, 30)
    BILL_PROPOSED = datetime.date(2023, 3, 1)
    REVOKED_ON = datetime.date(2025, 1, 20)

    def hard_cases(
        self, *, jurisdiction, topic, mixed_topic, hidden_state=EditorialState.DRAFT, marker=""
    ):
        """Records on ``topic`` in ``jurisdiction`` whose standing changes on known days, plus a
        cell (``mixed_topic``) that holds a silence, a filtered-out provision and an ended one.

        ``marker`` goes into the headings of the unpublished parent and child, so a sweep can
        check that no public page names them.
        """
        marker = marker or "zqhiddenrelative"
        instrument, provision = self.instrument, self.provision
        # Proposed 2021, adopted 13 June 2024, in force 1 August 2024: a provision without its
        # own dates is a proposal until adoption, then "applies from 1 Aug 2024", then in force.
        late = instrument(
            jurisdiction=jurisdiction,
            short_title="Late Start Act",
            proposed_on=self.LATE_PROPOSED,
            adopted_on=self.LATE_ADOPTED,
            in_force_on=self.LATE_IN_FORCE,
        )
        undated = provision(
            instrument=late, label="Art. 1", treatment=Treatment.REQUIRES, topics=[topic]
        )
        # Applies from entry into force, ceases on 30 June 2025 (ended on that day, not the next).
        ceasing = provision(
            instrument=late,
            label="Art. 2",
            treatment=Treatment.RESTRICTS,
            applies_from=self.LATE_IN_FORCE,
            ceases_on=self.CEASES,
            topics=[topic],
        )
        # A bill: proposed on 1 March 2023, never adopted. Not placed before it was proposed.
        bill = instrument(
            jurisdiction=jurisdiction,
            short_title="Open Models Bill",
            kind=Instrument.Kind.BILL,
            status=LegalStatus.PROPOSED,
            proposed_on=self.BILL_PROPOSED,
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
        dateless_provision = provision(
            instrument=dateless, treatment=Treatment.STUDIES, topics=[topic]
        )
        # Revoked on 20 January 2025.
        revoked = instrument(
            jurisdiction=jurisdiction,
            short_title="Revoked Order",
            kind=Instrument.Kind.EXECUTIVE_ORDER,
            status=LegalStatus.REVOKED,
            adopted_on=datetime.date(2023, 10, 30),
            in_force_on=datetime.date(2023, 10, 30),
            ended_on=self.REVOKED_ON,
        )
        revoked_provision = provision(
            instrument=revoked, treatment=Treatment.STUDIES, topics=[topic, mixed_topic]
        )
        # The mixed cell: a silence, a provision any treatment filter but "defines" hides, and
        # the revoked provision above (ended after 20 January 2025).
        mixed_silence = self.silence(
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


published = Builders(EditorialState.PUBLISHED, sourced=True)
drafts = Builders(EditorialState.DRAFT, sourced=False)
