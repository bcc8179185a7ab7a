"""A synthetic atlas at 100x today's size, for the benchmark (``python -m bench.synthetic``).

Everything is drawn from one ``random.Random(seed)``, so a seed always gives the same rows and,
because the tables are truncated with ``RESTART IDENTITY`` first, the same ids and URLs. The text is
filler built from policy vocabulary: it states no legal fact, and every jurisdiction's description
says it is synthetic. Rows go in with ``bulk_create`` level by level (parents before children) so
the whole dataset takes seconds, not minutes.

Never run this on a database that holds the curated dataset: ``generate`` refuses unless forced,
and it always empties every atlas table first.
"""

import argparse
import datetime
import os
import random
import sys
import time
from dataclasses import dataclass, field

import django

if __name__ == "__main__":  # run as a command: set Django up before the models are imported
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from comparisons.models import Comparison, ComparisonColumn
from provisions import vocabulary
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
    ModelProfile,
    ModelSource,
    OpennessRequirement,
    Provision,
    ProvisionText,
    Silence,
    Source,
    Stance,
    Topic,
    Treatment,
    Verification,
)

# Written in every synthetic jurisdiction's description and in the database comment; how a
# database is recognised as synthetic (and so safe to empty) rather than curated.
MARK = "Synthetic benchmark data"
# Bump when the generator's output changes, so `make bench` knows to regenerate.
GENERATOR_VERSION = 2

BATCH = 2000
# One text column per table whose vector trigger (migration provisions 0004) must run.
SEARCHABLE = [
    ("provisions_provision", "summary"),
    ("provisions_instrument", "summary"),
    ("provisions_argument", "summary"),
    ("provisions_modelprofile", "name"),
    ("provisions_source", "title"),
]


@dataclass(frozen=True)
class Scale:
    jurisdictions: int = 50
    subnational: int = 12  # of the jurisdictions, how many sit under a parent
    instruments: int = 1000
    provisions: int = 20_000
    arguments: int = 3000
    sources: int = 1200
    topics: int = 30
    components: int = 8
    conditions: int = 10
    silences: int = 150
    earlier_labels: int = 2000
    home_columns: int = 3
    comparison_rows: int = 12
    models: int = 2000  # model profiles (the curated dataset has 20)
    model_provisions: int = 6  # provisions that set openness conditions


FULL = Scale()


class RealDataPresent(Exception):
    """The database holds rows that the generator did not make."""


@dataclass
class Report:
    counts: dict = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


WORDS = str.split(
    "model weights training data source code licence release developer provider deployer "
    "open-source general-purpose systemic risk transparency documentation evaluation "
    "downstream upstream obligation exemption disclosure register authority notification "
    "security export control compute threshold safeguards research access parameters "
    "fine-tuning dataset provenance copyright summary technical annex publication "
    "accountability audit incident reporting cybersecurity red-teaming benchmark "
    "interoperability standard guidance consultation market placing service integration"
)
TOPIC_WORDS = [
    ("open-weights-exemption", "Open-weights exemption", "Are open-weights models exempt?"),
    ("training-data-disclosure", "Training-data disclosure", "Must training data be described?"),
    ("source-code-release", "Source-code release", "Is publishing source code encouraged?"),
    ("licence-terms", "Licence terms", "Which licences count as free and open?"),
    ("systemic-risk", "Systemic risk", "Do open models with systemic risk lose exemptions?"),
    ("export-controls", "Export controls", "Are model weights subject to export control?"),
    ("copyright", "Copyright", "What copyright duties apply to open models?"),
    ("registration", "Registration", "Must open models be registered before release?"),
    ("security-testing", "Security testing", "Must open models be red-teamed?"),
    ("research-access", "Research access", "Is research access to models protected?"),
]
COMPONENT_NAMES = [
    ("weights", "Model weights"),
    ("training-data", "Training data"),
    ("source-code", "Source code"),
    ("licence", "Licence"),
    ("documentation", "Documentation"),
    ("evaluation", "Evaluation results"),
    ("architecture", "Architecture"),
    ("inference-code", "Inference code"),
]
INSTRUMENT_KINDS = [
    (Instrument.Kind.LAW, True),
    (Instrument.Kind.REGULATION, True),
    (Instrument.Kind.RULE, True),
    (Instrument.Kind.EXECUTIVE_ORDER, True),
    (Instrument.Kind.GUIDANCE, False),
    (Instrument.Kind.POLICY, False),
    (Instrument.Kind.BILL, False),
    (Instrument.Kind.STANDARD, False),
]
TREATMENTS = list(Treatment.values)
DEPTH_KINDS = {
    1: Provision.Kind.ARTICLE,
    2: Provision.Kind.PARAGRAPH,
    3: Provision.Kind.POINT,
    4: Provision.Kind.SUBPARAGRAPH,
}
ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
BASE_DAY = datetime.date(2016, 1, 1)


