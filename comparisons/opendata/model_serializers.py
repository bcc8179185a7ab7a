"""Model profiles in the JSON API: the profile, its sources, and how each provision treats it.

The evaluations are the atlas's analysis (``provisions.openness``), computed on each request
from the same data as the pages; the response says so in ``evaluation_note``.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from comparisons.opendata.serializers import LinkedSerializer
from provisions.models import ModelProfile, ModelSource
from provisions.openness import (
    CONFIDENCE_LABELS,
    DISCLAIMER,
    OUTCOMES,
    RULING_LABELS,
    ModelFacts,
    evaluate,
    rule_jurisdiction,
)


class ModelSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModelSource
        fields = ["title", "url", "verification", "checked_on", "facts", "note"]


class FindingSerializer(serializers.Serializer):
    condition = serializers.CharField(help_text="The condition, in words.")
    kind = serializers.CharField(help_text="The condition's kind (a Check value).")
    outcome = serializers.ChoiceField(choices=list(OUTCOMES))
    confidence = serializers.ChoiceField(choices=list(CONFIDENCE_LABELS))
    fact = serializers.CharField(help_text="The model fact that decided it.")
    imposed_by = serializers.CharField(help_text="The text that sets the condition.")
    imposed_by_url = serializers.CharField(help_text="Its page on the site (may be empty).")


class EvaluationSerializer(serializers.Serializer):
    provision_id = serializers.IntegerField()
    provision = serializers.CharField(help_text="Citation of the provision.")
    jurisdiction = serializers.CharField()
    outcome = serializers.ChoiceField(choices=list(OUTCOMES))
    label = serializers.CharField()
    findings = FindingSerializer(many=True)


class VerdictSerializer(serializers.Serializer):
    jurisdiction = serializers.CharField()
    on = serializers.DateField(help_text="The day the verdict is for (today).")
    outcome = serializers.ChoiceField(choices=list(RULING_LABELS))
    label = serializers.CharField()
    confidence = serializers.ChoiceField(choices=list(CONFIDENCE_LABELS))
    reason = serializers.CharField(help_text="The one reason that decides it.")
    cited = serializers.CharField(help_text="The text that sets the deciding condition.")
    note = serializers.CharField(help_text="A transition that delays the consequence, if any.")


class ModelProfileSerializer(LinkedSerializer):
    api_route = "modelprofile"
    api_lookup = "slug"
    sources = ModelSourceSerializer(many=True, read_only=True)
    evaluations = serializers.SerializerMethodField(
        help_text="How each provision with openness conditions treats the model: the atlas's "
        "analysis, not legal advice."
    )
    evaluation_note = serializers.SerializerMethodField()
    verdicts = serializers.SerializerMethodField(
        help_text="One answer per jurisdiction with conditions, today: exempt, not exempt, not "
        "applicable or uncertain, how sure, and why. The atlas's analysis, not legal advice."
    )

    class Meta:
        model = ModelProfile
        # The stored search vector is search's index, not a fact about the model.
        exclude = ["state", "created_at", "search"]

    def get_evaluation_note(self, obj) -> str:
        return DISCLAIMER

    @extend_schema_field(VerdictSerializer(many=True))
    def get_verdicts(self, obj) -> list[dict]:
        columns = self.context.get("columns") or []
        facts = ModelFacts.from_profile(obj)
        on = timezone.localdate()
        groups: dict[str, list] = {}
        for column in columns:
            groups.setdefault(column.jurisdiction.code, []).append(column.part)
        results = []
        for code, parts in groups.items():
            ruling = rule_jurisdiction(facts, parts, on)
            results.append(
                {
                    "jurisdiction": code,
                    "on": on,
                    "outcome": ruling.outcome,
                    "label": ruling.label,
                    "confidence": ruling.confidence,
                    "reason": ruling.reason,
                    "cited": ruling.cited,
                    "note": ruling.note,
                }
            )
        return results

    @extend_schema_field(EvaluationSerializer(many=True))
    def get_evaluations(self, obj) -> list[dict]:
        columns = self.context.get("columns") or []
        facts = ModelFacts.from_profile(obj)
        results = []
        for column in columns:
            verdict = evaluate(facts, column.rules)
            if verdict is None:
                continue
            results.append(
                {
                    "provision_id": column.provision.pk,
                    "provision": column.provision.citation,
                    "jurisdiction": column.jurisdiction.code,
                    "outcome": verdict.outcome,
                    "label": verdict.label(column.provision.treatment),
                    "findings": [
                        {
                            "condition": f.label,
                            "kind": f.rule.kind,
                            "outcome": f.outcome,
                            "confidence": f.confidence,
                            "fact": f.fact,
                            "imposed_by": f.rule.cited,
                            "imposed_by_url": f.rule.url,
                        }
                        for f in verdict.findings
                    ],
                }
            )
        return results
