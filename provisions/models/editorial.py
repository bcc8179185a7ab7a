"""What every curated record shares: an editorial state and the facts of its checking."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from provisions.plaintext import PlainTextFields


class EditorialState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Verification(models.TextChoices):
    OFFICIAL = "official", _("Checked against the official text")
    SECONDARY = "secondary", _("From a secondary source")
    UNVERIFIED = "unverified", _("Unverified")


class EditorialQuerySet(models.QuerySet):
    def published(self):
        """What the public may see. Editorial state, not legal status."""
        return self.filter(state=EditorialState.PUBLISHED)


class Editorial(PlainTextFields, models.Model):
    state = models.CharField(
        _("editorial state"),
        max_length=10,
        choices=EditorialState,
        default=EditorialState.DRAFT,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditorialQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.state == EditorialState.PUBLISHED


def successor_field(help_text) -> models.ForeignKey:
    """“Replaced by”: where a reader of the withdrawn record should go instead."""
    return models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("replaced by"),
        help_text=help_text,
    )


def parent_field() -> models.ForeignKey:
    """“Part of”: a provision in a larger one, a state in its country."""
    return models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )


def not_itself(name: str, message, field: str, other: str = "pk") -> models.CheckConstraint:
    """The database's rule that ``field`` does not point back at ``other`` (the record itself)."""
    return models.CheckConstraint(
        condition=~models.Q(**{field: models.F(other)}), name=name, violation_error_message=message
    )


def empty_or(name: str, message, first: str, second: str, *, holds) -> models.CheckConstraint:
    """The database's rule for two dates: either is empty, or ``holds`` (their order)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{first}__isnull": True})
        | models.Q(**{f"{second}__isnull": True})
        | holds,
        name=name,
        violation_error_message=message,
    )


def publish_permission(model_name: str, plural: str) -> tuple[str, str]:
    """The custom permission that lets Reviewers publish and withdraw one kind of record.

    Codename ``publish_<model_name>``, checked by the admin with ``user.has_perm``.
    """
    return (f"publish_{model_name}", f"Can publish and withdraw {plural}")


# Published records are public; withdrawn ones were. Either way only a publisher touches them.
LOCKED = frozenset({EditorialState.PUBLISHED, EditorialState.WITHDRAWN})


def can_publish(user, model) -> bool:
    """Does ``user`` hold ``model``'s publish permission (the Reviewers group, superusers)?"""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


@dataclass(frozen=True)
class Transition:
    """A move of a record from one editorial state to another, as a button on its form."""

    key: str
    label: str  # the button
    sources: frozenset  # the states it starts from
    target: str
    publishers_only: bool
    reason: str  # the history's change reason
    needs_comment: bool = False


DRAFT, IN_REVIEW = EditorialState.DRAFT, EditorialState.IN_REVIEW
PUBLISHED, WITHDRAWN = EditorialState.PUBLISHED, EditorialState.WITHDRAWN
TRANSITIONS = (
    Transition(
        "submit", _("Submit for review"), frozenset({DRAFT}), IN_REVIEW, False,
        "Submitted for review",
    ),
    Transition(
        "send_back", _("Send back"), frozenset({IN_REVIEW}), DRAFT, True,
        "Sent back for changes", needs_comment=True,
    ),
    Transition(
        "publish", _("Publish"), frozenset({DRAFT, IN_REVIEW}), PUBLISHED, True, "Published"
    ),
    Transition("withdraw", _("Withdraw"), frozenset({PUBLISHED}), WITHDRAWN, True, "Withdrawn"),
)  # fmt: skip


def transitions_for(user, model, state: str) -> dict[str, Transition]:
    """The moves ``user`` may make from ``state`` (editors submit; reviewers also send back,
    publish and withdraw), by key."""
    publisher = can_publish(user, model)
    return {
        t.key: t for t in TRANSITIONS if state in t.sources and (publisher or not t.publishers_only)
    }


class Withdrawable(models.Model):
    """When and why a once-public record was withdrawn: its permalink answers 410 with these."""

    withdrawn_on = models.DateField(
        _("withdrawn on"),
        null=True,
        blank=True,
        help_text=_("Set to the day of withdrawal when left empty."),
    )
    withdrawal_reason = models.TextField(
        _("why it was withdrawn"),
        blank=True,
        help_text=_("For readers who follow an old link: a sentence or two, in our words."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Withdrawn today, unless the editor gave the date: only a public record is withdrawn
        # (one never published that is set to "withdrawn" was just abandoned).
        if (
            getattr(self, "state", None) == EditorialState.WITHDRAWN
            and not self.withdrawn_on
            and self.pk is not None
            and type(self)
            ._default_manager.filter(pk=self.pk, state=EditorialState.PUBLISHED)
            .exists()
        ):
            self.withdrawn_on = timezone.localdate()
        super().save(*args, **kwargs)


class Cited(models.Model):
    """Where a fact was read, and how well it was checked (timeline events, links, old labels)."""

    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification, default=Verification.UNVERIFIED
    )

    class Meta:
        abstract = True


# A sourced record's fields, in the order the API and the spreadsheets show them.
SOURCED_FIELDS = ("source_url", "checked_on", "verification")


class Sourced(Cited):
    """A record that states a fact: where it was checked, when, and how well.

    ``checked_on`` is the day this record itself was checked against the copy it names
    (``checked_against``, or a text's copy read, or a finding's scope). A record entered from a
    fact base without a check of its own has only ``entered_on``: pages say "entered on", never
    "checked on", for it (``check_words``).
    """

    checked_on = models.DateField(
        _("checked on"),
        null=True,
        blank=True,
        help_text=_(
            "The day this record was checked against the copy named below. Empty if no "
            "check of its own is recorded."
        ),
    )
    checked_against = models.CharField(
        _("copy checked against"),
        max_length=500,
        blank=True,
        help_text=_(
            "The copy that was read on that day: “Federal Register PDF, 88 FR 75203”, "
            "“EUR-Lex HTML in the CSA dataset”."
        ),
    )
    entered_on = models.DateField(
        _("entered on"),
        null=True,
        blank=True,
        help_text=_("The day the record was entered. Set on creation when left empty."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The day of entry is a fact the atlas knows for every new record; it is never a check.
        if self._state.adding and self.entered_on is None:
            self.entered_on = timezone.localdate()
        super().save(*args, **kwargs)

    @property
    def checked_copy(self) -> str:
        """The copy this record's check date vouches for (subclasses name their own)."""
        return self.checked_against

    @property
    def check_words(self) -> tuple[str, datetime.date | None]:
        """What a page prints before the date it vouches for, and that date.

        ("Checked on", day) only for a recorded check; otherwise ("Entered on", day): a date
        nobody checked anything on is never called a check date.
        """
        if self.checked_on:
            return str(_("Checked on")), self.checked_on
        return str(_("Entered on")), self.entered_on

    def sourcing_errors(self) -> dict:
        """Form errors for a published record that lacks what the database will demand."""
        if getattr(self, "state", None) != EditorialState.PUBLISHED:
            return {}
        errors = {}
        if not self.source_url:
            errors["source_url"] = _("A published record needs the URL of its source.")
        if not self.checked_on and not self.entered_on and not self._state.adding:
            errors["checked_on"] = _(
                "A published record needs the date its source was checked, or the day it was "
                "entered."
            )
        if self.verification == Verification.UNVERIFIED:
            errors["verification"] = _(
                "An unverified record cannot be published: check it against the official "
                "text or a secondary source first."
            )
        return errors
