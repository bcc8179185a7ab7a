"""Downloads: a matrix view as CSV or JSON, and the whole published atlas as one JSON file.

A matrix export takes the page's query string and goes through the page's own code path
(``ProvisionFilter`` + ``build_matrix``), uncapped, so it holds exactly the provisions the page
shows, cell by cell. The full export uses the API's serializers: one representation of a record.
"""

import csv
import datetime

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from comparisons.ai_models.grid import load_columns
from comparisons.matrix.build import Matrix, build_matrix, comparisons_with_layout
from comparisons.matrix.filters import ProvisionFilter
from comparisons.matrix.panel import active_filters, describe_filters
from comparisons.matrix.summary_image import summary_image
from comparisons.models import Comparison
from comparisons.opendata import serializers
from comparisons.opendata.model_serializers import ModelProfileSerializer
from provisions.models import Component, Condition, Jurisdiction, Silence, Topic
from provisions.plaintext import spreadsheet_safe
from provisions.queries import (
    public_arguments,
    public_instruments,
    public_model_profiles,
    public_provisions,
    public_silence_instruments,
)

SCHEMA_VERSION = "1.0"
SCHEMA_PATH = "schema/atlas-export.schema.json"
LICENCE = {
    "summaries": "CC BY 4.0",
    "summaries_url": "https://creativecommons.org/licenses/by/4.0/",
    "statement": (
        "Our summaries, notes and classifications are licensed under CC BY 4.0: reuse them "
        "with attribution to the Openness Atlas and a link to the record's permalink. The "
        "provisions' official texts (``texts``) carry their own terms; see each record's source."
    ),
}


def stamp(request: HttpRequest) -> dict:
    """What every JSON download starts with: version, date, licence, where it came from."""
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
        "licence": LICENCE,
        "source": request.build_absolute_uri("/"),
    }


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- a matrix view ----------------------------------------------------------------------------


def download_name(comparison: Comparison, filterset: ProvisionFilter, matrix: Matrix) -> str:
    """A file name that says what is in the file: comparison, date and the filters in force.

    "atlas-home-2026-11-30-j-cn-us-treatment-exempts": two downloads of different views never
    overwrite each other, and the name alone tells them apart. Long selections are shortened.
    """
    parts = [f"atlas-{comparison.slug}-{matrix.day.isoformat()}"]
    query = filterset.cleaned_query()
    for name in query:
        if name == "as_of":
            continue  # already in the name
        values = "-".join(slugify(value) for value in query.getlist(name))
        parts.append(f"{name.replace('_', '-')}-{values}" if values else name)
    name = "-".join(part for part in parts if part)
    return name if len(name) <= 120 else name[:120].rstrip("-")


def matrix_for(request: HttpRequest, slug: str) -> tuple[Comparison, ProvisionFilter, Matrix]:
    comparison = comparisons_with_layout().filter(slug=slug).first()
    if comparison is None:
        raise Http404("No such comparison.")
    filterset = ProvisionFilter(request.GET)
    # The page caps each cell (“and 4 more”); a download holds every provision of every cell.
    matrix = build_matrix(comparison, filterset, path=comparison.get_absolute_url(), cap=None)
    return comparison, filterset, matrix


def cell_rows(matrix: Matrix):
    """(row, cell, entry or None) for every cell; an empty cell once, with no entry."""
    for row in matrix.rows:
        for cell in row.cells:
            if not cell.entries:
                yield row, cell, None
            for entry in cell.entries:
                yield row, cell, entry


# The exports' names for a cell's states (``Cell.state``); "filtered_out" and "not_reviewed"
# predate the finer states and stay, for the scripts that read them.
EXPORT_STATES = {"filtered": "filtered_out", "unreviewed": "not_reviewed"}


def cell_state(cell) -> str:
    return EXPORT_STATES.get(cell.state, cell.state)


CSV_COLUMNS = [
    "row_kind",
    "row",
    "row_name",
    "jurisdiction",
    "cell",
    "provision_id",
    "citation",
    "url",
    "standing",
    "standing_date",
    "treatment",
    "conditions",
    "summary",
    "silence",
]


