"""The editors' desk: what needs work, as named lists of records, each one queryset.

The admin index shows a count per list and kind of record (``provisions/templatetags/desk.py``),
each count a link to the admin list filtered by ``?desk=<key>`` (``provisions.admin.desk``).
Both read the lists from here, so a count and the list it links to cannot disagree.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from provisions.models import (
    Argument,
    EditorialState,
    Instrument,
    Provision,
    ProvisionText,
    Silence,
    Source,
    Verification,
)
from provisions.models.editorial import can_publish
from provisions.models.links import failed_link
from provisions.models.review import sent_back

# Records checked longer ago than this are listed as due for a new check (settings override).
DEFAULT_STALE_AFTER_DAYS = 183  # six months


@dataclass(frozen=True)
class Asker:
    """Who looks at the desk, and on which day."""

    user: object
    today: datetime.date


def stale_after_days() -> int:
    return getattr(settings, "DESK_STALE_AFTER_DAYS", DEFAULT_STALE_AFTER_DAYS)


def stale_cutoff(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=stale_after_days())


def provisions_without_official_text(queryset: QuerySet) -> QuerySet:
    """Provisions that quote no official text yet.

    The one place that knows where official texts live: the provision's texts
    (``ProvisionText``), in draft or published.
    """
    authentic = ProvisionText.objects.filter(
        provision=OuterRef("pk"), kind=ProvisionText.Kind.AUTHENTIC
    )
    return queryset.filter(~Exists(authentic))


def mine(queryset: QuerySet, asker: Asker) -> QuerySet:
    """Records the user created or edited (the history says who saved each version)."""
    history = queryset.model.history.model
    return queryset.filter(
        Exists(history.objects.filter(id=OuterRef("pk"), history_user=asker.user))
    )


def my_drafts(queryset: QuerySet, asker: Asker) -> QuerySet:
    """Drafts the user created or edited, sent back ones included."""
    return mine(queryset.filter(state=EditorialState.DRAFT), asker)


def mine_awaiting_review(queryset: QuerySet, asker: Asker) -> QuerySet:
    """What the user worked on and submitted: it stays in sight until a reviewer acts."""
    return mine(queryset.filter(state=EditorialState.IN_REVIEW), asker)


def mine_sent_back(queryset: QuerySet, asker: Asker) -> QuerySet:
    """Drafts of the user's that a reviewer sent back, until they are submitted again."""
    return sent_back(mine(queryset.filter(state=EditorialState.DRAFT), asker), to=asker.user)


def awaiting_review(queryset: QuerySet, asker: Asker) -> QuerySet:
    return queryset.filter(state=EditorialState.IN_REVIEW)


def check_is_old(queryset: QuerySet, asker: Asker) -> QuerySet:
    """Checked too long ago, or never checked on its own and entered too long ago."""
    cutoff = stale_cutoff(asker.today)
    due = Q(checked_on__lt=cutoff)
    if any(f.name == "entered_on" for f in queryset.model._meta.get_fields()):
        due |= Q(checked_on=None, entered_on__lt=cutoff)
    return queryset.exclude(state=EditorialState.WITHDRAWN).filter(due)


def public_but_not_official(queryset: QuerySet, asker: Asker) -> QuerySet:
    """Shown to the public, but not checked against the official text."""
    if queryset.model is Source:
        # Exists, not a join: a source of several arguments is listed once.
        behind_public = Argument.objects.filter(
            source=OuterRef("pk"), state=EditorialState.PUBLISHED
        )
        return queryset.exclude(verification=Verification.OFFICIAL).filter(Exists(behind_public))
    return queryset.filter(state=EditorialState.PUBLISHED).exclude(
        verification=Verification.OFFICIAL
    )


def without_official_text(queryset: QuerySet, asker: Asker) -> QuerySet:
    return provisions_without_official_text(queryset.exclude(state=EditorialState.WITHDRAWN))


def without_official_url(queryset: QuerySet, asker: Asker) -> QuerySet:
    return queryset.exclude(state=EditorialState.WITHDRAWN).filter(official_url="")


def link_check_failed(queryset: QuerySet, asker: Asker) -> QuerySet:
    field = "url" if queryset.model is Source else "official_url"
    return queryset.filter(failed_link(field))


@dataclass(frozen=True)
class DeskList:
    key: str
    title: str
    models: tuple[type, ...]
    select: Callable[[QuerySet, Asker], QuerySet]
    reviewers_only: bool = False
    group: str = ""  # rows of one group sit under its heading on the desk


EDITORIAL = (Provision, Instrument, Argument, Silence)
MY_WORK = _("My work")
DESK_LISTS = [
    DeskList("mine", _("My drafts"), EDITORIAL, my_drafts, group=MY_WORK),
    DeskList(
        "mine-in-review", _("Mine, awaiting review"), EDITORIAL, mine_awaiting_review, group=MY_WORK
    ),
    DeskList(
        "mine-sent-back", _("Mine, sent back to me"), EDITORIAL, mine_sent_back, group=MY_WORK
    ),
    DeskList(
        "review", _("Awaiting review"), EDITORIAL + (Source,), awaiting_review, reviewers_only=True
    ),
    DeskList("stale", _("Due for a new check"), EDITORIAL, check_is_old),
    DeskList(
        "weak",
        _("Public, but unverified or from a secondary source"),
        EDITORIAL + (Source,),
        public_but_not_official,
    ),
    DeskList("no-text", _("Without official text"), (Provision,), without_official_text),
    DeskList("no-url", _("Without official URL"), (Instrument,), without_official_url),
    DeskList("link-failed", _("Last link check failed"), (Instrument, Source), link_check_failed),
]
BY_KEY = {desk_list.key: desk_list for desk_list in DESK_LISTS}


def lists_for(model, user) -> list[DeskList]:
    """The desk lists that apply to ``model``, as ``user`` may see them."""
    return [
        d
        for d in DESK_LISTS
        if model in d.models
        and (not d.reviewers_only or (hasattr(model, "state") and can_publish(user, model)))
    ]


def asker_of(request) -> Asker:
    return Asker(user=request.user, today=timezone.localdate())


def desk_counts(asker: Asker, models=EDITORIAL + (Source,)) -> dict[tuple[str, type], int]:
    """(list key, model) → how many records: one query per kind of record."""
    counts = {}
    for model in models:
        lists = lists_for(model, asker.user)
        if not lists:
            continue
        everything = model._default_manager.all()
        found = everything.aggregate(
            **{
                d.key: Count("pk", filter=Q(pk__in=d.select(everything, asker).values("pk")))
                for d in lists
            }
        )
        counts.update({(key, model): n for key, n in found.items()})
    return counts
