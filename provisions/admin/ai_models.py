"""Model profiles (with their sources inline) and the openness conditions of provisions."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from provisions.models import (
    EditorialState,
    ModelProfile,
    ModelSource,
    OpennessRequirement,
    Verification,
)
from provisions.models.ai_models import Fact, MofComponent

from .workflow import EDITORIAL_STATE, EditorialAdmin, PartAdmin, PartOfEditorialInline


class FactsField(forms.TypedMultipleChoiceField):
    """An array of facts, ticked in a list rather than typed with commas."""

    choices_of = Fact

    def __init__(self, **kwargs):
        kwargs.pop("base_field", None)
        kwargs.pop("max_length", None)
        super().__init__(
            choices=self.choices_of.choices, widget=forms.CheckboxSelectMultiple, **kwargs
        )


class MofComponentsField(FactsField):
    """The Model Openness Framework's components, ticked."""

    choices_of = MofComponent


class SourcesFormSet(forms.BaseInlineFormSet):
    """A published profile states as fact only what a checked source supports.

    The check runs here, not in the model's clean(): only the formset sees the sources being
    added in the same submission.
    """

    def clean(self):
        super().clean()
        profile = self.instance
        if profile.state != EditorialState.PUBLISHED:
            return
        supported = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            if data.get("verification") != Verification.UNVERIFIED:
                supported |= set(data.get("facts") or [])
        missing = [
            str(Fact(f).label).lower()
            for f in Fact.values
            if f not in supported and f not in profile.uncertain_facts
        ]
        if missing:
            raise forms.ValidationError(
                _(
                    "A published profile states as fact only what a checked source supports. "
                    "Add a source for, or mark as uncertain: %(facts)s."
                )
                % {"facts": ", ".join(missing)}
            )


class ModelSourceInline(PartOfEditorialInline, admin.StackedInline):
    model = ModelSource
    formset = SourcesFormSet
    fields = ["title", "url", ("verification", "checked_on"), "facts", "note"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "facts":
            return FactsField(required=False, label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(ModelProfile)
class ModelProfileAdmin(EditorialAdmin):
    list_display = ["name", "provider", "licence_name", "weights_access", "state", "verification"]
    list_filter = ["state", "verification", "weights_access", "licence_osi", "provider_country"]
    search_fields = ["name", "provider", "licence_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ModelSourceInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "provider",
                    "provider_country",
                    "provider_in_eu",
                    "release_date",
                    "versions",
                ]
            },
        ),
        (_("Weights"), {"fields": ["weights_access", "weights_where"]}),
        (
            _("Licence"),
            {
                "fields": [
                    "licence_name",
                    ("licence_url", "licence_spdx"),
                    "licence_osi",
                    ("grants_access", "grants_use", "grants_modification", "grants_redistribution"),
                    ("research_only", "separate_commercial_licence", "paid_access"),
                    ("user_cap", "user_cap_on_release"),
                    ("scale_duty_users", "revenue_cap_usd"),
                    "geographic_exclusion",
                    "use_restrictions",
                    "naming_duty",
                    "licence_clauses",
                ]
            },
        ),
        (
            _("Documentation and training"),
            {
                "fields": [
                    ("architecture_public", "usage_info_public"),
                    "documentation",
                    "training_data",
                    "training_data_note",
                    "training_code",
                ]
            },
        ),
        (
            _("Training compute"),
            {
                "fields": [
                    "training_compute_flop",
                    "compute_confidence",
                    "compute_source",
                    "compute_note",
                    "parameters",
                ]
            },
        ),
        (
            _("Status"),
            {
                "fields": [
                    "systemic_risk",
                    "code_of_practice",
                    "osi_validated",
                    "osi_note",
                    ("mof_class", "mof_record"),
                    "mof_open_components",
                ]
            },
        ),
        (_("Analysis and disagreements"), {"fields": ["analysis", "discrepancies"]}),
        (
            _("Source and checking"),
            {"fields": ["source_url", "checked_on", "verification", "uncertain_facts"]},
        ),
        EDITORIAL_STATE,
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        fields = {"uncertain_facts": FactsField, "mof_open_components": MofComponentsField}
        if db_field.name in fields:
            return fields[db_field.name](
                required=False, label=db_field.verbose_name, help_text=db_field.help_text
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(OpennessRequirement)
class OpennessRequirementAdmin(PartAdmin):
    """Locked with its provision: once that is published, only a reviewer changes them."""

    part_of = "provision"
    list_display = ["provision", "kind", "threshold", "imposed_by", "pinpoint", "order"]
    list_filter = ["kind"]
    list_select_related = ["provision__instrument", "imposed_by__instrument"]
    search_fields = ["provision__label", "imposed_by__label", "explanation"]
    autocomplete_fields = ["provision", "imposed_by", "condition"]
    fields = [
        "provision",
        "kind",
        "threshold",
        "rebuttable",
        "condition",
        "imposed_by",
        "pinpoint",
        "quotation",
        "explanation",
        "order",
    ]
