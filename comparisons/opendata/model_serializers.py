"""Model profiles in the JSON API: the profile, its sources, and how each provision treats it.

The evaluations are the atlas's analysis (``provisions.openness``), computed on each request
from the same data as the pages; the response says so in ``evaluation_note``.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from comparisons.opendata.serializers import LinkedSerializer
from provisions.models import ModelProfile, ModelSource
from provisions.openness import DISCLAIMER, ModelFacts, evaluate


class ModelSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModelSource
        fields = ["title", "url", "verification", "checked_on", "facts", "note"]


class FindingSerializer(serializers.Serializer):
    condition = serializers.CharField(help_text="The condition, in words.")
    kind = serializers.CharField(help_text="The condition's kind (a Check value).")
    outcome = serializers.ChoiceField(choices=["meets", "fails", "uncertain"])
    fact = serializers.CharField(help_text="The model fact that decided it.")
    imposed_by = serializers.CharField(help_text="The text that sets the condition.")
    imposed_by_url = serializers.CharField(help_text="Its page on the site (may be empty).")


class EvaluationSerializer(serializers.Serializer):
    provision_id = serializers.IntegerField()
    provision = serializers.CharField(help_text="Citation of the provision.")
    jurisdiction = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["meets", "fails", "uncertain"])
    label = serializers.CharField()
    findings = FindingSerializer(many=True)


class ModelProfileSerializer(LinkedSerializer):
    api_route = "modelprofile"
    api_lookup = "slug"
    sources = ModelSourceSerializer(many=True, read_only=True)
    evaluations = serializers.SerializerMethodField(
        help_text="How each provision with openness conditions treats the model: the atlas's "
        "analysis, not legal advice."
    )
    evaluation_note = serializers.SerializerMethodField()

    class Meta:
        model = ModelProfile
        exclude = ["state", "created_at"]

    def get_evaluation_note(self, obj) -> str:
        return DISCLAIMER

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
                            "fact": f.fact,
                            "imposed_by": f.rule.cited,
                            "imposed_by_url": f.rule.url,
                        }
                        for f in verdict.findings
                    ],
                }
            )
        return results
