"""Help while editing: slugs by the citation convention, and autocomplete that ranks matches.

Slugs: the label's slug comes from ``provisions.slugs.citation_slug`` — on the server when a
slug is left empty, and in the browser by asking the same function at ``…/citation-slug/``
(static/provisions/citation-slug.js), so there is one implementation of the convention.
"""

from django import forms
from django.contrib.admin.options import BaseModelAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import JsonResponse
from django.urls import path, reverse

from provisions.slugs import citation_slug

SLUG_JS = "provisions/citation-slug.js"


class CitationSlugFields(BaseModelAdmin):
    """Marks slug inputs that follow a label, for citation-slug.js (admins and inlines)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "slug" and field is not None:
            field.widget.attrs["data-citation-slug-url"] = reverse("admin:" + SLUG_URL_NAME)
        return field

    @property
    def media(self):
        return super().media + forms.Media(js=[SLUG_JS])


# One endpoint serves provisions and earlier labels: the convention does not depend on the kind.
SLUG_URL_NAME = "provisions_provision_citation_slug"


class CitationSlugEndpoint:
    """Mixed into ProvisionAdmin: ``GET …/citation-slug/?label=Art.+53(2)`` → {"slug": …}."""

    def get_urls(self):
        return [
            path(
                "citation-slug/",
                self.admin_site.admin_view(self.citation_slug_view),
                name=SLUG_URL_NAME,
            ),
            *super().get_urls(),
        ]

    def citation_slug_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        return JsonResponse({"slug": citation_slug(request.GET.get("label", "")[:300])})


def exact_and_prefix_first(queryset: QuerySet, term: str, fields: list[str]) -> QuerySet:
    """Order search results: an exact match of ``fields`` first, then prefix matches, then
    the rest, each group in the model's own order. Typing "AI Act" finds the AI Act first,
    not "AI Action Plan"."""
    term = " ".join(term.split())
    if not term:
        return queryset
    exact = Q()
    prefix = Q()
    for name in fields:
        exact |= Q(**{f"{name}__iexact": term})
        prefix |= Q(**{f"{name}__istartswith": term})
    rank = Case(
        When(exact, then=Value(0)),
        When(prefix, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    ordering = queryset.query.order_by or queryset.model._meta.ordering
    return queryset.annotate(match_rank=rank).order_by("match_rank", *ordering, "pk")
