"""What changed in the law between two dates, across the atlas or in chosen jurisdictions
(``/timeline/between/?from=2025-01-01&to=2026-12-07&j=eu``, and the same as JSON at
``/timeline/between.json``): instruments' steps (adopted, in force, revoked, ended, their
recorded events), provisions that began or ceased to apply, and texts amended, each linking
its page (an amended text links its redline). Both ends are included.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from comparisons.timeline.calendar import provision_dates
from comparisons.timeline.developments import developments
from provisions.models import ProvisionText

KINDS = {
    "development": "Legal step",
    "begins": "Began to apply",
    "ceases": "Ceased to apply",
    "amended": "Text amended",
}


@dataclass(frozen=True)
class Change:
    date: datetime.date
    kind: str
    summary: str
    path: str
    jurisdiction: str

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    def as_json(self, absolute) -> dict:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "summary": self.summary,
            "url": absolute(self.path),
            "jurisdiction": self.jurisdiction,
        }


def amended_texts(codes, start: datetime.date, end: datetime.date) -> list[Change]:
    """Authentic texts whose amended version applies from a day in the range (one query;
    translations of the same amendment are not counted again)."""
    texts = (
        ProvisionText.objects.public()
        .filter(kind=ProvisionText.Kind.AUTHENTIC, applies_from__gte=start, applies_from__lte=end)
        .select_related("provision__instrument__jurisdiction")
        .order_by("applies_from", "pk")
    )
    if codes:
        texts = texts.filter(
            Q(provision__instrument__jurisdiction__code__in=codes)
            | Q(provision__instrument__jurisdiction__parent__code__in=codes)
        )
    found = []
    for text in texts:
        provision = text.provision
        instrument = provision.instrument
        day = text.applies_from
        path = reverse(
            "comparisons:provision-changes",
            kwargs={
                "jurisdiction": instrument.jurisdiction.code,
                "instrument": instrument.slug,
                "provision": provision.slug,
            },
        )
        path += f"?from={day - datetime.timedelta(days=1)}&to={day}"
        what = text.change_note or text.version_label
        found.append(
            Change(
                day, "amended", f"{provision.citation}: {what}", path, instrument.jurisdiction.code
            )
        )
    return found


def changes_between(codes, start: datetime.date, end: datetime.date) -> list[Change]:
    """Every change in the range, oldest first (four queries whatever the data's size)."""
    items = [
        Change(
            d.date,
            "development",
            f"{d.instrument.short_title}: {d.description}",
            d.instrument.get_absolute_url(),
            d.jurisdiction.code,
        )
        for d in developments(codes, None)
        if start <= d.date <= end
    ]
    for dated in provision_dates(codes, None, start - datetime.timedelta(days=1), end):
        items.append(Change(dated.date, dated.kind, dated.summary, dated.path, dated.jurisdiction))
    items += amended_texts(codes, start, end)
    order = list(KINDS)
    return sorted(items, key=lambda c: (c.date, c.jurisdiction, order.index(c.kind), c.summary))
