"""How published records look as JSON: one representation for the API and the full export.

Every record carries a stable ``id`` (its database key, unchanged when a provision is
relabelled), ``url`` (the HTML permalink) and ``api_url``. Relations point at other records
by id, and only at records the public may see: the querysets in ``comparisons.opendata.api``
prefetch published relations only, so a serializer never reveals a draft.
"""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from provisions.models import (
    Argument,
    Instrument,
    Jurisdiction,
    Provision,
    ProvisionText,
    Silence,
    Source,
    StatusBadge,
    Topic,
)
from provisions.models.arguments import ARGUMENT_FIELDS
from provisions.models.editorial import SOURCED_FIELDS
from provisions.models.taxonomy import Component, Condition

# What a record vouches for: its source, the day it was checked and against which copy, how
# well, and the day it was entered. ``checked_on`` is null where nobody checked the record on its
# own: then ``entered_on`` is the only date, and it is never a check date.
CHECKED_FIELDS = (*SOURCED_FIELDS, "checked_against", "entered_on")


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class LinkedSerializer(serializers.ModelSerializer):
    """Adds ``url`` (HTML permalink) and ``api_url`` (this record in the API)."""

    api_route: str = ""
    api_lookup: str = "pk"

    url = serializers.SerializerMethodField(help_text="The record's permalink on the site.")
    api_url = serializers.SerializerMethodField(help_text="The record in this API.")

    def get_url(self, obj) -> str:
        return absolute(self.context.get("request"), obj.get_absolute_url())

    def get_api_url(self, obj) -> str:
        path = reverse(
            f"comparisons:api:{self.api_route}-detail", args=[getattr(obj, self.api_lookup)]
        )
        return absolute(self.context.get("request"), path)


class JurisdictionSerializer(LinkedSerializer):
    api_route = "jurisdiction"
    api_lookup = "code"
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Jurisdiction
        fields = [
            "id",
            "code",
            "url",
            "api_url",
            "name",
            "short_name",
            "kind",
            "parent",
            "order",
            "description",
        ]


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        fields = ["id", "slug", "name", "description", "order"]


class TopicSerializer(TermSerializer):
    api_url = serializers.SerializerMethodField(help_text="The topic in this API.")

    class Meta(TermSerializer.Meta):
        model = Topic
        fields = ["id", "slug", "api_url", "name", "question", "description", "order"]

    def get_api_url(self, obj) -> str:
        return absolute(
            self.context.get("request"), reverse("comparisons:api:topic-detail", args=[obj.slug])
        )


class ComponentSerializer(TermSerializer):
    class Meta(TermSerializer.Meta):
        model = Component


class ConditionSerializer(TermSerializer):
    class Meta(TermSerializer.Meta):
        model = Condition
        fields = [*TermSerializer.Meta.fields, "polarity"]


class InstrumentSerializer(LinkedSerializer):
    api_route = "instrument"
    jurisdiction = serializers.SlugRelatedField(slug_field="code", read_only=True)
    ended_by = serializers.SerializerMethodField(
        help_text="Id of the published instrument that ended this one, if any."
    )

    class Meta:
        model = Instrument
        fields = [
            "id",
            "url",
            "api_url",
            "jurisdiction",
            "slug",
            "title",
            "short_title",
            "identifier",
            "kind",
            "binding",
            "official_url",
            "summary",
            "status",
            "proposed_on",
            "adopted_on",
            "in_force_on",
            "ended_on",
            "ended_by",
            "status_note",
            *CHECKED_FIELDS,
            "updated_at",
        ]

    def get_ended_by(self, obj) -> int | None:
        # Loaded with the instrument (select_related); a draft successor stays unnamed.
        ended_by = obj.ended_by
        return ended_by.pk if ended_by is not None and ended_by.is_published else None


class ArgumentLinkSerializer(serializers.Serializer):
    argument = serializers.IntegerField(source="argument_id")
    stance = serializers.CharField()
    note = serializers.CharField()


class StandingSerializer(serializers.Serializer):
    badge = serializers.ChoiceField(choices=StatusBadge.choices)
    date = serializers.DateField(allow_null=True)


