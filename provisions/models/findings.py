"""Findings of silence: a jurisdiction was reviewed and says nothing. Not the same as unreviewed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .editorial import Editorial, Sourced, empty_or, publish_permission
from .instruments import Instrument, published_is_sourced
from .taxonomy import Component, Jurisdiction, Topic


class Silence(Editorial, Sourced):
    jurisdiction = models.ForeignKey(
        Jurisdiction, models.PROTECT, related_name="silences", verbose_name=_("jurisdiction")
    )
    statement = models.CharField(
        _("finding (our words)"),
        max_length=300,
        help_text=_("“No regulation from 2019 to 2023 mentions open-source models.”"),
    )
    scope = models.TextField(_("scope of the review"), help_text=_("What was read, and how."))
    period_start = models.DateField(_("texts from"), null=True, blank=True)
    period_end = models.DateField(_("texts until"), null=True, blank=True)
    reviewed_on = models.DateField(_("reviewed on"))
    instruments = models.ManyToManyField(
        Instrument, blank=True, related_name="silences", verbose_name=_("instruments reviewed")
    )
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="silences",
        verbose_name=_("topics"),
        help_text=_("Leave empty when the finding covers every topic."),
    )
    components = models.ManyToManyField(
        Component,
        blank=True,
        related_name="silences",
        verbose_name=_("components"),
        help_text=_("Leave empty when the finding covers every component."),
    )

    history = HistoricalRecords(m2m_fields=[instruments, topics, components])

    class Meta:
        ordering = ["jurisdiction", "-reviewed_on", "pk"]
        verbose_name = _("finding of silence")
        verbose_name_plural = _("findings of silence")
        permissions = [publish_permission("silence", "findings of silence")]
        constraints = [
            published_is_sourced("silence"),
            empty_or(
                "silence_period_in_order",
                _("The period reviewed ends before it starts."),
                "period_start",
                "period_end",
                holds=models.Q(period_start__lte=models.F("period_end")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.short_name}: {self.statement}"

    @property
    def checked_copy(self) -> str:
        # A finding's scope names what was read and searched, and that is what it vouches for.
        return self.checked_against or self.scope

    def clean(self) -> None:
        errors = self.sourcing_errors()
        if self.period_start and self.period_end and self.period_start > self.period_end:
            errors["period_end"] = _("The period reviewed ends before it starts.")
        if errors:
            raise ValidationError(errors)
