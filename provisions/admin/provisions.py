"""Provisions, edited with their earlier labels and the arguments on them; CSV/XLSX import."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from provisions.models import (
    ArgumentProvision,
    EarlierLabel,
    Instrument,
    Provision,
    ProvisionText,
)
from provisions.models.provisions import MEANING_FIELDS
from provisions.redline import changes as redline_changes
from provisions.spreadsheets import ProvisionResource

from .desk import DeskFilter
from .editing import CitationSlugEndpoint, CitationSlugFields, exact_and_prefix_first
from .preview import PreviewAdmin
from .scale import EstimatedCountPaginator
from .spreadsheets import CappedImportExportMixin
from .workflow import (
    EDITOR_STATES,
    EDITORIAL_STATE,
    LOCKED,
    SOURCE_AND_CHECKING,
    WITHDRAWAL,
    EditorialAdmin,
    PartAdmin,
    PartOfEditorialInline,
    can_publish,
)


def texts_as_of(provision, until) -> dict:
    """The provision's texts as they stood just before ``until`` (None: now), by id: each
    one's latest historical version then, unless that version deleted it."""
    history = ProvisionText.history.filter(provision_id=provision.pk)
    if until is not None:
        history = history.filter(history_date__lt=until)
    latest = history.order_by("id", "-history_date", "-history_id").distinct("id")
    return {v.id: v for v in latest if v.history_type != "-"}


class EarlierLabelFormSet(forms.BaseInlineFormSet):
    """Checks between the rows of one submission, which no single row's clean() can see."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            slug = form.cleaned_data.get("slug")
            if not slug:
                continue
            if slug == self.instance.slug:
                form.add_error("slug", _("This is the provision’s current label."))
            if slug in seen:
                form.add_error("slug", _("This earlier label is listed twice."))
            seen.add(slug)


class EarlierLabelInline(PartOfEditorialInline, CitationSlugFields, admin.TabularInline):
    model = EarlierLabel
    formset = EarlierLabelFormSet
    fields = ["label", "slug", "text_version", "source_url", "verification"]
    extra = 0


class ProvisionTextFormSet(forms.BaseInlineFormSet):
    """A text has its own editorial state: only publishers touch a published or withdrawn one."""

    may_publish = False

    def clean(self):
        super().clean()
        if self.may_publish:
            return
        for form in self.forms:
            # has_changed() covers the DELETE box too: a locked text is neither edited nor deleted.
            if form.instance.pk and form.initial.get("state") in LOCKED and form.has_changed():
                form.add_error(
                    None,
                    _("Only reviewers change, publish or withdraw a published text."),
                )


class ProvisionTextInline(PartOfEditorialInline, admin.StackedInline):
    """The law's own words, in each language and version, through the same workflow."""

    model = ProvisionText
    formset = ProvisionTextFormSet
    extra = 0
    leads_form = True  # placed right after the label and instrument (provision_change_form.html)
    fields = [
        ("kind", "language", "order"),
        "translator",
        "body",
        ("version_label", "applies_from"),
        "change_note",
        "published_in",
        "extent",
        ("source_url", "checked_on", "verification"),
        "copy_read",
        "state",
    ]
    verbose_name = _("text of this provision")
    verbose_name_plural = _("texts of this provision (the law’s own words)")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.may_publish = can_publish(request.user, ProvisionText)
        return formset

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "state" and not can_publish(request.user, ProvisionText):
            kwargs["choices"] = EDITOR_STATES
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class ArgumentOnProvisionInline(PartOfEditorialInline, admin.TabularInline):
    model = ArgumentProvision
    fields = ["argument", "stance", "note"]
    autocomplete_fields = ["argument"]
    extra = 0
    verbose_name = _("argument on this provision")
    verbose_name_plural = _("arguments on this provision")