class ProvisionTextSerializer(serializers.ModelSerializer):
    """One text of a provision: the law's own words in one language and version, with the legal
    value of the copy that was read and what a page calls the text because of it."""

    heading = serializers.CharField(
        source="provenance.heading",
        read_only=True,
        help_text='What the atlas calls this text: "Authentic text", "Quoted from a secondary '
        'source"…, from the copy that was read (legal_value), never from a typed heading.',
    )
    provenance = serializers.CharField(
        source="provenance.wording",
        read_only=True,
        help_text="One sentence on what was read, and against which copy.",
    )

    class Meta:
        model = ProvisionText
        fields = [
            "id",
            "language",
            "kind",
            "translator",
            "version_label",
            "published_in",
            "applies_from",
            "change_note",
            "extent",
            "body",
            "order",
            "copy_read",
            "legal_value",
            "heading",
            "provenance",
            *CHECKED_FIELDS,
        ]


class ProvisionSerializer(LinkedSerializer):
    api_route = "provision"
    jurisdiction = serializers.CharField(source="instrument.jurisdiction.code", read_only=True)
    citation = serializers.CharField(read_only=True)
    parent = serializers.SerializerMethodField(help_text="Id of the published enclosing provision.")
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    components = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    conditions = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    standing = serializers.SerializerMethodField(
        help_text="Legal standing today, as the matrix badge shows it."
    )
    arguments = ArgumentLinkSerializer(
        source="public_argument_links",
        many=True,
        read_only=True,
        help_text="Published arguments on this provision.",
    )
    texts = ProvisionTextSerializer(
        source="public_texts",
        many=True,
        read_only=True,
        help_text=(
            "The provision's published texts: the authentic text and translations, each in its "
            "language (BCP 47) and version. Bodies are plain text, one paragraph per line."
        ),
    )

    class Meta:
        model = Provision
        fields = [
            "id",
            "url",
            "api_url",
            "jurisdiction",
            "instrument",
            "parent",
            "kind",
            "label",
            "slug",
            "citation",
            "heading",
            "order",
            "texts",
            "summary",
            "openness_note",
            "treatment",
            "topics",
            "components",
            "conditions",
            "applies_from",
            "ceases_on",
            "standing",
            "arguments",
            *CHECKED_FIELDS,
            "updated_at",
        ]

    def get_parent(self, obj) -> int | None:
        parent = obj.parent
        return parent.pk if parent is not None and parent.is_published else None

    @extend_schema_field(StandingSerializer)
    def get_standing(self, obj) -> dict:
        day = self.context.get("today") or timezone.localdate()
        badge, date = obj.status_on(day)
        return {"badge": str(badge), "date": date.isoformat() if date else None}


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["title", "authors", "organisation", "published_on", "url", "arxiv_id", "doi"]


class ProvisionLinkSerializer(serializers.Serializer):
    provision = serializers.IntegerField(source="provision_id")
    stance = serializers.CharField()
    note = serializers.CharField()


class TopicLinkSerializer(serializers.Serializer):
    topic = serializers.CharField(source="topic.slug")
    stance = serializers.CharField()
    note = serializers.CharField()


class ComponentLinkSerializer(serializers.Serializer):
    component = serializers.CharField(source="component.slug")
    stance = serializers.CharField()
    note = serializers.CharField()


class ArgumentSerializer(LinkedSerializer):
    api_route = "argument"
    source = SourceSerializer(read_only=True)
    provisions = ProvisionLinkSerializer(
        source="public_provision_links",
        many=True,
        read_only=True,
        help_text="Published provisions this argument bears on.",
    )
    topics = TopicLinkSerializer(source="topic_links", many=True, read_only=True)
    components = ComponentLinkSerializer(source="component_links", many=True, read_only=True)

    class Meta:
        model = Argument
        fields = [
            "id",
            "url",
            "api_url",
            *ARGUMENT_FIELDS,
            *CHECKED_FIELDS,
            "updated_at",
        ]


class SilenceSerializer(serializers.ModelSerializer):
    """A finding of silence: reviewed, nothing found. Not the same as "not yet reviewed"."""

    jurisdiction = serializers.SlugRelatedField(slug_field="code", read_only=True)
    instruments = serializers.SerializerMethodField()
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    components = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Silence
        fields = [
            "id",
            "jurisdiction",
            "statement",
            "scope",
            "period_start",
            "period_end",
            "reviewed_on",
            "instruments",
            "topics",
            "components",
            *CHECKED_FIELDS,
            "updated_at",
        ]

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_instruments(self, obj) -> list[int]:
        return [i.pk for i in obj.instruments.all() if i.is_published]
