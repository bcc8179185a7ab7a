"""Provisions: the numbered parts of instruments that answer the atlas's questions."""

import datetime

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from provisions.plaintext import PlainTextFields
from provisions.slugs import citation_slug

from .editorial import (
    Cited,
    Editorial,
    EditorialQuerySet,
    EditorialState,
    Sourced,
    Withdrawable,
    empty_or,
    not_itself,
    parent_field,
    publish_permission,
    successor_field,
)
from .instruments import ENDED, Instrument, LegalStatus, published_is_sourced
from .search import search_vector_field
from .taxonomy import Component, Condition, Topic

NO_SLUG = _("The label has no Latin letters or digits to make a slug from; write one (art-10, …).")


def fill_slug(record) -> None:
    """A provision or earlier label left without a slug gets one made from its label."""
    if not record.slug and record.label:
        record.slug = citation_slug(record.label)


class Treatment(models.TextChoices):
    EXEMPTS = "exempts", _("Exempts")
    EXEMPTS_CONDITIONALLY = "exempts_conditionally", _("Exempts, with conditions")
    NO_EXEMPTION = "no_exemption", _("Covers open models, no exemption")
    RESTRICTS = "restricts", _("Restricts")
    REQUIRES = "requires", _("Requires")
    DEFINES = "defines", _("Defines or clarifies")
    STUDIES = "studies", _("Studies")
    PROMOTES = "promotes", _("Promotes")
    SILENT = "silent", _("Silent on openness")


class Headline(models.TextChoices):
    """Whether a provision may give its matrix cell its headline answer (comparisons/web/
    headline.py holds the precedence rule; the About page explains it)."""

    RULE = "rule", _("By the precedence rule")
    LEADS = "leads", _("Leads its cells (the rule is wrong here)")
    REGARDLESS = "regardless", _("Applies regardless of openness: never leads")


class StatusBadge(models.TextChoices):
    """A provision's legal standing on a given day. The one table of its words: the labels name
    the standing (the status filter, badges without a date, search results, the API schema);
    ``DATED_WORDS`` are what a badge printed with its date says before the date."""

    IN_FORCE = "in_force", _("In force")
    APPLIES_LATER = "applies_later", _("Applies later")
    ADOPTED = "adopted", _("Adopted, not yet in force")
    ENDED = "ended", _("No longer in force")
    PROPOSAL = "proposal", _("Proposal")
    NON_BINDING = "non_binding", _("Non-binding")


# "Applies from 2 Aug 2025", "Ended 30 Jun 2025": a dated badge's words; the others say their label.
DATED_WORDS = {StatusBadge.APPLIES_LATER: _("Applies from"), StatusBadge.ENDED: _("Ended")}
# An applies-later badge whose date nobody knows (the matrix and the record pages).
DATE_UNKNOWN = _("In force date unknown")


def badge_words(badge: str, date, *, dated: bool) -> str:
    """What a standing's badge says: before its date when ``dated``, else the standing's name."""
    if badge == StatusBadge.APPLIES_LATER and date is None:
        return str(DATE_UNKNOWN)
    if dated:
        return str(DATED_WORDS.get(badge, StatusBadge(badge).label))
    return str(StatusBadge(badge).label)


# What a provision says and what it means for openness, in the order editors fill them in.
MEANING_FIELDS = (
    "summary",
    "openness_note",
    "treatment",
    "headline",
    "conditions",
    "components",
    "topics",
)


def badge_on(day: datetime.date) -> Case:
    """SQL twin of ``Provision.status_on(day)``: the badge a provision shows on ``day``.
    The two are checked against each other on every turning day
    (tests/matrix/test_legal_status.py)."""
    return Case(
        When(
            Q(instrument__status__in=ENDED, instrument__ended_on__lte=day) | Q(ceases_on__lte=day),
            then=Value(StatusBadge.ENDED),
        ),
        When(
            Q(instrument__adopted_on__isnull=True)
            | Q(instrument__adopted_on__gt=day)
            | Q(instrument__status=LegalStatus.PROPOSED),
            then=Value(StatusBadge.PROPOSAL),
        ),
        When(instrument__binding=False, then=Value(StatusBadge.NON_BINDING)),
        When(
            Q(applies_from__gt=day)
            | Q(applies_from__isnull=True, instrument__in_force_on__gt=day)
            | Q(
                applies_from__isnull=True,
                instrument__in_force_on__isnull=True,
                instrument__status=LegalStatus.ENACTED,
            ),
            then=Value(StatusBadge.APPLIES_LATER),
        ),
        default=Value(StatusBadge.IN_FORCE),
        output_field=CharField(),
    )


