"""The law's own words: a provision's texts, in their languages and versions.

A provision has one or more texts: the authentic text in its original language, translations
(official or unofficial, each naming its translator) and, where no translation exists, our own.
Each text is a version: the OJ original, or the text as amended by a later act, from the date that
version applies. Bodies are plain text with a tiny markup (provisions/textmarkup.py): one block
per line; a line opening with a label such as "(a)", "(ii)", "2." or "（一）" becomes a point or
paragraph with its own anchor. Editors never write HTML: everything is escaped on the page.
"""

import datetime
import re
from typing import NamedTuple

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .editorial import Editorial, EditorialQuerySet, EditorialState, Sourced, publish_permission
from .instruments import published_is_sourced
from .provisions import Provision
from .search import search_vector_field

# BCP 47 as used here: a language subtag, then script/region/variant subtags ("en", "zh-Hans").
BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class ProvisionTextQuerySet(EditorialQuerySet):
    def public(self):
        """Published texts of public provisions."""
        return self.published().filter(
            provision__state=EditorialState.PUBLISHED,
            provision__instrument__state=EditorialState.PUBLISHED,
        )


class LegalValue(models.TextChoices):
    """What the copy that was read is worth as a statement of the law, after schema.org's
    ``legislationLegalValue`` (and legislation.gov.uk): the label a page puts on a text comes
    from here, never from a typed heading."""

    # The official publication itself: the OJ, the Federal Register, gov.cn/CAC, law.go.kr's
    # original, e-Gov (schema.org: Definitive or Authoritative legal value).
    AUTHORITATIVE = "authoritative", _("Authoritative: the official publication")
    # Published by the public body but without legal effect: EUR-Lex consolidated versions,
    # government reference translations (schema.org: Official legal value).
    OFFICIAL_NOT_AUTHORITATIVE = (
        "official_not_authoritative",
        _("Official, not authoritative (consolidated version or reference translation)"),
    )
    # The official wording, read in a named third-party copy of the official file.
    FAITHFUL_COPY = "faithful_copy", _("Official wording, read in a faithful copy")
    # A third party quoting the text: a news report, a tracker, a law firm's note.
    SECONDARY = "secondary", _("Quoted by a secondary source")


# Legal values that let a page call a text "official": what was read is the state's own words
# in the state's own (or a byte-faithful) copy. A secondary quotation never is.
OFFICIAL_VALUES = (
    LegalValue.AUTHORITATIVE,
    LegalValue.OFFICIAL_NOT_AUTHORITATIVE,
    LegalValue.FAITHFUL_COPY,
)


class Provenance(NamedTuple):
    """What a page, a citation block, an export or JSON-LD says about one text's standing."""

    heading: str  # above the text: "Authentic text", "Quoted from a secondary source" …
    wording: str  # one sentence on what was read: "Checked against …", "Quoted from …"
    is_official: bool  # may the text sit under "Official text"?
    schema_org: str  # the schema.org LegalValueLevel of the copy that was read


def provenance_of(heading, wording, is_official: bool, schema_org: str) -> Provenance:
    return Provenance(str(heading), str(wording), is_official, schema_org)


SCHEMA_ORG_VALUES = {
    LegalValue.AUTHORITATIVE: "https://schema.org/AuthoritativeLegalValue",
    LegalValue.OFFICIAL_NOT_AUTHORITATIVE: "https://schema.org/OfficialLegalValue",
    LegalValue.FAITHFUL_COPY: "https://schema.org/UnofficialLegalValue",
    LegalValue.SECONDARY: "https://schema.org/UnofficialLegalValue",
}


