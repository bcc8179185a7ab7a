"""The axes of the atlas: jurisdictions (columns), topics and components (rows), conditions."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from provisions.plaintext import PlainTextFields

from .editorial import parent_field

# Top-level URL segments that a jurisdiction code may not take (its pages live at /<code>/).
RESERVED_CODES = frozenset(
    {
        "about",
        "calendar",
        "admin",
        "api",
        "arguments",
        "briefing",
        "compare",
        "components",
        "export",
        "feeds",
        "healthz",
        "search",
        "static",
        "topics",
        "changes",
        "sitemap",
        "robots",
        "media",
        "models",
        "texts",
        "timeline",
    }
)


def validate_not_reserved(value: str) -> None:
    if value in RESERVED_CODES:
        raise ValidationError(
            _("“%(code)s” is used by another part of the site; choose another code."),
            params={"code": value},
        )


class JurisdictionQuerySet(models.QuerySet):
    def with_reviewed_findings(self):
        """Jurisdictions with at least one reviewed finding: a public provision, or a published
        finding of silence. Default views show only these as columns, so that no column is a
        row of "not yet reviewed" cells (an empty shell)."""
        # By name: findings and provisions import this module (no import cycle).
        Provision = apps.get_model("provisions", "Provision")
        Silence = apps.get_model("provisions", "Silence")
        provisions = Provision.objects.public().filter(instrument__jurisdiction=OuterRef("pk"))
        silences = Silence.objects.published().filter(jurisdiction=OuterRef("pk"))
        return self.filter(Exists(provisions) | Exists(silences))

    def being_reviewed(self):
        """The others: listed as "being reviewed", never shown as columns of question marks."""
        return self.exclude(pk__in=self.with_reviewed_findings().values("pk"))


class Jurisdiction(PlainTextFields, models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        SUPRANATIONAL = "supranational", _("Supranational union")
        SUBNATIONAL = "subnational", _("Sub-national (state, province)")
        INTERNATIONAL = "international", _("International body")

    code = models.SlugField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[validate_not_reserved],
        help_text=_("Short code used in URLs: us, eu, cn, us-ca."),
    )
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=40, help_text=_("Column heading."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.COUNTRY)
    parent = parent_field()
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("description"), blank=True)
    approach = models.TextField(
        _("approach to open models (our words)"),
        blank=True,
        help_text=_(
            "Two sentences a reader can take away: how this jurisdiction treats open models, "
            "and how sure we are."
        ),
    )

    history = HistoricalRecords()
    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name", "pk"]
        verbose_name = _("jurisdiction")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="jurisdiction_not_own_parent",
                violation_error_message=_("A jurisdiction cannot be part of itself."),
            ),
            models.CheckConstraint(
                condition=~Q(code__in=sorted(RESERVED_CODES)),
                name="jurisdiction_code_not_reserved",
                violation_error_message=_(
                    "This code is used by another part of the site; choose another code."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("comparisons:jurisdiction", kwargs={"jurisdiction": self.code})

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A jurisdiction cannot be part of itself.")})
            ancestor = ancestor.parent


class OrderedTerm(PlainTextFields, models.Model):
    """An editable list entry with a slug, a name and a place in the order."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Topic(OrderedTerm):
    """A policy question: a row of a comparison."""

    question = models.CharField(
        _("question"),
        max_length=250,
        help_text=_("As a reader would ask it: “Are open-source models exempt from …?”"),
    )

    history = HistoricalRecords()

    class Meta(OrderedTerm.Meta):
        verbose_name = _("topic")


class Component(OrderedTerm):
    """A part of a model that can be open: weights, training data, source code, licence …"""

    history = HistoricalRecords()

    class Meta(OrderedTerm.Meta):
        verbose_name = _("openness component")


class Condition(OrderedTerm):
    """A fact that switches a provision's treatment: monetised, systemic risk, high-risk …"""

    class Polarity(models.TextChoices):
        # Which way the fact switches the openness treatment, so a cell can say "Applies if: free
        # licence; weights public" apart from "Lost if: monetised; systemic risk".
        APPLIES_IF = "applies_if", _("Applies if")
        LOST_IF = "lost_if", _("Lost if")

    polarity = models.CharField(
        _("polarity"),
        max_length=12,
        choices=Polarity,
        default=Polarity.APPLIES_IF,
        help_text=_(
            "“Applies if”: a fact a model must meet for the openness treatment (a free licence). "
            "“Lost if”: a fact that takes it away (monetised, systemic risk)."
        ),
    )

    history = HistoricalRecords()

    class Meta(OrderedTerm.Meta):
        verbose_name = _("condition")