@admin.register(Provision)
class ProvisionAdmin(
    CappedImportExportMixin,
    PreviewAdmin,
    CitationSlugEndpoint,
    CitationSlugFields,
    EditorialAdmin,
):
    resource_classes = [ProvisionResource]
    export_template_name = "admin/provisions/export.html"  # CSP-clean copy
    list_display = [
        "label",
        "instrument",
        "kind",
        "treatment",
        "applies_from",
        "state",
        "verification",
        "checked_on",
    ]
    list_filter = [
        DeskFilter,
        "instrument__jurisdiction",
        "treatment",
        "kind",
        "state",
        "verification",
        "topics",
        "components",
    ]
    list_select_related = ["instrument__jurisdiction"]
    # At 20,000 provisions a COUNT(*) per page view is most of its time: no "of N total"
    # beside a filtered count, and an unfiltered list counts from PostgreSQL's estimate.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    search_fields = [
        "label",
        "slug",
        "heading",
        "summary",
        "instrument__short_title",
        "instrument__identifier",
        "earlier_labels__label",
    ]
    search_help_text = _("Label (current or earlier), heading, summary or instrument.")
    autocomplete_fields = [
        "instrument",
        "parent",
        "conditions",
        "components",
        "topics",
        "successor",
    ]
    # No prepopulated_fields: Django's URLify would make "art-532" of "Art. 53(2)";
    # CitationSlugFields fills the slug by the citation convention instead.
    inlines = [ProvisionTextInline, EarlierLabelInline, ArgumentOnProvisionInline]
    change_form_template = "admin/provisions/provision_change_form.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "instrument",
                    "parent",
                    ("kind", "label", "slug"),
                    "heading",
                    ("order", "pin_page"),
                ]
            },
        ),
        (_("Meaning, in our words"), {"fields": list(MEANING_FIELDS)}),
        (
            _("When it applies"),
            {
                "fields": [
                    ("applies_from", "ceases_on"),
                    ("transition_placed_before", "transition_until", "transition_cited"),
                ]
            },
        ),
        SOURCE_AND_CHECKING,
        EDITORIAL_STATE,
        WITHDRAWAL,
    ]

    def compare_parts(self, obj, before_until, after_until):
        """The provision's texts (kept in their own history) as they stood at each version."""
        before, after = texts_as_of(obj, before_until), texts_as_of(obj, after_until)
        parts = []
        for pk in sorted(before.keys() | after.keys()):
            old, new = before.get(pk), after.get(pk)
            shown = new or old
            title = _("Text: %(kind)s (%(language)s, %(version)s)") % {
                "kind": shown.get_kind_display(),
                "language": shown.language,
                "version": shown.version_label,
            }
            found = redline_changes(
                ProvisionText, old, new, skip=("provision", "created_at", "updated_at", "search")
            )
            if found:
                parts.append((title, found))
        return parts

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The widgets print the chosen record; its name needs its instrument (and jurisdiction).
        if db_field.name == "instrument":
            kwargs["queryset"] = Instrument.objects.select_related("jurisdiction")
        elif db_field.name in ("parent", "successor"):
            kwargs["queryset"] = Provision.objects.select_related("instrument")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        queryset = exact_and_prefix_first(queryset, search_term, ["label", "slug", "heading"])
        # Autocomplete lists print each provision's citation, which needs its instrument.
        return queryset.select_related("instrument"), may_have_duplicates


@admin.register(EarlierLabel)
class EarlierLabelAdmin(PartAdmin):
    """Also here on its own, to find which provision an old draft label became."""

    part_of = "provision"
    list_display = ["label", "provision", "text_version", "verification"]
    list_filter = ["verification", "instrument__jurisdiction"]
    list_select_related = ["provision__instrument"]
    search_fields = ["label", "slug", "text_version", "provision__label"]
    autocomplete_fields = ["provision"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "provision":
            kwargs["queryset"] = Provision.objects.select_related("instrument")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ProvisionText)
class ProvisionTextAdmin(EditorialAdmin):
    """Also on their own: the review queue of texts, and publish/withdraw in bulk."""

    list_display = ["provision", "kind", "language", "version_label", "state", "verification"]
    list_filter = [
        "state",
        "kind",
        "language",
        "verification",
        "provision__instrument__jurisdiction",
    ]
    list_select_related = ["provision__instrument"]
    search_fields = ["body", "translator", "version_label", "provision__label"]
    search_help_text = _("Words of the text, translator, version or provision label.")
    autocomplete_fields = ["provision"]
    fields = ["provision", *ProvisionTextInline.fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "provision":
            kwargs["queryset"] = Provision.objects.select_related("instrument")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