class ProvisionText(Editorial, Sourced):
    class Kind(models.TextChoices):
        AUTHENTIC = "authentic", _("Authentic text")
        OFFICIAL_TRANSLATION = "official_translation", _("Official translation")
        UNOFFICIAL_TRANSLATION = "unofficial_translation", _("Unofficial translation")
        OURS = "ours", _("Our translation")

    provision = models.ForeignKey(
        Provision, models.CASCADE, related_name="texts", verbose_name=_("provision")
    )
    language = models.CharField(
        _("language"),
        max_length=35,
        validators=[RegexValidator(BCP47, _("A BCP 47 language tag, such as “en” or “zh-Hans”."))],
        help_text=_("BCP 47: “en”, “zh-Hans”, “de”."),
    )
    kind = models.CharField(_("kind of text"), max_length=24, choices=Kind)
    translator = models.CharField(
        _("translator or publisher"),
        max_length=300,
        blank=True,
        help_text=_(
            "Who made this translation (“China Aerospace Studies Institute (CASI)”), or who "
            "publishes the authentic text (“Publications Office of the EU”)."
        ),
    )
    copy_read = models.CharField(
        _("copy that was read"),
        max_length=500,
        blank=True,
        help_text=_("Where the wording was checked, if not at the source URL itself."),
    )
    legal_value = models.CharField(
        _("legal value of the copy read"),
        max_length=26,
        choices=LegalValue,
        default=LegalValue.SECONDARY,
        help_text=_(
            "What was actually read: the official publication; an official but not authentic "
            "version (EUR-Lex consolidated text, reference translation); the official wording "
            "in a named copy; or a third party's quotation. The page's heading follows from it."
        ),
    )
    version_label = models.CharField(
        _("version"),
        max_length=200,
        help_text=_(
            "“Original text (OJ L, 12.7.2024)”, “As amended by Regulation (EU) 2026/1744”."
        ),
    )
    published_in = models.CharField(
        _("officially published in"),
        max_length=200,
        blank=True,
        help_text=_("For the official citation: “OJ L, 12.7.2024”, “88 Fed. Reg. 75191”."),
    )
    applies_from = models.DateField(
        _("version applies from"),
        null=True,
        blank=True,
        help_text=_("Empty for the original text; the date an amended version applies."),
    )
    change_note = models.CharField(
        _("what changed"),
        max_length=500,
        blank=True,
        help_text=_("For an amended version: what the amendment changed, in our words."),
    )
    extent = models.CharField(
        _("extent"),
        max_length=300,
        blank=True,
        help_text=_("If the body is an excerpt, which parts it holds."),
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Verbatim. One paragraph per line; a line that opens with “(a)”, “(ii)”, “2.” or "
            "“（一）” becomes a point with its own link. No HTML: it is shown as typed."
        ),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    search = search_vector_field()

    history = HistoricalRecords(excluded_fields=["search"])
    objects = ProvisionTextQuerySet.as_manager()

    class Meta:
        ordering = ["provision", "order", "pk"]
        verbose_name = _("provision text")
        permissions = [publish_permission("provisiontext", "provision texts")]
        constraints = [
            published_is_sourced("provision_text"),
            models.CheckConstraint(
                condition=Q(kind__in=["authentic", "ours"]) | ~Q(translator=""),
                name="provision_text_translation_names_translator",
                violation_error_message=_("A translation must name its translator."),
            ),
            models.UniqueConstraint(
                fields=["provision", "language", "kind", "version_label"],
                name="provision_text_unique_version",
                violation_error_message=_(
                    "This provision already has a text of this kind, language and version."
                ),
            ),
        ]
        indexes = [
            # Search: `search @@ query`, English stems and Chinese character pairs alike.
            GinIndex(fields=["search"], name="provision_text_search"),
        ]

    def __str__(self) -> str:
        kind = self.get_kind_display()
        return f"{self.provision_id}: {kind} ({self.language}, {self.version_label})"

    @property
    def is_translation(self) -> bool:
        return self.kind != self.Kind.AUTHENTIC

    @property
    def label(self) -> str:
        """What the page says above the text: “Official text”, “Unofficial translation: CASI”.

        From the copy that was read (``provenance``), never from the kind alone."""
        heading = self.provenance.heading
        if self.is_translation and self.translator:
            return f"{heading}: {self.translator}"
        return heading

    @property
    def checked_copy(self) -> str:
        return self.checked_against or self.copy_read

    @property
    def provenance(self) -> Provenance:
        """The one rule for how a text is labelled, from its kind and the copy that was read.

        Only a text read in the official publication is "Authentic text"; an official version
        without legal effect says so; official wording read in a mirror says "checked against
        a copy"; and a text read only in a secondary source is a quotation with its source,
        never "official" or "authentic", whatever its kind.
        """
        value = LegalValue(self.legal_value)
        copy = self.copy_read or self.source_url
        schema = SCHEMA_ORG_VALUES[value]
        if self.kind in (self.Kind.UNOFFICIAL_TRANSLATION, self.Kind.OURS):
            # Translations by others are never the law's words, however faithfully read.
            return provenance_of(
                self.get_kind_display(), _("Read in %(copy)s.") % {"copy": copy}, False, schema
            )
        if value == LegalValue.SECONDARY:
            return provenance_of(
                _("Quoted from a secondary source"),
                _("Quoted from %(copy)s; not yet compared with the official text.")
                % {"copy": copy},
                False,
                schema,
            )
        if self.kind == self.Kind.AUTHENTIC:
            if value == LegalValue.AUTHORITATIVE:
                heading = _("Authentic text")
                wording = _("Checked against the official publication.")
            elif value == LegalValue.OFFICIAL_NOT_AUTHORITATIVE:
                heading = _("Official text, no legal effect")
                wording = _(
                    "Checked against an official version that has no legal effect (%(copy)s); "
                    "the authentic text is the one in the official publication."
                ) % {"copy": copy}
            else:
                heading = _("Official text")
                wording = _("Checked against a faithful copy of the official text: %(copy)s.") % {
                    "copy": copy
                }
            return provenance_of(heading, wording, True, schema)
        if self.kind == self.Kind.OFFICIAL_TRANSLATION:
            if value == LegalValue.OFFICIAL_NOT_AUTHORITATIVE:
                heading = _("Official reference translation, no legal effect")
            else:
                heading = _("Official translation")
            return provenance_of(
                heading,
                _("Checked against %(copy)s.") % {"copy": copy},
                True,
                schema,
            )
        raise ValueError(f"no label for a {self.kind} text")  # every kind is handled above

    def clean(self) -> None:
        errors = self.sourcing_errors()
        translation = (self.Kind.OFFICIAL_TRANSLATION, self.Kind.UNOFFICIAL_TRANSLATION)
        if self.kind in translation and not self.translator.strip():
            errors["translator"] = _("A translation must name its translator.")
        if errors:
            raise ValidationError(errors)


def in_force_on(texts: list[ProvisionText], day: datetime.date) -> list[ProvisionText]:
    """Per language and kind, the latest version that applies on ``day``.

    A version with no date is the original; a dated one replaces it from that date. If every
    version applies only later, the earliest is shown (the page says from when).
    """
    chosen: dict[tuple[str, str], ProvisionText] = {}
    for text in texts:
        key = (text.kind, text.language)
        best = chosen.get(key)
        start = text.applies_from or datetime.date.min
        if start > day:
            if best is None:
                chosen[key] = text
            continue
        best_start = (best.applies_from or datetime.date.min) if best else None
        if best is None or best_start > day or start > best_start:
            chosen[key] = text
    return sorted(chosen.values(), key=lambda t: (t.order, t.pk or 0))


def authentic_text(texts: list[ProvisionText], day: datetime.date) -> ProvisionText | None:
    """The authentic text in force on ``day``, if the provision has one."""
    for text in in_force_on(texts, day):
        if text.kind == ProvisionText.Kind.AUTHENTIC:
            return text
    return None