def existing_on(day: datetime.date) -> Q:
    """Provisions whose instrument existed on ``day``: adopted by then, or proposed by then.

    An instrument with no known date at all (a bill whose introduction was not recorded) is
    placed from the day its record was checked, the one day we know it existed; never before.
    """
    return (
        Q(instrument__adopted_on__lte=day)
        | Q(instrument__proposed_on__lte=day)
        | Q(
            instrument__proposed_on__isnull=True,
            instrument__adopted_on__isnull=True,
            instrument__checked_on__lte=day,
        )
    )


def status_from_dates(
    day: datetime.date,
    *,
    ceases_on: datetime.date | None,
    applies_from: datetime.date | None,
    status: str,
    ended_on: datetime.date | None,
    adopted_on: datetime.date | None,
    binding: bool,
    in_force_on: datetime.date | None,
) -> tuple[str, datetime.date | None]:
    """The legal standing on ``day`` of a provision with these dates (its own, then its
    instrument's): a StatusBadge value and its date, if any. The rule, once: ``Provision.status_on``
    and the matrix's memo of standings (comparisons/matrix/filters.py) both ask it; ``badge_on``
    above is its SQL twin."""
    if status in ENDED and ended_on and ended_on <= day:
        return StatusBadge.ENDED, ended_on
    if ceases_on and ceases_on <= day:
        return StatusBadge.ENDED, ceases_on
    if adopted_on is None or adopted_on > day or status == LegalStatus.PROPOSED:
        return StatusBadge.PROPOSAL, None
    if not binding:
        return StatusBadge.NON_BINDING, None
    start = applies_from or in_force_on
    if start and start > day:
        return StatusBadge.APPLIES_LATER, start
    if start is None and status == LegalStatus.ENACTED:
        # Enacted, but when it takes effect is unknown: "applies later", with no date.
        return StatusBadge.APPLIES_LATER, None
    return StatusBadge.IN_FORCE, None


class ProvisionQuerySet(EditorialQuerySet):
    def public(self):
        """Published provisions of published instruments: what the public may see."""
        return self.published().filter(instrument__state=EditorialState.PUBLISHED)

    def with_badge_on(self, day: datetime.date):
        """Each provision's standing on ``day`` as ``badge`` (a StatusBadge value)."""
        return self.annotate(badge=badge_on(day))

    def existing_on(self, day: datetime.date):
        """Provisions whose instrument existed on ``day`` (``Instrument.existed_on``)."""
        return self.filter(existing_on(day))


