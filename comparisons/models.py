"""Curated comparisons: matrices that editors define (the home page is one of them)."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from provisions.models import Component, Jurisdiction, Topic
from provisions.models.editorial import Editorial, publish_permission


class Comparison(Editorial):
    class Rows(models.TextChoices):
        TOPICS = "topics", _("Policy questions (topics)")
        COMPONENTS = "components", _("Openness components")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    rows = models.CharField(_("rows are"), max_length=10, choices=Rows, default=Rows.TOPICS)
    is_home = models.BooleanField(_("is the home page"), default=False)
    jurisdictions = models.ManyToManyField(
        Jurisdiction, through="ComparisonColumn", related_name="comparisons"
    )
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="comparisons",
        help_text=_("Rows when rows are topics; empty means every topic."),
    )
    components = models.ManyToManyField(
        Component,
        blank=True,
        related_name="comparisons",
        help_text=_("Rows when rows are components; empty means every component."),
    )

    history = HistoricalRecords(m2m_fields=[topics, components])

    class Meta:
        ordering = ["-is_home", "title", "pk"]
        verbose_name = _("comparison")
        permissions = [publish_permission("comparison", "comparisons")]
        constraints = [
            models.UniqueConstraint(
                fields=["is_home"], condition=Q(is_home=True), name="comparison_one_home"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.is_home:
            return reverse("comparisons:home")
        return reverse("comparisons:comparison", kwargs={"slug": self.slug})


class ComparisonColumn(models.Model):
    comparison = models.ForeignKey(Comparison, models.CASCADE, related_name="columns")
    jurisdiction = models.ForeignKey(Jurisdiction, models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("column")
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "jurisdiction"], name="comparison_column_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.comparison}: {self.jurisdiction}"
