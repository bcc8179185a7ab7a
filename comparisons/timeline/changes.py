"""What changed: published changes to the atlas, read from the edit history.

django-simple-history keeps a row per save of every record. A *change* here is a save after
which the record was published: either it became public ("published") or a published record
was edited ("updated", with the fields that differ from the save before, via
``diff_against``). Saves in draft or review never count, so a draft never shows. Only records
that are public today are listed, so every change links to a page that exists.

An editor's one save in the admin writes several history rows (the record, then each list of
topics, components, conditions), so rows of one record less than ``BURST`` apart make one change.
Everything is read in a fixed number of queries, whatever the history's length.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import Lag
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from provisions.models import Argument, EditorialState, Instrument, Jurisdiction, Provision, Topic

BURST = datetime.timedelta(minutes=10)
LIMIT = 50
# Bookkeeping, not content: never reported as "changed".
NOT_CONTENT = {"state", "created_at", "updated_at", "order"}
# Said by the withdrawal entry itself, not an update of what the public page shows.
NOT_CONTENT |= {"withdrawn_on", "withdrawal_reason", "successor"}


@dataclass
class Change:
    kind: str  # "provision", "instrument", "argument"
    object_id: int
    history_id: int  # the latest history row of the change: stable, unique per kind
    when: datetime.datetime
    action: str  # "published", "updated" or "withdrawn"
    title: str
    url: str
    summary: str
    jurisdiction: str = ""
    fields: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.object_id}-{self.history_id}"

    @property
    def headline(self) -> str:
        verb = {"published": "Published", "withdrawn": "Withdrawn"}.get(self.action, "Updated")
        return f"{verb}: {self.title}"


@dataclass(frozen=True)
class Scope:
    """Which part of the atlas: everything, one jurisdiction, or one topic."""

    jurisdiction: Jurisdiction | None = None
    topic: Topic | None = None

    def provisions(self, base: QuerySet | None = None) -> QuerySet:
        qs = Provision.objects.public() if base is None else base
        if self.jurisdiction:
            qs = qs.filter(instrument__jurisdiction=self.jurisdiction)
        if self.topic:
            qs = qs.filter(topics=self.topic)
        return qs

    def instruments(self, base: QuerySet | None = None) -> QuerySet | None:
        if self.topic:
            return None  # an instrument is not on a topic; its provisions are
        qs = Instrument.objects.published() if base is None else base
        if self.jurisdiction:
            qs = qs.filter(jurisdiction=self.jurisdiction)
        return qs

    def arguments(self, base: QuerySet | None = None) -> QuerySet | None:
        if self.jurisdiction:
            return None  # arguments are not tied to one jurisdiction
        qs = Argument.objects.published() if base is None else base
        if self.topic:
            qs = qs.filter(Q(topics=self.topic) | Q(provisions__topics=self.topic)).distinct()
        return qs


EVERYTHING = Scope()


def m2m_values(model, names, history_ids) -> dict[tuple[str, int], frozenset]:
    """(field name, history id) → the related ids that save recorded; one query per field."""
    history = model.history.model
    values: dict[tuple[str, int], set] = {}
    for name in names:
        through = apps.get_model(history._meta.app_label, f"{history.__name__}_{name}")
        target = f"{model._meta.get_field(name).m2m_reverse_field_name()}_id"
        pairs = through.objects.filter(history_id__in=history_ids).values_list("history_id", target)
        for history_id, related_id in pairs:
            values.setdefault((name, history_id), set()).add(related_id)
    return {key: frozenset(ids) for key, ids in values.items()}


def changed_fields(model, new, old, m2m, m2m_names) -> list[str]:
    """The readable names of what differs between two saves of a published record."""
    concrete = [
        f.name
        for f in model._meta.concrete_fields
        if f.editable and f.name not in NOT_CONTENT and not f.primary_key
    ]
    delta = new.diff_against(old, included_fields=concrete)
    names = list(delta.changed_fields)
    for name in m2m_names:
        empty = frozenset()
        if m2m.get((name, new.history_id), empty) != m2m.get((name, old.history_id), empty):
            names.append(name)
    return [str(model._meta.get_field(name).verbose_name) for name in sorted(names)]


def describe(kind: str, record) -> tuple[str, str, str]:
    """Title, permalink and summary of a public record, for a change line."""
    if kind == "provision":
        return record.citation, record.get_absolute_url(), record.summary
    if kind == "instrument":
        return f"{record.short_title}: {record.title}", record.get_absolute_url(), record.summary
    return record.title, record.get_absolute_url(), record.summary


def jurisdiction_of(kind: str, record) -> str:
    if kind == "provision":
        return record.instrument.jurisdiction.code
    if kind == "instrument":
        return record.jurisdiction.code
    return ""


LOADING = {
    "provision": ("instrument__jurisdiction",),
    "instrument": ("jurisdiction",),
    "argument": (),
}


def changes_of(
    kind: str, model, public: QuerySet, limit: int, withdrawn: QuerySet | None = None
) -> list[Change]:
    """Changes to the ``public`` records, and the withdrawals of the ``withdrawn`` ones.

    A withdrawal (a save that took a published record to withdrawn) is a change too: its
    entry links to the permalink, which answers 410 with the withdrawal page.
    """
    history = model.history.model
    m2m_names = [f.name for f in getattr(history, "_history_m2m_fields", [])]
    wanted = Q(id__in=public.values("pk"))
    if withdrawn is not None:
        wanted |= Q(id__in=withdrawn.values("pk"))
    rows = list(
        history.objects.filter(wanted)
        .annotate(
            previous_id=Window(
                Lag("history_id"),
                partition_by=[F("id")],
                order_by=[F("history_date").asc(), F("history_id").asc()],
            )
        )
        .order_by("-history_date", "-history_id")[: limit * 4]
    )
    by_id = {row.history_id: row for row in rows}
    missing = {row.previous_id for row in rows if row.previous_id and row.previous_id not in by_id}
    by_id.update(history.objects.in_bulk(missing, field_name="history_id"))
    m2m = m2m_values(model, m2m_names, list(by_id)) if m2m_names else {}
    loading = model.objects.select_related(*LOADING[kind]) if LOADING[kind] else model.objects
    current = loading.in_bulk({row.id for row in rows})

    changes: list[Change] = []
    last: dict[int, tuple[Change, int]] = {}  # object id → (its latest change, its row)
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        if row.id not in current:
            continue
        previous = by_id.get(row.previous_id)
        if current[row.id].state == EditorialState.WITHDRAWN:
            if (
                row.state == EditorialState.WITHDRAWN
                and previous is not None
                and previous.state == EditorialState.PUBLISHED
            ):
                changes.append(withdrawal(kind, current[row.id], row))
            continue
        if row.state != EditorialState.PUBLISHED:
            continue
        if previous is None or previous.state != EditorialState.PUBLISHED:
            action, fields = "published", []
        else:
            action, fields = "updated", changed_fields(model, row, previous, m2m, m2m_names)
            if not fields:
                continue
        before = last.get(row.id)
        if before and before[1] == row.previous_id and row.history_date - before[0].when < BURST:
            change = before[0]  # the same save, or the same sitting: one change
            change.fields = sorted(set(change.fields) | set(fields))
            change.when, change.history_id = row.history_date, row.history_id
        else:
            record = current[row.id]
            title, url, summary = describe(kind, record)
            change = Change(
                kind=kind,
                object_id=row.id,
                history_id=row.history_id,
                when=row.history_date,
                action=action,
                title=title,
                url=url,
                summary=summary,
                jurisdiction=jurisdiction_of(kind, record),
                fields=fields,
            )
            changes.append(change)
        last[row.id] = (change, row.history_id)
    return changes


def withdrawal(kind: str, record, row) -> Change:
    title, url, summary = describe(kind, record)
    return Change(
        kind=kind,
        object_id=record.pk,
        history_id=row.history_id,
        when=row.history_date,
        action="withdrawn",
        title=title,
        url=url,
        summary=record.withdrawal_reason or summary,
        jurisdiction=jurisdiction_of(kind, record),
    )


def recent_changes(scope: Scope | None = None, limit: int = LIMIT) -> list[Change]:
    """The latest published changes in ``scope`` (default: everywhere), newest first.

    Withdrawals of once-public records count as changes too.
    """
    scope = scope or EVERYTHING
    withdrawn = EditorialState.WITHDRAWN
    found = changes_of(
        "provision",
        Provision,
        scope.provisions(),
        limit,
        withdrawn=scope.provisions(Provision.objects.filter(state=withdrawn)),
    )
    if (instruments := scope.instruments()) is not None:
        found += changes_of(
            "instrument",
            Instrument,
            instruments,
            limit,
            withdrawn=scope.instruments(Instrument.objects.filter(state=withdrawn)),
        )
    if (arguments := scope.arguments()) is not None:
        found += changes_of(
            "argument",
            Argument,
            arguments,
            limit,
            withdrawn=scope.arguments(Argument.objects.filter(state=withdrawn)),
        )
    found.sort(key=lambda c: (c.when, c.history_id), reverse=True)
    return found[:limit]


@require_safe
def changes_page(request: HttpRequest) -> HttpResponse:
    """The "What changed" page: the latest published changes, with links to the feeds."""
    jurisdictions = list(Jurisdiction.objects.all())
    return render(
        request,
        "comparisons/changes.html",
        {
            "changes": recent_changes(),
            "jurisdictions": jurisdictions,
            "topics": list(Topic.objects.all()),
        },
    )