class Provision(Editorial, Sourced, Withdrawable):
    class Kind(models.TextChoices):
        WHOLE = "whole", _("Whole instrument")
        PART = "part", _("Part or chapter")
        ARTICLE = "article", _("Article")
        SECTION = "section", _("Section")
        PARAGRAPH = "paragraph", _("Paragraph")
        SUBPARAGRAPH = "subparagraph", _("Subparagraph")
        POINT = "point", _("Point")
        RECITAL = "recital", _("Recital")

    instrument = models.ForeignKey(
        Instrument, models.PROTECT, related_name="provisions", verbose_name=_("instrument")
    )
    parent = parent_field()
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    label = models.CharField(
        _("label"), max_length=80, help_text=_("As cited today: “Art. 53(2)”, “Sec. 4.6(a)(i)”.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        blank=True,
        help_text=_("In URLs: art-53-2. Left empty, it is made from the label."),
    )
    pin_page = models.PositiveIntegerField(
        _("page in the official publication"),
        null=True,
        blank=True,
        help_text=_(
            "The page on which this provision is printed, for a pinpoint citation (the "
            "Federal Register: 75203). Empty where the publication has no pages."
        ),
    )
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order in the instrument"), default=0)

    summary = models.TextField(_("summary (our words)"))
    openness_note = models.TextField(_("what it means for openness (our words)"), blank=True)

    treatment = models.CharField(_("treatment of openness"), max_length=24, choices=Treatment)
    conditions = models.ManyToManyField(
        Condition,
        blank=True,
        related_name="provisions",
        verbose_name=_("conditions"),
        help_text=_("Facts that switch the treatment off or on."),
    )
    components = models.ManyToManyField(
        Component, blank=True, related_name="provisions", verbose_name=_("openness components")
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="provisions", verbose_name=_("topics (policy questions)")
    )
    headline = models.CharField(
        _("headline in the matrix"),
        max_length=12,
        choices=Headline,
        default=Headline.RULE,
        help_text=_(
            "Whether this provision may be the answer a matrix cell leads with. “Applies "
            "regardless of openness”: a rule that covers open and closed models alike (a ban, "
            "the dates a law applies from); it is listed, marked so, and never leads."
        ),
    )
    applies_from = models.DateField(_("applies from"), null=True, blank=True)
    ceases_on = models.DateField(_("ceases to apply on"), null=True, blank=True)
    # A transition for what was already on the market (AI Act Art. 111(3): general-purpose
    # models placed on the market before 2 Aug 2025 comply by 2 Aug 2027). The model pages date
    # their verdicts with it.
    transition_placed_before = models.DateField(
        _("transition: for what was placed on the market before"), null=True, blank=True
    )
    transition_until = models.DateField(_("transition: comply by"), null=True, blank=True)
    transition_cited = models.CharField(
        _("transition: set by"),
        max_length=120,
        blank=True,
        help_text=_("The text that sets the transition, e.g. “AI Act Art. 111(3)”."),
    )
    successor = successor_field(_("Where a reader of the withdrawn provision should go instead."))

    search = search_vector_field()

    history = HistoricalRecords(
        m2m_fields=[conditions, components, topics], excluded_fields=["search"]
    )
    objects = ProvisionQuerySet.as_manager()

    class Meta:
        ordering = ["instrument", "order", "pk"]
        verbose_name = _("provision")
        permissions = [publish_permission("provision", "provisions")]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "slug"], name="provision_slug_unique"),
            published_is_sourced("provision"),
            empty_or(
                "provision_applies_before_it_ceases",
                _("A provision must apply before it ceases to apply."),
                "applies_from",
                "ceases_on",
                holds=Q(applies_from__lt=F("ceases_on")),
            ),
            not_itself(
                "provision_not_own_parent", _("A provision cannot be part of itself."), "parent"
            ),
            # Target of the composite foreign keys (migration 0002) that keep a parent, and an
            # earlier label's copied instrument, in the provision's own instrument.
            models.UniqueConstraint(fields=["id", "instrument"], name="provision_id_instrument"),
        ]
        indexes = [
            # The matrix joins provisions to their instrument and filters on editorial state.
            models.Index(fields=["instrument", "state"], name="provision_instrument_state"),
            # Search and the matrix's text filter: `search @@ websearch_to_tsquery(...)`.
            GinIndex(fields=["search"], name="provision_search"),
            # The default ordering within an instrument (admin changelist, instrument pages).
            models.Index(fields=["instrument", "order", "id"], name="provision_instrument_order"),
            # The admin's state and verification filters, alone or together.
            models.Index(fields=["state", "verification"], name="provision_state_verification"),
            # The matrix reads the few provisions an editor marked (comparisons/web/
            # headline.py) on every uncached render: only those rows are indexed.
            models.Index(
                fields=["headline"],
                condition=~Q(headline="rule"),
                name="provision_headline_set",
            ),
        ]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """Readable citation: “AI Act Art. 53(2)”."""
        if self.kind == self.Kind.WHOLE:
            return self.instrument.short_title
        return f"{self.instrument.short_title} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse(
            "comparisons:provision",
            kwargs={
                "jurisdiction": self.instrument.jurisdiction.code,
                "instrument": self.instrument.slug,
                "provision": self.slug,
            },
        )

    def status_on(self, day: datetime.date) -> tuple[str, datetime.date | None]:
        """The provision's legal standing on ``day``: a StatusBadge value and its date, if any."""
        instrument = self.instrument
        return status_from_dates(
            day,
            ceases_on=self.ceases_on,
            applies_from=self.applies_from,
            status=instrument.status,
            ended_on=instrument.ended_on,
            adopted_on=instrument.adopted_on,
            binding=instrument.binding,
            in_force_on=instrument.in_force_on,
        )

    def save(self, *args, **kwargs):
        fill_slug(self)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        fill_slug(self)
        errors = self.sourcing_errors()
        if not self.slug:
            errors["slug"] = NO_SLUG
        if (
            self.instrument_id
            and self.slug
            and (
                clash := Provision.objects.filter(instrument_id=self.instrument_id, slug=self.slug)
                .exclude(pk=self.pk)
                .first()
            )
        ):
            errors["slug"] = _(
                "“%(slug)s” is already the address of %(label)s in this instrument; choose "
                "another slug (or another label)."
            ) % {"slug": self.slug, "label": clash.label}
        if self.applies_from and self.ceases_on and self.applies_from >= self.ceases_on:
            errors["ceases_on"] = _("A provision must apply before it ceases to apply.")
        if self.parent_id:
            if self.parent.instrument_id != self.instrument_id:
                errors["parent"] = _(
                    "A provision can only be part of a provision of the same instrument."
                )
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    errors["parent"] = _(
                        "This nesting makes a cycle: a provision would be part of itself."
                    )
                    break
                ancestor = ancestor.parent
        moved = (
            self.pk
            and self.instrument_id
            and Provision.objects.filter(pk=self.pk)
            .exclude(instrument_id=self.instrument_id)
            .exists()
        )
        if moved and self.children.exists():
            errors["instrument"] = _(
                "This provision has parts; move them to the new instrument first, or detach them."
            )
        if (
            self.instrument_id
            and self.slug
            and EarlierLabel.objects.filter(instrument_id=self.instrument_id, slug=self.slug)
            .exclude(provision_id=self.pk)
            .exists()
        ):
            errors["slug"] = _(
                "Another provision of this instrument had this label earlier; its "
                "old links would point here."
            )
        if errors:
            raise ValidationError(errors)


