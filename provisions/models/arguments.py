"""Arguments for and against openness, the sources they come from, and what they bear on."""

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from provisions.plaintext import PlainTextFields

from .editorial import (
    Editorial,
    Sourced,
    Verification,
    Withdrawable,
    publish_permission,
    successor_field,
)
from .instruments import published_is_sourced
from .provisions import Provision
from .search import search_vector_field
from .taxonomy import Component, Topic


class Source(PlainTextFields, models.Model):
    """A publication: paper, statement, policy paper, report, release note, article."""

    title = models.CharField(_("title"), max_length=400)
    authors = models.CharField(_("authors"), max_length=400, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500)
    arxiv_id = models.CharField(_("arXiv id"), max_length=30, blank=True)
    doi = models.CharField(_("DOI"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=400, blank=True)
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification, default=Verification.UNVERIFIED
    )

    # A: title, authors, arXiv id; B: organisation, DOI (migration 0020's trigger).
    search = search_vector_field()

    history = HistoricalRecords(excluded_fields=["search"])

    class Meta:
        ordering = ["-published_on", "title", "pk"]
        verbose_name = _("source")
        # Search finds arguments by their source's words (comparisons/search/engine.py).
        indexes = [GinIndex(fields=["search"], name="source_search")]

    def __str__(self) -> str:
        by = self.authors or self.organisation
        return f"{self.title} ({by})" if by else self.title


class Stance(models.TextChoices):
    FOR = "for", _("For openness")
    AGAINST = "against", _("Against openness")
    MIDDLE = "middle", _("Middle way")


class EvidenceKind(models.TextChoices):
    EMPIRICAL = "empirical", _("Empirical study")
    STATEMENT = "statement", _("Statement")
    POLICY_PAPER = "policy_paper", _("Policy paper")
    REPORT = "report", _("Report")
    MODEL_RELEASE = "model_release", _("Model release")
    ANALYSIS = "analysis", _("Analysis")


class LinkStance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    CHALLENGES = "challenges", _("Challenges")
    INFORMS = "informs", _("Informs")


class Argument(Editorial, Sourced, Withdrawable):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("claim, in a line"), max_length=250)
    stance = models.CharField(_("stance on openness"), max_length=8, choices=Stance)
    evidence_kind = models.CharField(_("kind of evidence"), max_length=16, choices=EvidenceKind)
    summary = models.TextField(_("summary (our words)"))
    quotation = models.TextField(
        _("quotation"), blank=True, help_text=_("Verbatim, from the source only.")
    )
    source = models.ForeignKey(
        Source, models.PROTECT, related_name="arguments", verbose_name=_("source")
    )
    provisions = models.ManyToManyField(
        Provision, through="ArgumentProvision", blank=True, related_name="arguments"
    )
    topics = models.ManyToManyField(
        Topic, through="ArgumentTopic", blank=True, related_name="arguments"
    )
    components = models.ManyToManyField(
        Component, through="ArgumentComponent", blank=True, related_name="arguments"
    )
    successor = successor_field(_("Where a reader of the withdrawn argument should go instead."))
    search = search_vector_field()

    history = HistoricalRecords(excluded_fields=["search"])

    class Meta:
        ordering = ["stance", "title", "pk"]
        verbose_name = _("argument")
        permissions = [publish_permission("argument", "arguments")]
        constraints = [published_is_sourced("argument")]
        indexes = [
            # Search: `search @@ websearch_to_tsquery(...)` over arguments.
            GinIndex(fields=["search"], name="argument_search"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("comparisons:argument", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if errors := self.sourcing_errors():
            raise ValidationError(errors)


# What an argument says, in the order the API and the spreadsheet show it.
ARGUMENT_FIELDS = (
    "slug",
    "title",
    "stance",
    "evidence_kind",
    "summary",
    "quotation",
    "source",
    "provisions",
    "topics",
    "components",
)


class ArgumentLink(PlainTextFields, models.Model):
    """What an argument bears on. Part of the argument (deleted with it); the provision, topic
    or component it points at cannot be deleted while the link exists (PROTECT)."""

    argument = models.ForeignKey(Argument, models.CASCADE)
    stance = models.CharField(_("stance"), max_length=10, choices=LinkStance)
    note = models.CharField(_("note"), max_length=300, blank=True)

    target: str  # the name of the foreign key to what the argument bears on

    class Meta:
        abstract = True
        ordering = ["pk"]  # as added; never the table's physical row order

    def __str__(self) -> str:
        return f"{self.argument} {self.get_stance_display().lower()} {getattr(self, self.target)}"


def once_per_argument(target: str) -> list[models.UniqueConstraint]:
    """An argument bears on a provision, topic or component once."""
    return [models.UniqueConstraint(fields=["argument", target], name=f"argument_{target}_unique")]


class ArgumentProvision(ArgumentLink):
    provision = models.ForeignKey(Provision, models.PROTECT, related_name="argument_links")
    target = "provision"

    history = HistoricalRecords()

    class Meta(ArgumentLink.Meta):
        verbose_name = _("argument on a provision")
        verbose_name_plural = _("arguments on provisions")
        constraints = once_per_argument("provision")


class ArgumentTopic(ArgumentLink):
    topic = models.ForeignKey(Topic, models.PROTECT, related_name="argument_links")
    target = "topic"

    history = HistoricalRecords()

    class Meta(ArgumentLink.Meta):
        verbose_name = _("argument on a topic")
        verbose_name_plural = _("arguments on topics")
        constraints = once_per_argument("topic")


class ArgumentComponent(ArgumentLink):
    component = models.ForeignKey(Component, models.PROTECT, related_name="argument_links")
    target = "component"

    history = HistoricalRecords()

    class Meta(ArgumentLink.Meta):
        verbose_name = _("argument on a component")
        verbose_name_plural = _("arguments on components")
        constraints = once_per_argument("component")
