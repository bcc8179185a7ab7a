"""Instruments (laws, orders, guidance, bills, drafts …) and their legal life."""

import datetime

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from provisions.plaintext import PlainTextFields

from .editorial import (
    Cited,
    Editorial,
    EditorialState,
    Sourced,
    Verification,
    Withdrawable,
    empty_or,
    not_itself,
    publish_permission,
    successor_field,
)
from .search import search_vector_field
from .taxonomy import Jurisdiction

PUBLISHED_NEEDS_SOURCE = _(
    "A published record needs a source URL, the date it was checked (or, with no check of its "
    "own recorded, the day it was entered) and a verification level other than “unverified”."
)


def published_is_sourced(prefix: str) -> models.CheckConstraint:
    """The database refuses a published record without a source, a check date or verification."""
    return models.CheckConstraint(
        condition=~Q(state=EditorialState.PUBLISHED)
        | (
            ~Q(source_url="")
            & (Q(checked_on__isnull=False) | Q(entered_on__isnull=False))
            & ~Q(verification=Verification.UNVERIFIED)
        ),
        name=f"{prefix}_published_is_sourced",
        violation_error_message=PUBLISHED_NEEDS_SOURCE,
    )


# Official identifiers' shapes: a form error names the expected form instead of storing a typo
# that citations would print.
CELEX = r"^[0-9CE][0-9]{4}[A-Z]{1,2}[0-9A-Z()]{4,}(-[0-9]{8})?$"
ELI = r"^https?://\S+/eli/\S+$"
FR_CITATION = r"^[0-9]{1,3} FR [0-9]+$"
FR_DOCUMENT = r"^[0-9]{4}-[0-9]+$"


class LegalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ADOPTED = "adopted", _("Adopted, not yet in force")
    IN_FORCE = "in_force", _("In force")
    PUBLISHED = "published", _("Published (non-binding)")
    REVOKED = "revoked", _("Revoked")
    VETOED = "vetoed", _("Vetoed")
    SUPERSEDED = "superseded", _("Superseded")
    RESCINDED = "rescinded", _("Rescinded")
    # Announced as no longer enforced (the AI diffusion rule): the text was never formally
    # withdrawn, so "rescinded" would state more than the record shows, and the instrument has
    # not ended: it stays in the regulations, legally in effect, until a rescission is published.
    NOT_ENFORCED = "not_enforced", _("Not enforced; rescission announced")
    # Enacted, but when it takes effect is not known (no date in the text or our sources).
    ENACTED = "enacted", _("Enacted, in force date unknown")
    CLOSED = "closed", _("Closed (consultation)")
    # A bill that died with its parliamentary session (Canada's AIDA): never enacted, and not
    # "vetoed" or "revoked" either.
    LAPSED = "lapsed", _("Lapsed, never enacted")


# Statuses that end an instrument's legal life. Not "not enforced": an announcement of
# non-enforcement changes no text, so such an instrument is still the law on the books.
ENDED = (
    LegalStatus.REVOKED,
    LegalStatus.VETOED,
    LegalStatus.SUPERSEDED,
    LegalStatus.RESCINDED,
    LegalStatus.LAPSED,
)