class EarlierLabel(PlainTextFields, Cited):
    """A label the provision had in an earlier text (EU AI Act Art. 2(5g) → Art. 2(12))."""

    provision = models.ForeignKey(Provision, models.CASCADE, related_name="earlier_labels")
    # Copied from the provision so the database can keep old slugs unique per instrument.
    instrument = models.ForeignKey(Instrument, models.CASCADE, related_name="+", editable=False)
    label = models.CharField(_("earlier label"), max_length=80)
    slug = models.SlugField(
        _("slug"), max_length=80, blank=True, help_text=_("Left empty, it is made from the label.")
    )
    text_version = models.CharField(
        _("in which text"), max_length=200, help_text=_("“Council compromise text, 2 Feb 2024”.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["provision", "pk"]
        verbose_name = _("earlier label")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "slug"], name="earlier_label_slug_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.text_version})"

    def save(self, *args, **kwargs):
        self.instrument_id = self.provision.instrument_id
        fill_slug(self)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        fill_slug(self)
        if not self.slug:
            raise ValidationError({"slug": NO_SLUG})
        # The provision may be unsaved (added in the same admin form, with its labels inline):
        # read it from memory, not by id.
        provision = self.provision if self.provision_id or _has_provision(self) else None
        if provision is None or not provision.instrument_id or not self.slug:
            return
        instrument_id = provision.instrument_id
        clash = Provision.objects.filter(instrument_id=instrument_id, slug=self.slug).first()
        if clash and clash.pk != provision.pk:
            raise ValidationError(
                {
                    "slug": _(
                        "“%(label)s” is the current label of another provision of this instrument."
                    )
                    % {"label": clash.label}
                }
            )
        if (
            EarlierLabel.objects.filter(instrument_id=instrument_id, slug=self.slug)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {"slug": _("Another provision of this instrument already had this earlier label.")}
            )


def _has_provision(label: EarlierLabel) -> bool:
    try:
        return label.provision is not None
    except Provision.DoesNotExist:
        return False
