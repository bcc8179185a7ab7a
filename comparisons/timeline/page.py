"""The /timeline/ page: one timeline of legal developments across jurisdictions.

The filters are plain GET parameters (``j`` repeated, ``topic``) so every state is a URL and the
form works without JavaScript; htmx swaps the results in place. An unknown value is left out and
the page says so, never an error.
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from django.http import QueryDict

from comparisons.timeline.calendar import provision_dates
from comparisons.timeline.developments import Development, developments
from provisions.models import Jurisdiction, Topic


@dataclass
class TimelineQuery:
    codes: list[str] = field(default_factory=list)
    topic: str = ""
    ignored: list[str] = field(default_factory=list)
    jurisdictions: list[Jurisdiction] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)

    @classmethod
    def from_get(cls, get: QueryDict) -> "TimelineQuery":
        jurisdictions = list(Jurisdiction.objects.order_by("order", "name", "pk"))
        topics = list(Topic.objects.order_by("order", "name", "pk"))
        known_codes = {j.code for j in jurisdictions}
        known_topics = {t.slug for t in topics}
        asked = cls(jurisdictions=jurisdictions, topics=topics)
        for code in get.getlist("j"):
            if code in known_codes:
                if code not in asked.codes:
                    asked.codes.append(code)
            elif code:
                asked.ignored.append(f"No jurisdiction has the code “{code[:40]}”; ignored.")
        topic = get.get("topic", "")
        if topic in known_topics:
            asked.topic = topic
        elif topic:
            asked.ignored.append(f"No policy question is called “{topic[:40]}”; ignored.")
        return asked

    def cleaned_query(self) -> QueryDict:
        query = QueryDict(mutable=True)
        if self.codes:
            query.setlist("j", self.codes)
        if self.topic:
            query["topic"] = self.topic
        return query


@dataclass
class Year:
    year: int
    items: list[Development]


def timeline_context(asked: TimelineQuery, today: datetime.date) -> dict:
    items = developments(asked.codes or None, asked.topic or None)
    past = [d for d in items if d.date <= today]
    future = [d for d in items if d.date > today]
    topic = next((t for t in asked.topics if t.slug == asked.topic), None)
    chosen = [j for j in asked.jurisdictions if j.code in asked.codes]
    query = asked.cleaned_query().urlencode()
    return {
        "asked": asked,
        "topic": topic,
        "chosen": chosen,
        "today": today,
        "years": [Year(y, list(group)) for y, group in groupby(past, key=lambda d: d.date.year)],
        "upcoming": future,
        # The calendar feed's other events: provisions' own dates still ahead.
        "provision_dates": sorted(
            provision_dates(asked.codes or None, asked.topic or None, today),
            key=lambda e: (e.date, e.jurisdiction_order, e.summary, e.uid),
        ),
        "count": len(items),
        "query": query,
        "feed_url": "/feeds/legal-developments.atom" + (f"?{query}" if query else ""),
    }
