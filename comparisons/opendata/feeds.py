"""Atom feeds of published changes: the whole atlas, one jurisdiction, one topic.

Each entry is one change from ``comparisons.timeline.changes``: what changed, when, and a link
to the record. Entry ids are tag URIs built from the history row, so a reader never sees an
entry twice and every edit gets its own entry.
"""

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.core.validators import slug_re
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from comparisons.timeline.changes import EVERYTHING, Change, Scope, recent_changes
from comparisons.timeline.developments import developments
from provisions.models import EditorialState, Jurisdiction, ModelProfile, Topic
from provisions.plaintext import xml_safe


def _xml_safe(value):
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(v) for v in value)
    return xml_safe(value)


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose summaries are declared text: editors write plain text, never markup.

    Django's Atom feed declares ``<summary type="html">``, so a reader would render an editor's
    ``<img onerror=…>`` (escaped once, for the XML) as live markup. Here it stays characters.
    Every string is also made XML-safe: one stray control character must not take a feed down.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(
            *[_xml_safe(a) for a in args], **{k: _xml_safe(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args, **kwargs):
        super().add_item(
            *[_xml_safe(a) for a in args], **{k: _xml_safe(v) for k, v in kwargs.items()}
        )

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


@dataclass(frozen=True)
class Asked:
    """What a feed request is about, and the host entry ids are minted under."""

    scope: Scope
    host: str


def asked(request, scope: Scope | None = None) -> Asked:
    return Asked(scope=scope or EVERYTHING, host=request.get_host().rsplit(":", 1)[0])


class ChangesFeed(Feed):
    feed_type = PlainTextAtomFeed
    author_name = "Openness Atlas editors"

    def get_object(self, request) -> Asked:
        return asked(request)

    def title(self, obj: Asked) -> str:
        scope = obj.scope
        if scope.jurisdiction:
            return f"Openness Atlas: what changed in {scope.jurisdiction.name}"
        if scope.topic:
            return f"Openness Atlas: what changed on “{scope.topic.name}”"
        return "Openness Atlas: what changed"

    def subtitle(self, obj: Asked) -> str:
        return (
            "Our published edits to the atlas (provisions, instruments, arguments), newest first. "
            "Not changes in the law: those are in the feed “legal developments”."
        )

    def link(self, obj: Asked) -> str:
        return reverse("comparisons:changes")

    def items(self, obj: Asked) -> list[tuple[Change, str]]:
        return [(change, obj.host) for change in recent_changes(obj.scope)]

    def item_title(self, item) -> str:
        return item[0].headline

    def item_description(self, item) -> str:
        change = item[0]
        if change.action == "withdrawn":
            what = "Withdrawn."
        elif change.action == "published":
            what = "Newly published."
        else:
            what = "Changed: " + ", ".join(change.fields) + "."
        return f"{what} {change.summary}"

    def item_link(self, item) -> str:
        return item[0].url

    def item_guid(self, item) -> str:
        change, host = item
        return f"tag:{host},2026:change:{change.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item[0].when

    def item_updateddate(self, item):
        return item[0].when

    def item_categories(self, item):
        change = item[0]
        return [change.kind, change.action] + ([change.jurisdiction] if change.jurisdiction else [])


class JurisdictionChangesFeed(ChangesFeed):
    def get_object(self, request, code: str) -> Asked:
        return asked(request, Scope(jurisdiction=get_object_or_404(Jurisdiction, code=code)))

    def link(self, obj: Asked) -> str:
        return obj.scope.jurisdiction.get_absolute_url()


class TopicChangesFeed(ChangesFeed):
    def get_object(self, request, slug: str) -> Asked:
        return asked(request, Scope(topic=get_object_or_404(Topic, slug=slug)))

    def link(self, obj: Asked) -> str:
        return f"{reverse('comparisons:home')}?topic={obj.scope.topic.slug}"


class ModelChangesFeed(Feed):
    """Model profiles as they were published or changed while published, newest first."""

    feed_type = PlainTextAtomFeed
    author_name = "Openness Atlas editors"
    title = "Openness Atlas: model profiles"
    subtitle = "Published model profiles and their changes, newest first."
    item_guid_is_permalink = False

    def get_object(self, request) -> str:
        return request.get_host().rsplit(":", 1)[0]

    def link(self) -> str:
        return reverse("comparisons:models")

    def items(self, host: str):
        public = ModelProfile.objects.published().values_list("pk", flat=True)
        rows = ModelProfile.history.filter(state=EditorialState.PUBLISHED, id__in=public).order_by(
            "-history_date", "-history_id"
        )[:50]
        return [(row, host) for row in rows]

    def item_title(self, item) -> str:
        row = item[0]
        return f"{row.name}: {'published' if row.history_type == '+' else 'changed'}"

    def item_description(self, item) -> str:
        return item[0].analysis

    def item_link(self, item) -> str:
        return reverse("comparisons:model", kwargs={"slug": item[0].slug})

    def item_guid(self, item) -> str:
        row, host = item
        return f"tag:{host},2026:model-change:{row.history_id}"

    def item_pubdate(self, item):
        return item[0].history_date

    def item_updateddate(self, item):
        return item[0].history_date


class LegalDevelopmentsFeed(Feed):
    """Changes in the law itself (adopted, in force, amended, revoked, ruled on …), newest first.

    Not the "What changed" feed, which lists our edits to the atlas. ``?j=kr&topic=…`` narrow it
    as on the timeline page; unknown values are ignored. Dates still to come are left out: a
    feed announces what has happened.
    """

    feed_type = PlainTextAtomFeed
    author_name = "Openness Atlas editors"
    title = "Openness Atlas: legal developments (changes in the law)"
    subtitle = (
        "Bills proposed, laws adopted and in force, amendments, revocations, rulings and "
        "guidance on AI, across jurisdictions, newest first. Our own edits to the atlas are in "
        "the separate feed “What changed in the atlas”."
    )
    item_guid_is_permalink = False

    def get_object(self, request):
        known = set(Jurisdiction.objects.values_list("code", flat=True))
        codes = [code for code in request.GET.getlist("j") if code in known]
        topic = request.GET.get("topic", "")
        # Only a slug is looked up: other text (a NUL byte) is no topic, and never reaches SQL.
        if not slug_re.fullmatch(topic) or not Topic.objects.filter(slug=topic).exists():
            topic = ""
        return (codes, topic, request.get_host().rsplit(":", 1)[0])

    def link(self) -> str:
        return reverse("comparisons:timeline")

    def items(self, obj):
        codes, topic, host = obj
        today = timezone.localdate()
        found = [d for d in developments(codes or None, topic or None) if d.date <= today]
        return [(d, host) for d in reversed(found[-50:])]

    def item_title(self, item) -> str:
        development = item[0]
        return (
            f"{development.jurisdiction.short_name}, {development.instrument.short_title}: "
            f"{development.description}"
        )

    def item_description(self, item) -> str:
        development = item[0]
        return (
            f"{development.date.isoformat()} ({development.instrument.title}). "
            f"{development.description} Verification: {development.verification}."
        )

    def item_link(self, item) -> str:
        return item[0].instrument.get_absolute_url()

    def item_guid(self, item) -> str:
        development, host = item
        return f"tag:{host},2026:legal-development:{development.key}"

    def item_pubdate(self, item):
        day = item[0].date
        return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)

    item_updateddate = item_pubdate

    def item_categories(self, item):
        development = item[0]
        return [development.jurisdiction.code, development.instrument.get_kind_display()]