@require_safe
def matrix_csv(request: HttpRequest, slug: str) -> HttpResponse:
    comparison, filterset, matrix = matrix_for(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # A byte-order mark: without it Excel reads the file as the local code page and 开源
    # becomes mojibake. Python's csv and most tools skip it (read with "utf-8-sig").
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    row_kind = "component" if matrix.rows_are == Comparison.Rows.COMPONENTS else "topic"
    for row, cell, entry in cell_rows(matrix):
        provision = entry.provision if entry else None
        silence = cell.silence.statement if cell.silence and not cell.entries else ""
        # Editors' text, in any column (a short title in a citation, a topic's name), must not
        # run as a formula when the file is opened in a spreadsheet.
        cells = [
            row_kind,
            row.slug,
            row.name,
            cell.jurisdiction.code,
            cell_state(cell),
            provision.pk if provision else "",
            entry.citation if entry else "",
            request.build_absolute_uri(entry.url) if entry else "",
            entry.badge if entry else "",
            entry.badge_date.isoformat() if entry and entry.badge_date else "",
            provision.treatment if provision else "",
            conditions_text(entry) if entry else "",
            provision.summary if provision else "",
            silence,
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return attachment(response, download_name(comparison, filterset, matrix) + ".csv")


def conditions_text(entry) -> str:
    """“Applies if: a; b. Lost if: c.”: which way each condition cuts, in one CSV field."""
    parts = []
    if entry.applies_if:
        parts.append("Applies if: " + "; ".join(entry.applies_if) + ".")
    if entry.lost_if:
        parts.append("Lost if: " + "; ".join(entry.lost_if) + ".")
    return " ".join(parts)


def entry_json(request: HttpRequest, entry) -> dict:
    provision = entry.provision
    return {
        "id": provision.pk,
        "citation": entry.citation,
        "url": request.build_absolute_uri(entry.url),
        "api_url": request.build_absolute_uri(
            reverse("comparisons:api:provision-detail", args=[provision.pk])
        ),
        "standing": entry.badge,
        "standing_date": entry.badge_date.isoformat() if entry.badge_date else None,
        "treatment": provision.treatment,
        "conditions": entry.conditions,
        "applies_if": entry.applies_if,
        "lost_if": entry.lost_if,
        "summary": provision.summary,
    }


@require_safe
def matrix_json(request: HttpRequest, slug: str) -> HttpResponse:
    comparison, filterset, matrix = matrix_for(request, slug)
    body = {
        **stamp(request),
        "comparison": {
            "slug": comparison.slug,
            "title": comparison.title,
            "url": request.build_absolute_uri(comparison.get_absolute_url()),
        },
        "query": {k: filterset.cleaned_query().getlist(k) for k in filterset.cleaned_query()},
        "ignored": filterset.messages,
        "as_of": matrix.day.isoformat(),
        "rows_are": matrix.rows_are,
        "columns": [
            {
                "code": j.code,
                "name": j.name,
                "url": request.build_absolute_uri(j.get_absolute_url()),
            }
            for j in matrix.columns
        ],
        "rows": [
            {
                "slug": row.slug,
                "name": row.name,
                "question": row.question,
                "cells": [
                    {
                        "jurisdiction": cell.jurisdiction.code,
                        "state": cell_state(cell),
                        "hidden": cell.hidden,
                        "provisions": [entry_json(request, e) for e in cell.entries],
                        "silence": (
                            {
                                "statement": cell.silence.statement,
                                "reviewed_on": cell.silence.reviewed_on.isoformat(),
                            }
                            if cell.silence and not cell.entries
                            else None
                        ),
                    }
                    for cell in row.cells
                ],
            }
            for row in matrix.rows
        ],
        "provision_count": len({e.provision.pk for _, _, e in cell_rows(matrix) if e}),
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
    return attachment(response, download_name(comparison, filterset, matrix) + ".json")


@require_safe
def matrix_svg(request: HttpRequest, slug: str) -> HttpResponse:
    """The summary grid as an image for a briefing, with its date, filters and source on it."""
    comparison, filterset, matrix = matrix_for(request, slug)
    query = filterset.cleaned_query().urlencode()
    page = comparison.get_absolute_url() + (f"?{query}" if query else "")
    image = summary_image(
        matrix,
        title=comparison.title,
        filters=describe_filters(active_filters(filterset, comparison.get_absolute_url())),
        permalink=request.build_absolute_uri(page),
    )
    response = HttpResponse(image, content_type="image/svg+xml; charset=utf-8")
    return attachment(response, download_name(comparison, filterset, matrix) + ".svg")


# --- the whole atlas --------------------------------------------------------------------------


def atlas_document(request: HttpRequest, today: datetime.date | None = None) -> dict:
    """Every published record, each with its stable id, permalink and API address."""
    context = {"request": request, "today": today or timezone.localdate()}

    def many(serializer, queryset):
        return serializer(queryset, many=True, context=context).data

    silences = Silence.objects.published().select_related("jurisdiction")
    comparisons = Comparison.objects.published().prefetch_related(
        "columns__jurisdiction", "topics", "components"
    )
    return {
        "$schema": request.build_absolute_uri(static(SCHEMA_PATH)),
        **stamp(request),
        "jurisdictions": many(
            serializers.JurisdictionSerializer, Jurisdiction.objects.select_related("parent")
        ),
        "topics": many(serializers.TopicSerializer, Topic.objects.all()),
        "components": many(serializers.ComponentSerializer, Component.objects.all()),
        "conditions": many(serializers.ConditionSerializer, Condition.objects.all()),
        "instruments": many(serializers.InstrumentSerializer, public_instruments()),
        "provisions": many(serializers.ProvisionSerializer, public_provisions()),
        "arguments": many(serializers.ArgumentSerializer, public_arguments()),
        "silences": many(
            serializers.SilenceSerializer,
            silences.prefetch_related(public_silence_instruments(), "topics", "components"),
        ),
        "models": ModelProfileSerializer(
            public_model_profiles(), many=True, context=context | {"columns": load_columns()}
        ).data,
        "comparisons": [
            {
                "id": c.pk,
                "slug": c.slug,
                "title": c.title,
                "url": request.build_absolute_uri(c.get_absolute_url()),
                "rows": c.rows,
                "jurisdictions": [column.jurisdiction.code for column in c.columns.all()],
                "topics": [t.slug for t in c.topics.all()],
                "components": [t.slug for t in c.components.all()],
            }
            for c in comparisons
        ],
    }


@require_safe
def atlas_json(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(atlas_document(request), json_dumps_params={"ensure_ascii": False})
    return attachment(response, f"openness-atlas-{timezone.localdate().isoformat()}.json")


app_name = "downloads"
urlpatterns = [
    path("atlas.json", atlas_json, name="atlas"),
    path("compare/<slug:slug>.csv", matrix_csv, name="matrix-csv"),
    path("compare/<slug:slug>.json", matrix_json, name="matrix-json"),
    path("compare/<slug:slug>.svg", matrix_svg, name="matrix-svg"),
]