class Writer:
    """Deterministic filler text from one random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def sentence(self, low: int = 8, high: int = 20) -> str:
        text = self.words(self.rng.randint(low, high))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, low: int, high: int) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def day(self, start: datetime.date = BASE_DAY, span_days: int = 3600) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange(span_days))


def atlas_models():
    """Every concrete model of the atlas apps, history and many-to-many tables included."""
    seen = []
    for app in ("provisions", "comparisons"):
        for model in apps.get_app_config(app).get_models(include_auto_created=True):
            seen.append(model)
    return seen


def database_comment() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            "WHERE datname = current_database()"
        )
        return cursor.fetchone()[0] or ""


def holds_other_data() -> bool:
    """True when atlas tables have rows and the database was not made by this generator."""
    if database_comment().startswith(MARK):
        return False
    return Jurisdiction.objects.exists() or Provision.objects.exists() or Source.objects.exists()


def _set_comment(text: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN EXECUTE format('COMMENT ON DATABASE %%I IS %%L', current_database(), "
            "%s); END $$",
            [text],
        )


def _truncate() -> None:
    tables = sorted({m._meta.db_table for m in atlas_models()})
    with connection.cursor() as cursor:
        # TRUNCATE refuses while deferred checks of this transaction's earlier writes are
        # pending: run them now, then defer again (every deferrable constraint here starts so).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "TRUNCATE {} RESTART IDENTITY CASCADE".format(
                ", ".join(connection.ops.quote_name(t) for t in tables)
            )
        )
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _skip_triggers() -> bool:
    """Turn triggers off for this transaction, if we may (it takes a superuser)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def _fill_search_vectors() -> None:
    """Triggers back on; rewriting one text column makes each row's vector trigger fire."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")
        for table, column in SEARCHABLE:
            cursor.execute(f"UPDATE {table} SET {column} = {column}")


def marker(seed: int, scale: Scale) -> str:
    return f"{MARK}: seed={seed} generator={GENERATOR_VERSION} scale={scale}"


def generate(seed: int = 1, scale: Scale = FULL, force: bool = False, fast: bool = False) -> Report:
    """Empty the atlas tables and fill them with a synthetic atlas. Returns row counts.

    ``fast``: insert with triggers (foreign-key and cross-row checks, search vectors) off, then
    fill the search vectors in one pass. Four times quicker on a busy machine; the rows are the
    same, and the tests generate them with every check on (``fast=False``).
    """
    if holds_other_data() and not force:
        raise RealDataPresent(
            "This database holds atlas data that the generator did not make (the curated "
            "dataset?). Point DATABASE_URL at a separate database, or pass --force to "
            "replace it."
        )
    with transaction.atomic():
        _set_comment(f"{MARK}: incomplete")
        _truncate()
        unchecked = fast and _skip_triggers()
        report = _Builder(seed, scale).build()
        if unchecked:
            _fill_search_vectors()
        _set_comment(marker(seed, scale))
    vocabulary.refresh()  # bulk inserts send no signals: search's words, rebuilt once
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return report


class _Builder:
    def __init__(self, seed: int, scale: Scale):
        self.rng = random.Random(seed)
        self.text = Writer(self.rng)
        self.scale = scale
        self.report = Report()
        self.now = timezone.now()

    # -- helpers -------------------------------------------------------------------------------

    def create(self, model, objs, history=True, when=None):
        objs = model.objects.bulk_create(objs, batch_size=BATCH)
        self.report.add(model._meta.label, len(objs))
        if history and hasattr(model, "history"):
            rows = model.history.bulk_history_create(
                objs, batch_size=BATCH, default_date=when or self.now
            )
            self.report.add(model.history.model._meta.label, len(rows))
        return objs

    def link(self, through, rows):
        objs = through.objects.bulk_create(rows, batch_size=BATCH)
        self.report.add(through._meta.label, len(objs))
        return objs

    def state(self, published: float = 0.9) -> str:
        roll = self.rng.random()
        if roll < published:
            return EditorialState.PUBLISHED
        if roll < published + (1 - published) * 0.5:
            return EditorialState.DRAFT
        if roll < published + (1 - published) * 0.8:
            return EditorialState.IN_REVIEW
        return EditorialState.WITHDRAWN

    def sourced(self, state: str, url: str) -> dict:
        if state == EditorialState.PUBLISHED or self.rng.random() < 0.5:
            return {
                "source_url": url,
                "checked_on": self.text.day(datetime.date(2025, 1, 1), 600),
                "verification": self.rng.choice([Verification.OFFICIAL, Verification.SECONDARY]),
            }
        return {"source_url": "", "checked_on": None, "verification": Verification.UNVERIFIED}

    # -- the atlas -----------------------------------------------------------------------------

    def build(self) -> Report:
        self.taxonomy()
        self.jurisdictions()
        self.instruments()
        self.provisions()
        self.earlier_labels()
        self.silences()
        self.arguments()
        self.comparisons()
        self.model_profiles()
        return self.report

    def taxonomy(self):
        s, rng = self.scale, self.rng
        topics = []
        for i in range(s.topics):
            slug, name, question = TOPIC_WORDS[i % len(TOPIC_WORDS)]
            if i >= len(TOPIC_WORDS):
                slug, name = f"{slug}-{i // len(TOPIC_WORDS) + 1}", f"{name} {i // 10 + 1}"
            topics.append(
                Topic(
                    slug=slug,
                    name=name,
                    question=question,
                    description=self.text.sentence(),
                    order=i,
                )
            )
        self.topics = self.create(Topic, topics)
        self.components = self.create(
            Component,
            [
                Component(slug=slug, name=name, description=self.text.sentence(), order=i)
                for i, (slug, name) in enumerate(COMPONENT_NAMES[: s.components])
            ],
        )
        self.conditions = self.create(
            Condition,
            [
                Condition(
                    slug=f"condition-{i + 1}",
                    name=self.text.words(3).capitalize(),
                    description=self.text.sentence(),
                    order=i,
                )
                for i in range(s.conditions)
            ],
        )
        # Popular topics get most of the provisions, as in real law.
        self.topic_weights = [1 / (i + 1) ** 0.7 for i in range(len(self.topics))]
        rng.shuffle(self.topic_weights)

    def jurisdictions(self):
        s = self.scale
        national = s.jurisdictions - s.subnational
        tops = []
        for i in range(national):
            kind = Jurisdiction.Kind.SUPRANATIONAL if i % 17 == 1 else Jurisdiction.Kind.COUNTRY
            tops.append(
                Jurisdiction(
                    code=f"j{i + 1:02d}",
                    name=f"Synthetic jurisdiction {i + 1:02d}",
                    short_name=f"Jur {i + 1:02d}",
                    kind=kind,
                    order=i * 10,
                    description=f"{MARK}. {self.text.sentence()}",
                )
            )
        tops = self.create(Jurisdiction, tops)
        subs = []
        for i in range(s.subnational):
            parent = tops[i % min(4, len(tops))]
            subs.append(
                Jurisdiction(
                    code=f"{parent.code}-s{i + 1:02d}",
                    name=f"{parent.name}, state {i + 1:02d}",
                    short_name=f"{parent.short_name}-S{i + 1:02d}",
                    kind=Jurisdiction.Kind.SUBNATIONAL,
                    parent=parent,
                    order=parent.order + i + 1,
                    description=f"{MARK}. {self.text.sentence()}",
                )
            )
        subs = self.create(Jurisdiction, subs)
        self.all_jurisdictions = sorted(tops + subs, key=lambda j: j.order)

    def instruments(self):
        s, rng, text = self.scale, self.rng, self.text
        objs = []
        for n in range(s.instruments):
            jurisdiction = self.all_jurisdictions[n % len(self.all_jurisdictions)]
            kind, binding = rng.choice(INSTRUMENT_KINDS)
            state = self.state(0.9)
            number = n // len(self.all_jurisdictions) + 1
            proposed = text.day()
            roll = rng.random()
            adopted = in_force = ended = None
            if kind == Instrument.Kind.BILL or roll < 0.12:
                status = LegalStatus.PROPOSED
            else:
                adopted = proposed + datetime.timedelta(days=rng.randrange(30, 700))
                if not binding:
                    status = LegalStatus.PUBLISHED
                elif roll < 0.8:
                    status = LegalStatus.IN_FORCE
                    in_force = adopted + datetime.timedelta(days=rng.randrange(0, 730))
                else:
                    status = rng.choice([LegalStatus.REVOKED, LegalStatus.SUPERSEDED])
                    in_force = adopted + datetime.timedelta(days=rng.randrange(0, 200))
                    ended = in_force + datetime.timedelta(days=rng.randrange(30, 900))
            slug = f"{kind.replace('_', '-')}-{number}"
            url = f"https://example.org/{jurisdiction.code}/{slug}"
            objs.append(
                Instrument(
                    jurisdiction=jurisdiction,
                    slug=slug,
                    title=f"{kind.label} {number} on {text.words(4)}",
                    short_title=f"{kind.label[:12]} {number}",
                    identifier=f"No. {proposed.year}/{n + 1}",
                    kind=kind,
                    binding=binding,
                    official_url=url,
                    summary=text.paragraph(2, 4),
                    status=status,
                    proposed_on=proposed,
                    adopted_on=adopted,
                    in_force_on=in_force,
                    ended_on=ended,
                    state=state,
                    **self.sourced(state, url),
                )
            )
        self.instrument_objs = self.create(Instrument, objs)
        events = []
        for inst in self.instrument_objs:
            for day in (inst.proposed_on, inst.adopted_on, inst.in_force_on, inst.ended_on):
                if day:
                    events.append(
                        InstrumentEvent(
                            instrument=inst,
                            date=day,
                            description=text.sentence(4, 10),
                            source_url=inst.official_url,
                        )
                    )
        self.create(InstrumentEvent, events)
        relations, seen = [], set()
        by_jurisdiction = {}
        for inst in self.instrument_objs:
            by_jurisdiction.setdefault(inst.jurisdiction_id, []).append(inst)
        for group in by_jurisdiction.values():
            for _ in range(4):
                a, b = rng.sample(group, 2)
                kind = rng.choice(InstrumentRelation.Kind.values)
                if (a.pk, kind, b.pk) not in seen:
                    seen.add((a.pk, kind, b.pk))
                    relations.append(InstrumentRelation(source=a, kind=kind, target=b))
        self.create(InstrumentRelation, relations)

    def _sizes(self) -> list[int]:
        """Provisions per instrument: uneven (5 to 40), summing exactly to the target."""
        s, rng = self.scale, self.rng
        sizes = [rng.randint(5, 35) for _ in range(s.instruments)]
        total = sum(sizes)
        sizes = [max(1, round(n * s.provisions / total)) for n in sizes]
        diff = s.provisions - sum(sizes)
        i = 0
        while diff:
            step = 1 if diff > 0 else -1
            if sizes[i % len(sizes)] + step >= 1:
                sizes[i % len(sizes)] += step
                diff -= step
            i += 1
        return sizes

    def provisions(self):
        """Trees up to four levels deep: Art. 5 → Art. 5(2) → Art. 5(2)(b) → Art. 5(2)(b)(iii)."""
        rng, text = self.rng, self.text
        levels = {1: [], 2: [], 3: [], 4: []}
        parent_of = {}  # id(child) → parent object
        for inst, size in zip(self.instrument_objs, self._sizes(), strict=True):
            counters = [0, 0, 0, 0, 0]
            path: list[Provision | None] = [None] * 5
            depth = 0
            for order in range(size):
                depth = 1 if depth == 0 else rng.choice(range(1, min(depth + 1, 4) + 1))
                counters[depth] += 1
                for deeper in range(depth + 1, 5):
                    counters[deeper] = 0
                parts = [str(counters[1])]
                if depth >= 2:
                    parts.append(str(counters[2]))
                if depth >= 3:
                    parts.append("abcdefghijklmnopqrstuvwxyz"[(counters[3] - 1) % 26])
                if depth >= 4:
                    parts.append(ROMAN[(counters[4] - 1) % len(ROMAN)])
                label = "Art. " + parts[0] + "".join(f"({p})" for p in parts[1:])
                slug = "art-" + "-".join(parts)
                state = (
                    self.state(0.92)
                    if inst.state == EditorialState.PUBLISHED
                    else self.rng.choice([EditorialState.DRAFT, EditorialState.PUBLISHED])
                )
                applies_from = ceases_on = None
                if inst.adopted_on and rng.random() < 0.1:
                    applies_from = inst.adopted_on + datetime.timedelta(days=rng.randrange(1, 900))
                    if rng.random() < 0.2:
                        ceases_on = applies_from + datetime.timedelta(days=rng.randrange(1, 900))
                url = f"{inst.official_url}#{slug}"
                # Drawn in this order as before: the heading, then the authentic text's body.
                heading = text.words(rng.randint(2, 6)).capitalize() if depth == 1 else ""
                body = text.paragraph(2, 7)
                provision = Provision(
                    instrument=inst,
                    kind=DEPTH_KINDS[depth],
                    label=label,
                    slug=slug,
                    heading=heading,
                    order=order,
                    summary=text.paragraph(1, 3),
                    openness_note=text.paragraph(0, 2),
                    treatment=rng.choice(TREATMENTS),
                    applies_from=applies_from,
                    ceases_on=ceases_on,
                    state=state,
                    **self.sourced(state, url),
                )
                provision.text_body, provision.text_url = body, url
                levels[depth].append(provision)
                if depth > 1:
                    parent_of[id(provision)] = path[depth - 1]
                path[depth] = provision
        created = []
        for depth in (1, 2, 3, 4):
            for provision in levels[depth]:
                if depth > 1:
                    provision.parent = parent_of[id(provision)]
            when = self.now - datetime.timedelta(days=400)
            created += self.create(Provision, levels[depth], when=when)
        created.sort(key=lambda p: p.pk)
        self.provision_objs = created
        self.create(
            ProvisionText,
            [
                ProvisionText(
                    provision=p,
                    kind=ProvisionText.Kind.AUTHENTIC,
                    language="en",
                    version_label="Original text",
                    body=p.text_body,
                    state=p.state,
                    source_url=p.source_url,
                    checked_on=p.checked_on,
                    verification=p.verification,
                )
                for p in created
            ],
            when=self.now - datetime.timedelta(days=400),
        )
        # Editors' later passes: a second history row (published after review) for most.
        later = [p for p in created if p.state == EditorialState.PUBLISHED and rng.random() < 0.6]
        rows = Provision.history.bulk_history_create(
            later,
            batch_size=BATCH,
            update=True,
            default_date=self.now - datetime.timedelta(days=100),
            default_change_reason="Published",
        )
        self.report.add("provisions.HistoricalProvision", len(rows))
        self._tag_provisions()

    def _tag_provisions(self):
        rng = self.rng
        topic_rows, component_rows, condition_rows = [], [], []
        T = Provision.topics.through
        C = Provision.components.through
        K = Provision.conditions.through
        for p in self.provision_objs:
            if rng.random() < 0.6:
                for t in set(rng.choices(self.topics, self.topic_weights, k=rng.randint(1, 2))):
                    topic_rows.append(T(provision_id=p.pk, topic_id=t.pk))
            if rng.random() < 0.7:
                for c in rng.sample(self.components, rng.randint(1, 3)):
                    component_rows.append(C(provision_id=p.pk, component_id=c.pk))
            if rng.random() < 0.2:
                condition = rng.choice(self.conditions)
                condition_rows.append(K(provision_id=p.pk, condition_id=condition.pk))
        links = {
            "topics": self.link(T, topic_rows),
            "components": self.link(C, component_rows),
            "conditions": self.link(K, condition_rows),
        }
        # The tags as the latest history row of each provision saw them.
        latest = {}
        for row in Provision.history.model.objects.order_by("history_date", "history_id").only(
            "history_id", "id"
        ):
            latest[row.id] = row.history_id
        for name, rows in links.items():
            m2m_model = apps.get_model("provisions", f"HistoricalProvision_{name}")
            target = name.removesuffix("s")
            self.link(
                m2m_model,
                [
                    m2m_model(
                        id=r.pk,
                        provision_id=r.provision_id,
                        history_id=latest[r.provision_id],
                        **{f"{target}_id": getattr(r, f"{target}_id")},
                    )
                    for r in rows
                ],
            )

    def earlier_labels(self):
        rng = self.rng
        # Renumbered articles: "Art. 12a(3)" became "Art. 12(3)"; letters never appear in
        # current article numbers, so old and current slugs cannot collide.
        chosen = rng.sample(self.provision_objs, self.scale.earlier_labels)
        objs = []
        for p in chosen:
            head, _, rest = p.label.partition("(")
            old_label = f"{head}a" + (f"({rest}" if rest else "")
            number, _, tail = p.slug.removeprefix("art-").partition("-")
            old_slug = f"art-{number}a" + (f"-{tail}" if tail else "")
            objs.append(
                EarlierLabel(
                    provision=p,
                    instrument_id=p.instrument_id,
                    label=old_label,
                    slug=old_slug,
                    text_version=f"Draft text of {self.text.day().isoformat()}",
                    source_url=p.text_url,
                    verification=Verification.SECONDARY,
                )
            )
        self.create(EarlierLabel, objs)

    def silences(self):
        rng, text = self.rng, self.text
        objs = []
        for n in range(self.scale.silences):
            jurisdiction = self.all_jurisdictions[n % len(self.all_jurisdictions)]
            state = self.state(0.85)
            start = text.day(BASE_DAY, 1500)
            objs.append(
                Silence(
                    jurisdiction=jurisdiction,
                    statement=text.sentence(6, 14)[:290],
                    scope=text.paragraph(1, 3),
                    period_start=start,
                    period_end=start + datetime.timedelta(days=rng.randrange(100, 1500)),
                    reviewed_on=text.day(datetime.date(2025, 1, 1), 600),
                    state=state,
                    **self.sourced(state, f"https://example.org/{jurisdiction.code}/review-{n}"),
                )
            )
        objs = self.create(Silence, objs)
        instruments_of = {}
        for inst in self.instrument_objs:
            instruments_of.setdefault(inst.jurisdiction_id, []).append(inst)
        T = Silence.topics.through
        C = Silence.components.through
        In = Silence.instruments.through
        topic_rows, component_rows, instrument_rows = [], [], []
        for s in objs:
            if rng.random() < 0.7:
                for t in rng.sample(self.topics, rng.randint(1, 3)):
                    topic_rows.append(T(silence_id=s.pk, topic_id=t.pk))
            if rng.random() < 0.4:
                for c in rng.sample(self.components, rng.randint(1, 2)):
                    component_rows.append(C(silence_id=s.pk, component_id=c.pk))
            group = instruments_of.get(s.jurisdiction_id, [])
            for inst in rng.sample(group, min(len(group), rng.randint(1, 4))):
                instrument_rows.append(In(silence_id=s.pk, instrument_id=inst.pk))
        self.link(T, topic_rows)
        self.link(C, component_rows)
        self.link(In, instrument_rows)

    def arguments(self):
        s, rng, text = self.scale, self.rng, self.text
        sources = self.create(
            Source,
            [
                Source(
                    title=text.words(rng.randint(4, 10)).capitalize(),
                    authors=f"Author {rng.randrange(500)} and others",
                    organisation=f"Institute {rng.randrange(80)}",
                    published_on=text.day(datetime.date(2019, 1, 1), 2500),
                    url=f"https://example.org/papers/{n}",
                    arxiv_id=f"24{rng.randrange(1, 13):02d}.{rng.randrange(10000, 99999)}"
                    if rng.random() < 0.3
                    else "",
                    verification=Verification.SECONDARY,
                )
                for n in range(s.sources)
            ],
        )
        objs = []
        for n in range(s.arguments):
            state = self.state(0.9)
            source = rng.choice(sources)
            objs.append(
                Argument(
                    slug=f"argument-{n + 1}",
                    title=text.sentence(6, 14)[:240],
                    stance=rng.choice(Stance.values),
                    evidence_kind=rng.choice(EvidenceKind.values),
                    summary=text.paragraph(2, 5),
                    quotation=text.paragraph(1, 2) if rng.random() < 0.5 else "",
                    source=source,
                    state=state,
                    **self.sourced(state, source.url),
                )
            )
        objs = self.create(Argument, objs)
        public = [p for p in self.provision_objs if p.state == EditorialState.PUBLISHED]
        provision_rows, topic_rows, component_rows = [], [], []
        for a in objs:
            for p in {p.pk: p for p in rng.sample(public, rng.randint(1, 4))}.values():
                provision_rows.append(
                    ArgumentProvision(
                        argument=a, provision_id=p.pk, stance=rng.choice(LinkStance.values)
                    )
                )
            for t in rng.sample(self.topics, rng.randint(0, 2)):
                topic_rows.append(
                    ArgumentTopic(argument=a, topic=t, stance=rng.choice(LinkStance.values))
                )
            for c in rng.sample(self.components, rng.randint(0, 2)):
                component_rows.append(
                    ArgumentComponent(argument=a, component=c, stance=rng.choice(LinkStance.values))
                )
        self.create(ArgumentProvision, provision_rows)
        self.create(ArgumentTopic, topic_rows)
        self.create(ArgumentComponent, component_rows)

    def comparisons(self):
        s, rng = self.scale, self.rng
        rows = sorted(
            rng.sample(self.topics, min(s.comparison_rows, len(self.topics))), key=lambda t: t.order
        )
        countries = [j for j in self.all_jurisdictions if j.parent_id is None]
        home, everyone, parts = self.create(
            Comparison,
            [
                Comparison(
                    slug="home",
                    title="How jurisdictions treat open AI models (synthetic)",
                    introduction=self.text.paragraph(1, 2),
                    rows=Comparison.Rows.TOPICS,
                    is_home=True,
                    state=EditorialState.PUBLISHED,
                ),
                Comparison(
                    slug="all-jurisdictions",
                    title="Every jurisdiction (synthetic)",
                    introduction=self.text.paragraph(1, 2),
                    rows=Comparison.Rows.TOPICS,
                    state=EditorialState.PUBLISHED,
                ),
                Comparison(
                    slug="components",
                    title="What must be open, by component (synthetic)",
                    introduction=self.text.paragraph(1, 2),
                    rows=Comparison.Rows.COMPONENTS,
                    state=EditorialState.PUBLISHED,
                ),
            ],
        )
        home.topics.set(rows)
        everyone.topics.set(rows)
        self.report.add("comparisons.Comparison_topics", 2 * len(rows))
        columns = [
            ComparisonColumn(comparison=home, jurisdiction=j, order=i)
            for i, j in enumerate(countries[: s.home_columns])
        ]
        columns += [
            ComparisonColumn(comparison=everyone, jurisdiction=j, order=i)
            for i, j in enumerate(self.all_jurisdictions)
        ]
        columns += [
            ComparisonColumn(comparison=parts, jurisdiction=j, order=i)
            for i, j in enumerate(countries[:6])
        ]
        self.create(ComparisonColumn, columns)

    def model_profiles(self):
        """Model profiles and the conditions of a few provisions: the /models/ grid at scale.

        From a random stream of their own, so adding them changed none of the rows above.
        """
        from provisions.models.ai_models import (
            THRESHOLD_CHECKS,
            Check,
            CodeOfPractice,
            ComputeConfidence,
            Disclosure,
            Fact,
            OsiApproval,
            UseRestrictions,
            WeightsAccess,
        )

        s = self.scale
        rng = random.Random(self.rng.random())
        public = [
            p
            for p in self.provision_objs
            if p.state == EditorialState.PUBLISHED
            and p.instrument.state == EditorialState.PUBLISHED
        ]
        hosts = rng.sample(public, min(s.model_provisions, len(public)))
        requirements = []
        for provision in hosts:
            for order, kind in enumerate(rng.sample(Check.values, rng.randint(3, 8))):
                requirements.append(
                    OpennessRequirement(
                        provision=provision,
                        kind=kind,
                        threshold=rng.choice([1e25, 1e26]) if kind in THRESHOLD_CHECKS else None,
                        imposed_by=rng.choice(public),
                        pinpoint=f"para. {rng.randint(1, 120)}",
                        explanation=self.text.sentence(),
                        order=order,
                    )
                )
        self.create(OpennessRequirement, requirements)
        profiles = []
        for i in range(s.models):
            state = self.state(0.9)
            url = f"https://synthetic.invalid/models/{i}"
            cap = rng.random()
            profiles.append(
                ModelProfile(
                    slug=f"model-{i + 1}",
                    name=f"Synthetic model {i + 1}",
                    provider=self.text.words(2).title(),
                    provider_country=rng.choice(["Synthetica", "Fictland", "Nowhere"]),
                    provider_in_eu=rng.choice([True, False, None]),
                    release_date=self.text.day(datetime.date(2022, 1, 1), 1400),
                    versions=self.text.words(4),
                    weights_access=rng.choice(WeightsAccess.values),
                    licence_name=self.text.words(2).title() + " Licence",
                    licence_osi=rng.choice(OsiApproval.values),
                    grants_access=rng.random() < 0.9,
                    grants_use=True,
                    grants_modification=rng.random() < 0.85,
                    grants_redistribution=rng.choice([True, True, False, None]),
                    research_only=rng.random() < 0.1,
                    user_cap=rng.choice([100_000_000, 700_000_000]) if cap < 0.15 else None,
                    separate_commercial_licence=rng.random() < 0.1,
                    use_restrictions=rng.choice(UseRestrictions.values),
                    paid_access=rng.random() < 0.1,
                    architecture_public=rng.choice([True, True, False, None]),
                    usage_info_public=rng.choice([True, True, False, None]),
                    documentation=self.text.sentence(),
                    training_data=rng.choice(Disclosure.values),
                    training_code=rng.choice(Disclosure.values),
                    training_compute_flop=10 ** rng.uniform(21, 26.5) if cap > 0.1 else None,
                    compute_confidence=rng.choice(ComputeConfidence.values),
                    code_of_practice=rng.choice(CodeOfPractice.values),
                    analysis=self.text.sentence(),
                    uncertain_facts=rng.sample(Fact.values, rng.randint(0, 2)),
                    state=state,
                    **self.sourced(state, url),
                )
            )
        profiles = self.create(ModelProfile, profiles)
        self.create(
            ModelSource,
            [
                ModelSource(
                    profile=profile,
                    title=self.text.words(5).capitalize(),
                    url=f"https://synthetic.invalid/models/{profile.pk}/source-{n}",
                    verification=rng.choice(Verification.values),
                    checked_on=self.text.day(datetime.date(2025, 1, 1), 600),
                    facts=rng.sample(Fact.values, rng.randint(1, 6)),
                )
                for profile in profiles
                for n in range(rng.randint(1, 3))
            ],
        )


def counts_table(report: Report) -> str:
    width = max(len(k) for k in report.counts)
    return "\n".join(f"  {k:<{width}}  {v:>7}" for k, v in sorted(report.counts.items()))


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.synthetic --seed N``: run by ``make bench`` (bench/run.py)."""
    parser = argparse.ArgumentParser(
        description="Fill the database with a synthetic atlas at 100x today's size (50 "
        "jurisdictions, 1,000 instruments, 20,000 provisions, 3,000 arguments), deterministically "
        "from --seed. Empties every atlas table first: use a separate database, e.g. "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/atlas_bench (docs/performance.md)."
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--force",
        action="store_true",
        help="Replace atlas data that this command did not make (the curated dataset).",
    )
    parser.add_argument(
        "--if-changed",
        action="store_true",
        help="Do nothing when the database already holds this seed's synthetic atlas.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print the row counts")
    args = parser.parse_args(argv)
    if args.if_changed and database_comment() == marker(args.seed, FULL):
        print(f"Synthetic atlas (seed {args.seed}) already in place.")
        return
    started = time.monotonic()
    try:
        report = generate(seed=args.seed, force=args.force, fast=True)
    except RealDataPresent as error:
        sys.exit(str(error))
    elapsed = time.monotonic() - started
    if args.verbose:
        print(counts_table(report))
    rows = sum(report.counts.values())
    print(f"Synthetic atlas, seed {args.seed}: {rows} rows in {elapsed:.1f} s.")


__all__ = ["FULL", "MARK", "RealDataPresent", "Scale", "generate", "holds_other_data", "marker"]

if __name__ == "__main__":
    main()