class DatePrecision(models.TextChoices):
    """How much of a stored date is known: a date known only to the month is stored as the
    first of that month and shown as "March 2025", never as a made-up day."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def existed_from_dates(
    day: datetime.date,
    *,
    adopted_on: datetime.date | None,
    proposed_on: datetime.date | None,
    checked_on: datetime.date | None,
) -> bool:
    """Whether an instrument with these dates existed on ``day``: adopted or proposed by then;
    with neither date known, checked by then (the one day we know it existed). Its SQL twin is
    ``existing_on`` in provisions/models/provisions.py."""
    if adopted_on is not None and adopted_on <= day:
        return True
    if proposed_on is not None and proposed_on <= day:
        return True
    return (
        adopted_on is None and proposed_on is None and checked_on is not None and checked_on <= day
    )


class Instrument(Editorial, Sourced, Withdrawable):
    class Kind(models.TextChoices):
        LAW = "law", _("Law")
        REGULATION = "regulation", _("Regulation")
        EXECUTIVE_ORDER = "executive_order", _("Executive order")
        RULE = "rule", _("Administrative rule")
        GUIDANCE = "guidance", _("Guidance")
        POLICY = "policy", _("Policy plan")
        BILL = "bill", _("Bill")
        CONSULTATION = "consultation", _("Consultation")
        REPORT = "report", _("Report")
        STANDARD = "standard", _("Technical framework")
        STATEMENT = "statement", _("International statement")
        SCHOLARLY_DRAFT = "scholarly_draft", _("Scholarly draft")

    jurisdiction = models.ForeignKey(
        Jurisdiction, models.PROTECT, related_name="instruments", verbose_name=_("jurisdiction")
    )
    slug = models.SlugField(_("slug"), max_length=80, help_text=_("In URLs: /eu/ai-act/."))
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(
        _("short title"), max_length=80, help_text=_("Used in citations: “AI Act”, “EO 14110”.")
    )
    identifier = models.CharField(
        _("official identifier"),
        max_length=200,
        blank=True,
        help_text=_("“Regulation (EU) 2024/1689”, “Executive Order 14110”."),
    )
    # Official identifiers, each in the form its publisher prints it, so that citations and
    # schema.org metadata can be built from data rather than parsed out of ``identifier``.
    celex = models.CharField(
        _("CELEX number"),
        db_default="",  # rows written before the field existed read as blank
        max_length=40,
        blank=True,
        validators=[RegexValidator(CELEX, _("A CELEX number, such as “32024R1689”."))],
        help_text=_("EU acts and documents on EUR-Lex: “32024R1689”."),
    )
    eli = models.CharField(
        _("ELI"),
        db_default="",  # rows written before the field existed read as blank
        max_length=200,
        blank=True,
        validators=[RegexValidator(ELI, _("An ELI URI, such as “http://data.europa.eu/eli/…”."))],
        help_text=_(
            "European Legislation Identifier: “http://data.europa.eu/eli/reg/2024/1689/oj”."
        ),
    )
    fr_citation = models.CharField(
        _("Federal Register citation"),
        db_default="",  # rows written before the field existed read as blank
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(FR_CITATION, _("Volume, “FR” and first page, such as “88 FR 75191”."))
        ],
        help_text=_("As the Office of the Federal Register writes it: “88 FR 75191”."),
    )
    fr_document_number = models.CharField(
        _("FR document number"),
        db_default="",  # rows written before the field existed read as blank
        max_length=20,
        blank=True,
        validators=[RegexValidator(FR_DOCUMENT, _("Year, hyphen, number, such as “2023-24283”."))],
        help_text=_("With a hyphen, as in URLs and databases: “2023-24283”."),
    )
    document_number = models.CharField(
        _("document number"),
        db_default="",  # rows written before the field existed read as blank
        max_length=300,
        blank=True,
        help_text=_(
            "The issuer's number as printed: a Chinese 文号 with full-width brackets "
            "(“国发〔2025〕11号”, an order number “…令第15号”), a Commission document "
            "(“C(2025) 5045 final”)."
        ),
    )
    bill_number = models.CharField(
        _("bill number"),
        db_default="",  # rows written before the field existed read as blank
        max_length=60,
        blank=True,
        help_text=_("For bills, as the legislature numbers them: “SB-1047 (2023–2024)”."),
    )
    published_on = models.DateField(
        _("officially published on"),
        null=True,
        blank=True,
        help_text=_("The date of the Official Journal or Federal Register issue that printed it."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    binding = models.BooleanField(_("legally binding"), default=False)
    official_url = models.URLField(_("official URL"), max_length=500, blank=True)
    summary = models.TextField(_("summary (our words)"), blank=True)

    status = models.CharField(_("legal status"), max_length=12, choices=LegalStatus)
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    adopted_on = models.DateField(
        _("adopted or issued on"),
        null=True,
        blank=True,
        help_text=_("Signed, enacted or published. Empty for a proposal never adopted."),
    )
    adopted_on_precision = models.CharField(
        _("adoption date known to the"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("Known only to the month: store the 1st of the month and choose “Month”."),
    )
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("Revoked, vetoed, superseded or rescinded."),
    )
    ended_by = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ended",
        verbose_name=_("ended by"),
    )
    status_note = models.CharField(_("status note"), max_length=300, blank=True)
    successor = successor_field(_("Where a reader of the withdrawn record should go instead."))
    search = search_vector_field()

    history = HistoricalRecords(excluded_fields=["search"])

    class Meta:
        ordering = ["jurisdiction__order", "-adopted_on", "title", "pk"]
        verbose_name = _("instrument")
        indexes = [
            # Search, and the matrix's text filter on instrument titles: `search @@ query`.
            GinIndex(fields=["search"], name="instrument_search"),
        ]
        permissions = [publish_permission("instrument", "instruments")]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "slug"], name="instrument_slug_unique"),
            published_is_sourced("instrument"),
            empty_or(
                "instrument_proposed_before_adopted",
                _("The adoption date is before the proposal date."),
                "adopted_on",
                "proposed_on",
                holds=Q(proposed_on__lte=F("adopted_on")),
            ),
            empty_or(
                "instrument_adopted_before_in_force",
                _("The instrument is in force before it was adopted."),
                "adopted_on",
                "in_force_on",
                holds=Q(adopted_on__lte=F("in_force_on")),
            ),
            empty_or(
                "instrument_ends_after_adoption",
                _("The instrument ends before it was adopted."),
                "ended_on",
                "adopted_on",
                holds=Q(ended_on__gte=F("adopted_on")),
            ),
            empty_or(
                "instrument_ends_after_proposal",
                _("The instrument ends before it was proposed."),
                "ended_on",
                "proposed_on",
                holds=Q(ended_on__gte=F("proposed_on")),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ENDED, ended_on__isnull=False)
                | (~Q(status__in=ENDED) & Q(ended_on__isnull=True)),
                name="instrument_ended_status_has_date",
                violation_error_message=_(
                    "A revoked, vetoed, superseded or rescinded instrument needs the date it "
                    "ended, and only such an instrument has one."
                ),
            ),
            not_itself(
                "instrument_not_ended_by_itself", _("An instrument cannot end itself."), "ended_by"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_title} ({self.jurisdiction.code.upper()})"

    def get_absolute_url(self) -> str:
        return reverse(
            "comparisons:instrument",
            kwargs={"jurisdiction": self.jurisdiction.code, "instrument": self.slug},
        )

    @property
    def has_ended(self) -> bool:
        return self.status in ENDED

    def existed_on(self, day: datetime.date) -> bool:
        """Whether the instrument existed on ``day`` (``existed_from_dates``)."""
        return existed_from_dates(
            day,
            adopted_on=self.adopted_on,
            proposed_on=self.proposed_on,
            checked_on=self.checked_on,
        )

    def clean(self) -> None:
        errors = {}
        if self.proposed_on and self.adopted_on and self.proposed_on > self.adopted_on:
            errors["adopted_on"] = _("The adoption date is before the proposal date.")
        if self.adopted_on and self.in_force_on and self.adopted_on > self.in_force_on:
            errors["in_force_on"] = _("The instrument is in force before it was adopted.")
        start = self.adopted_on or self.proposed_on
        if self.ended_on and start and self.ended_on < start:
            errors["ended_on"] = _("The instrument ends before it starts.")
        if self.status in ENDED and not self.ended_on:
            errors["ended_on"] = _("A %(status)s instrument needs the date it ended.") % {
                "status": self.get_status_display().lower()
            }
        if self.status not in ENDED and self.ended_on:
            errors["status"] = _(
                "An instrument with an end date must be revoked, vetoed, superseded or rescinded."
            )
        if self.ended_by_id and self.ended_by_id == self.pk:
            errors["ended_by"] = _("An instrument cannot end itself.")
        errors = self.sourcing_errors() | errors
        if errors:
            raise ValidationError(errors)


class InstrumentEvent(PlainTextFields, Cited):
    """A dated step in an instrument's legal life, for its timeline (a part starts to apply …)."""

    instrument = models.ForeignKey(Instrument, models.CASCADE, related_name="events")
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date known to the"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("Known only to the month: store the 1st of the month and choose “Month”."),
    )
    description = models.CharField(_("what happened"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("timeline event")

    def __str__(self) -> str:
        return f"{self.date}: {self.description}"


class InstrumentRelation(PlainTextFields, Cited):
    class Kind(models.TextChoices):
        REVOKES = "revokes", _("revokes")
        IMPLEMENTS = "implements", _("implements")
        AMENDS = "amends", _("amends")
        RESPONDS_TO = "responds_to", _("responds to")
        SUPERSEDES = "supersedes", _("supersedes")
        INTERPRETS = "interprets", _("interprets")

    source = models.ForeignKey(Instrument, models.CASCADE, related_name="relations_from")
    kind = models.CharField(_("relation"), max_length=12, choices=Kind)
    target = models.ForeignKey(Instrument, models.PROTECT, related_name="relations_to")
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]  # as added; never the table's physical row order
        verbose_name = _("link between instruments")
        verbose_name_plural = _("links between instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "target"], name="instrument_relation_unique"
            ),
            not_itself(
                "instrument_relation_not_self",
                _("An instrument cannot be linked to itself."),
                "source",
                "target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.short_title} {self.get_kind_display()} {self.target.short_title}"
