"""AI model profiles, and the openness conditions that provisions set, as data.

A ``ModelProfile`` records what a model's provider has released and on which terms (licence
clauses, weights, documentation, training data and code, training compute, systemic-risk
status, Code of Practice). Each fact is backed by ``ModelSource`` rows that name the facts they
support; a fact no checked source supports must be listed in ``uncertain_facts``, and the pages
and the evaluation treat it as uncertain, never as fact.

An ``OpennessRequirement`` is one condition a provision sets ("the licence allows access, use,
modification and redistribution", "training compute at most 10^25 FLOP"), chosen from a fixed
vocabulary (``Check``) that ``provisions.openness`` knows how to evaluate, and linked to the text
that imposes it (an article, a recital, a guideline paragraph). Editors add conditions to a
provision in the admin; no provision has code of its own.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .editorial import Editorial, Sourced, Verification, publish_permission
from .instruments import published_is_sourced
from .provisions import Provision
from .search import search_vector_field
from .taxonomy import Condition

# Above this a training-compute figure is a typing error, not a model (today's largest runs are
# near 10^27).
MAX_FLOP = 1e30
# Slugs that name pages of the models section rather than a model.
RESERVED_MODEL_SLUGS = frozenset({"check", "compare", "export"})


class Fact(models.TextChoices):
    """The facts of a profile that sources support (or that stay uncertain)."""

    PROVIDER = "provider", _("Provider and where it is established")
    RELEASE = "release", _("Release date and versions")
    WEIGHTS = "weights", _("Whether and where the weights are published")
    ACCESS_GATE = "access_gate", _("What downloading the weights asks for")
    LICENCE = "licence", _("Licence and its clauses")
    OSI = "osi", _("OSI approval")
    DOCUMENTATION = "documentation", _("Architecture and usage documentation")
    TRAINING_DATA = "training_data", _("Training data")
    TRAINING_CODE = "training_code", _("Training code")
    COMPUTE = "compute", _("Training compute")
    SYSTEMIC_RISK = "systemic_risk", _("Systemic-risk designation")
    CODE_OF_PRACTICE = "code_of_practice", _("Code of Practice signature")


class WeightsAccess(models.TextChoices):
    OPEN = "open", _("Downloadable without conditions")
    LICENCE_GATE = "licence_gate", _("Downloadable after accepting the licence")
    PERSONAL_DATA_GATE = "personal_data_gate", _("Downloadable after giving personal data")
    API_ONLY = "api_only", _("Not published: used through an API or app only")
    NONE = "none", _("Not published")


PUBLISHED_WEIGHTS = (
    WeightsAccess.OPEN,
    WeightsAccess.LICENCE_GATE,
    WeightsAccess.PERSONAL_DATA_GATE,
)


class OsiApproval(models.TextChoices):
    APPROVED = "approved", _("OSI-approved licence")
    NOT_APPROVED = "not_approved", _("Not OSI-approved")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (no open licence)")


class UseRestrictions(models.TextChoices):
    NONE = "none", _("None")
    LAW_ONLY = "law_only", _("Only a duty to comply with the law")
    SAFETY = "safety", _("Specific safety-oriented limits")
    BROAD = "broad", _("Broad use restrictions passed on to derivatives (RAIL-style)")
    UPDATABLE = "updatable", _("A use policy the licensor may update")
    PROPRIETARY = "proprietary", _("Proprietary terms of service")


class Disclosure(models.TextChoices):
    RELEASED = "released", _("Released")
    DESCRIBED = "described", _("Described only")
    PARTLY = "partly", _("Partly released")
    UNDISCLOSED = "undisclosed", _("Not released or disclosed")


class ComputeConfidence(models.TextChoices):
    REPORTED = "reported", _("Reported by the provider")
    CONFIDENT = "confident", _("Third-party estimate, confident")
    LIKELY = "likely", _("Third-party estimate, likely")
    ESTIMATE = "estimate", _("Third-party estimate, confidence not recorded")
    SPECULATIVE = "speculative", _("Third-party estimate, speculative")
    ATLAS = "atlas", _("The atlas's own arithmetic (6 × parameters × tokens)")
    UNDISCLOSED = "undisclosed", _("Undisclosed, no estimate")


class SystemicRisk(models.TextChoices):
    NONE_FOUND = "none_found", _("No designation or notification found")
    DESIGNATED = "designated", _("Designated or notified as a model with systemic risk")


class CodeOfPractice(models.TextChoices):
    SIGNED = "signed", _("Signed")
    SAFETY_CHAPTER = "safety_chapter", _("Signed the Safety and Security chapter only")
    REFUSED = "refused", _("Refused to sign")
    NOT_SIGNED = "not_signed", _("Not signed")
    NOT_LISTED = "not_listed", _("Not among the reported signatories")


class MofComponent(models.TextChoices):
    """The components of the Model Openness Framework (v1.0) as the Model Openness Tool lists
    them (17: the framework's "model parameters" split into final and intermediate), by the
    class that first needs them."""

    # Class III (open model)
    ARCHITECTURE = "architecture", _("Model architecture")
    FINAL_PARAMETERS = "final_parameters", _("Model parameters (final)")
    MODEL_CARD = "model_card", _("Model card")
    DATA_CARD = "data_card", _("Data card")
    TECHNICAL_REPORT = "technical_report", _("Technical report")
    EVALUATION_RESULTS = "evaluation_results", _("Evaluation results")
    SAMPLE_OUTPUTS = "sample_outputs", _("Sample model outputs (optional)")
    # Class II (open tooling)
    TRAINING_CODE = "training_code", _("Training code")
    INFERENCE_CODE = "inference_code", _("Inference code")
    EVALUATION_CODE = "evaluation_code", _("Evaluation code")
    EVALUATION_DATA = "evaluation_data", _("Evaluation data")
    SUPPORTING_LIBRARIES = "supporting_libraries", _("Supporting libraries and tools (optional)")
    # Class I (open science)
    DATASETS = "datasets", _("Datasets")
    PREPROCESSING_CODE = "preprocessing_code", _("Data pre-processing code")
    INTERMEDIATE_PARAMETERS = "intermediate_parameters", _("Model parameters (intermediate)")
    RESEARCH_PAPER = "research_paper", _("Research paper")
    MODEL_METADATA = "model_metadata", _("Model metadata (optional)")


# What Class III requires: all six (a research paper may stand in for the technical report).
MOF_CLASS_III = (
    MofComponent.ARCHITECTURE,
    MofComponent.FINAL_PARAMETERS,
    MofComponent.MODEL_CARD,
    MofComponent.DATA_CARD,
    MofComponent.TECHNICAL_REPORT,
    MofComponent.EVALUATION_RESULTS,
)


class MofClass(models.TextChoices):
    CLASS_I = "class_i", _("Class I (open science)")
    CLASS_II = "class_ii", _("Class II (open tooling)")
    CLASS_III = "class_iii", _("Class III (open model)")
    NONE = "none", _("No class")
    NOT_RECORDED = "not_recorded", _("No record in the Model Openness Tool")


class ModelProfile(Editorial, Sourced):
    """One model (or a family released together on the same terms) and its openness facts."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("In URLs."))
    name = models.CharField(_("name"), max_length=120)
    provider = models.CharField(_("provider"), max_length=200)
    provider_country = models.CharField(
        _("provider's country"), max_length=80, help_text=_("Where the provider is established.")
    )
    provider_in_eu = models.BooleanField(
        _("provider established in the EU"),
        null=True,
        blank=True,
        help_text=_("Empty when unknown (Art. 54 reaches providers established outside the EU)."),
    )
    release_date = models.DateField(_("release date"), null=True, blank=True)
    versions = models.CharField(_("versions and sizes"), max_length=300, blank=True)

    weights_access = models.CharField(
        _("weights"), max_length=20, choices=WeightsAccess, default=WeightsAccess.NONE
    )
    weights_where = models.CharField(_("where the weights are"), max_length=300, blank=True)

    licence_name = models.CharField(_("licence"), max_length=120)
    licence_url = models.URLField(_("licence URL"), max_length=500, blank=True)
    licence_spdx = models.CharField(
        _("licence (SPDX id)"),
        max_length=80,
        blank=True,
        help_text=_("An SPDX identifier (Apache-2.0) or a LicenseRef- for a custom licence."),
    )
    licence_osi = models.CharField(
        _("OSI approval"), max_length=20, choices=OsiApproval, default=OsiApproval.NOT_APPROVED
    )
    grants_access = models.BooleanField(_("licence grants access"), null=True, blank=True)
    grants_use = models.BooleanField(_("licence grants use"), null=True, blank=True)
    grants_modification = models.BooleanField(
        _("licence grants modification"), null=True, blank=True
    )
    grants_redistribution = models.BooleanField(
        _("licence grants redistribution"), null=True, blank=True
    )
    research_only = models.BooleanField(_("research or non-commercial use only"), default=False)
    user_cap = models.PositiveBigIntegerField(
        _("user-scale cap"),
        null=True,
        blank=True,
        help_text=_("Monthly active users above which a further licence is needed."),
    )
    user_cap_on_release = models.BooleanField(
        _("cap tested once, on the release date"),
        default=False,
        help_text=_(
            "The licence counts users only in the month before its release date (Llama's "
            "“on the … version release date”), not as a licensee grows."
        ),
    )
    scale_duty_users = models.PositiveBigIntegerField(
        _("user scale that triggers a duty"),
        null=True,
        blank=True,
        help_text=_(
            "Monthly active users above which a duty (not a licence) applies, e.g. displaying a "
            "name."
        ),
    )
    revenue_cap_usd = models.PositiveBigIntegerField(
        _("revenue cap (USD a year)"),
        null=True,
        blank=True,
        help_text=_("Annual revenue above which the licence ends or a paid licence is needed."),
    )
    separate_commercial_licence = models.BooleanField(
        _("separate licence needed for some uses"),
        default=False,
        help_text=_(
            "Commercial use, hosting or a use case needs another (paid or discretionary) licence."
        ),
    )
    geographic_exclusion = models.CharField(
        _("geographic exclusion"),
        max_length=300,
        blank=True,
        help_text=_("Who is excluded by where they live or are established; empty if nobody."),
    )
    use_restrictions = models.CharField(
        _("use restrictions"), max_length=12, choices=UseRestrictions, default=UseRestrictions.NONE
    )
    naming_duty = models.CharField(_("naming or attribution duty"), max_length=300, blank=True)
    paid_access = models.BooleanField(
        _("payment required"),
        default=False,
        help_text=_("A price, mandatory paid support or exclusive paid hosting (GL para. 86)."),
    )
    licence_clauses = models.TextField(
        _("licence clauses that matter (our words, with quotations)"), blank=True
    )

    architecture_public = models.BooleanField(
        _("architecture information public"), null=True, blank=True
    )
    usage_info_public = models.BooleanField(_("usage information public"), null=True, blank=True)
    documentation = models.TextField(_("architecture and usage documentation"), blank=True)

    training_data = models.CharField(
        _("training data"), max_length=12, choices=Disclosure, default=Disclosure.UNDISCLOSED
    )
    training_data_note = models.TextField(_("training data, details"), blank=True)
    training_code = models.CharField(
        _("training code"), max_length=12, choices=Disclosure, default=Disclosure.UNDISCLOSED
    )

    training_compute_flop = models.FloatField(
        _("training compute (FLOP)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1.0), MaxValueValidator(MAX_FLOP)],
    )
    compute_confidence = models.CharField(
        _("how well the compute is known"),
        max_length=12,
        choices=ComputeConfidence,
        default=ComputeConfidence.UNDISCLOSED,
    )
    compute_source = models.CharField(_("compute: source"), max_length=300, blank=True)
    parameters = models.FloatField(
        _("parameters (largest version)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1.0)],
        help_text=_(
            "Used only when compute is unknown: a model too small to reach a threshold on any "
            "published number of training tokens is taken to be below it (an estimate)."
        ),
    )
    compute_note = models.TextField(_("compute: details"), blank=True)

    systemic_risk = models.CharField(
        _("systemic-risk status"),
        max_length=12,
        choices=SystemicRisk,
        default=SystemicRisk.NONE_FOUND,
    )
    code_of_practice = models.CharField(
        _("GPAI Code of Practice"),
        max_length=16,
        choices=CodeOfPractice,
        default=CodeOfPractice.NOT_LISTED,
    )
    osi_validated = models.BooleanField(
        _("validated by the OSI under the Open Source AI Definition"),
        default=False,
        help_text=_(
            "Only when the OSI's own list names this model (not an earlier one of the family)."
        ),
    )
    osi_note = models.TextField(_("OSI and openness indexes"), blank=True)
    mof_class = models.CharField(
        _("Model Openness Framework class"),
        max_length=14,
        choices=MofClass,
        default=MofClass.NOT_RECORDED,
        help_text=_("As the Model Openness Tool's rules give it for the tool's record."),
    )
    mof_record = models.CharField(
        _("Model Openness Tool record"),
        max_length=200,
        blank=True,
        help_text=_("The record read, e.g. “models/DeepSeek-R1.yml at 8b5d30e (2026-05-11)”."),
    )
    mof_open_components = ArrayField(
        models.CharField(max_length=24, choices=MofComponent),
        verbose_name=_("components the record counts as open"),
        blank=True,
        default=list,
        help_text=_("Listed with an open licence (OSI-approved, FSF-libre or an open-data one)."),
    )
    analysis = models.TextField(_("the atlas's analysis (our words)"), blank=True)
    discrepancies = models.TextField(
        _("where sources disagree"),
        blank=True,
        help_text=_("Disagreements between sources, and with the fact base, recorded as found."),
    )
    uncertain_facts = ArrayField(
        models.CharField(max_length=20, choices=Fact),
        verbose_name=_("uncertain facts"),
        blank=True,
        default=list,
        help_text=_("Facts not confirmed by a checked source: shown and evaluated as uncertain."),
    )
    # A: name; B: provider, licence; C: analysis, licence clauses (migration 0020's trigger).
    search = search_vector_field()

    history = HistoricalRecords(excluded_fields=["search"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("model profile")
        # Search: `search @@ websearch_to_tsquery(...)` over profiles, thousands at 100x data.
        indexes = [GinIndex(fields=["search"], name="modelprofile_search")]
        permissions = [publish_permission("modelprofile", "model profiles")]
        constraints = [
            published_is_sourced("modelprofile"),
            models.CheckConstraint(
                condition=Q(training_compute_flop__isnull=True)
                | Q(training_compute_flop__gte=1, training_compute_flop__lte=MAX_FLOP),
                name="modelprofile_compute_plausible",
                violation_error_message=_("Training compute must be between 1 and 10^30 FLOP."),
            ),
            models.CheckConstraint(
                condition=~Q(slug__in=sorted(RESERVED_MODEL_SLUGS)),
                name="modelprofile_slug_not_reserved",
                violation_error_message=_("This slug names another page; choose another."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("comparisons:model", kwargs={"slug": self.slug})

    def supported_facts(self, sources=None) -> set[str]:
        """Facts that at least one checked (official or secondary) source supports."""
        sources = self.sources.all() if sources is None else sources
        return {
            fact
            for source in sources
            if source.verification != Verification.UNVERIFIED
            for fact in source.facts
        }

    def unsupported_facts(self, sources=None) -> list[str]:
        """Facts stated as fact (not marked uncertain) that no checked source supports."""
        supported = self.supported_facts(sources)
        return [f for f in Fact.values if f not in supported and f not in self.uncertain_facts]

    @property
    def mof_class_iii_missing(self) -> list[str]:
        """The Class III components the record does not count as open: why there is no class."""
        shown = set(self.mof_open_components)
        if MofComponent.RESEARCH_PAPER in shown:  # the framework lets it stand in
            shown.add(MofComponent.TECHNICAL_REPORT)
        return [str(c.label) for c in MOF_CLASS_III if c not in shown]

    @property
    def mof_open_labels(self) -> list[str]:
        return [str(MofComponent(c).label) for c in self.mof_open_components]

    def clean(self) -> None:
        errors = self.sourcing_errors()
        if self.slug in RESERVED_MODEL_SLUGS:
            errors["slug"] = _("This slug names another page; choose another.")
        if len(set(self.uncertain_facts)) != len(self.uncertain_facts):
            errors["uncertain_facts"] = _("A fact is listed twice.")
        if errors:
            raise ValidationError(errors)


class ModelSource(models.Model):
    """A source read for a profile, and the facts it supports."""

    profile = models.ForeignKey(ModelProfile, models.CASCADE, related_name="sources")
    title = models.CharField(_("what was read"), max_length=300)
    url = models.URLField(_("URL"), max_length=500)
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification, default=Verification.UNVERIFIED
    )
    checked_on = models.DateField(_("checked on"))
    facts = ArrayField(
        models.CharField(max_length=20, choices=Fact),
        verbose_name=_("facts it supports"),
        blank=True,
        default=list,
        help_text=_("None, for a source read for context only."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["profile", "pk"]
        verbose_name = _("model source")

    def __str__(self) -> str:
        return self.title

    @property
    def fact_labels(self) -> list[str]:
        return [str(Fact(f).label) for f in self.facts if f in Fact.values]


class Check(models.TextChoices):
    """What an openness condition tests. ``provisions.openness`` evaluates each one."""

    LICENCE_RIGHTS = (
        "licence_rights",
        _("Licence allows access, use, modification and redistribution"),
    )
    NOT_RESEARCH_ONLY = "not_research_only", _("No non-commercial or research-only limit")
    NO_USER_SCALE_CAP = "no_user_scale_cap", _("No usage limit triggered by user scale")
    NO_SEPARATE_LICENCE = (
        "no_separate_licence",
        _("No separate licence needed for commercial or other uses"),
    )
    NO_GEOGRAPHIC_EXCLUSION = "no_geographic_exclusion", _("Nobody excluded by country")
    USE_LIMITS_PROPORTIONATE = (
        "use_limits_proportionate",
        _("Use restrictions only specific, proportionate safety limits"),
    )
    NOT_MONETISED = "not_monetised", _("Not monetised")
    WEIGHTS_PUBLIC = "weights_public", _("Weights public")
    ARCHITECTURE_PUBLIC = "architecture_public", _("Architecture information public")
    USAGE_INFO_PUBLIC = "usage_info_public", _("Usage information public")
    COMPUTE_AT_MOST = "compute_at_most", _("Training compute at most the threshold")
    COMPUTE_ABOVE = "compute_above", _("Training compute above the threshold")
    NOT_DESIGNATED = "not_designated", _("Not designated a model with systemic risk")
    PROVIDER_OUTSIDE_EU = "provider_outside_eu", _("Provider established outside the EU")
    APPLIES_WHATEVER_LICENCE = (
        "applies_whatever_licence",
        _("Applies whatever the licence: no open-source exemption"),
    )
    SYSTEM_USE = (
        "system_use",
        _("Not placed on the market as a high-risk system or under Art. 5 or 50 (judgement)"),
    )


THRESHOLD_CHECKS = (Check.COMPUTE_AT_MOST, Check.COMPUTE_ABOVE)


class OpennessRequirement(models.Model):
    """One condition a provision sets for the models it treats, and the text that imposes it."""

    provision = models.ForeignKey(
        Provision,
        models.CASCADE,
        related_name="requirements",
        verbose_name=_("provision"),
        help_text=_("The provision whose treatment the condition switches."),
    )
    kind = models.CharField(_("condition"), max_length=28, choices=Check)
    threshold = models.FloatField(
        _("threshold (FLOP)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1.0), MaxValueValidator(MAX_FLOP)],
        help_text=_("For compute conditions only: 1e25 for 10^25."),
    )
    condition = models.ForeignKey(
        Condition,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="requirements",
        verbose_name=_("condition tag"),
    )
    imposed_by = models.ForeignKey(
        Provision,
        models.PROTECT,
        related_name="imposed_requirements",
        verbose_name=_("imposed by"),
        help_text=_("The article, recital or guideline that states the condition."),
    )
    pinpoint = models.CharField(
        _("where exactly"), max_length=120, blank=True, help_text=_("“second sentence”, “§4.2.1”.")
    )
    quotation = models.TextField(
        _("quotation"), blank=True, help_text=_("Verbatim, from the text that imposes it.")
    )
    explanation = models.TextField(_("explanation (our words)"), blank=True)
    rebuttable = models.BooleanField(
        _("the threshold raises a rebuttable presumption"),
        default=False,
        help_text=_("AI Act Art. 51(2), rebuttable under Art. 52(2): verdicts say “presumed”."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["provision", "order", "pk"]
        verbose_name = _("openness condition")
        constraints = [
            models.UniqueConstraint(
                fields=["provision", "kind", "threshold"],
                nulls_distinct=False,
                name="requirement_unique",
                violation_error_message=_("The provision already has this condition."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=THRESHOLD_CHECKS, threshold__isnull=False)
                | (~Q(kind__in=THRESHOLD_CHECKS) & Q(threshold__isnull=True)),
                name="requirement_threshold_with_compute",
                violation_error_message=_(
                    "A compute condition needs a threshold, and only a compute condition has one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provision}: {self.get_kind_display()}"

    def clean(self) -> None:
        if self.kind in THRESHOLD_CHECKS and self.threshold is None:
            raise ValidationError({"threshold": _("A compute condition needs a threshold.")})
        if self.kind not in THRESHOLD_CHECKS and self.threshold is not None:
            raise ValidationError({"threshold": _("Only a compute condition has a threshold.")})
