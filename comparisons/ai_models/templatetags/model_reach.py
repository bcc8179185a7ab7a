"""Models on provision pages ("Which models does this reach?") and grid cells by column."""

from django import template

from comparisons.ai_models.grid import (
    DISCLAIMER,
    build_rows,
    latest_check,
    load_columns,
)
from provisions.openness import FAILS, MEETS, NOT_APPLICABLE, UNCERTAIN, flop
from provisions.queries import public_model_profiles

register = template.Library()


@register.filter
def model_cell(row, key: str):
    """The grid row's cell for the column ``key`` (None when the provision sets no condition)."""
    return row.cell(key)


register.filter("flop", flop)


@register.filter
def verdict_label(verdict, treatment: str) -> str:
    return verdict.label(treatment)


@register.filter
def verdict_style(verdict, treatment: str) -> str:
    return verdict.style(treatment)


@register.inclusion_tag("comparisons/_provision_models.html")
def models_reached(provision):
    """How each published model fares under ``provision``'s openness conditions.

    Nothing at all when the provision sets none (one query); otherwise three, however many
    models there are.
    """
    columns = load_columns(provision_id=provision.pk)
    if not columns:
        return {"column": None}
    column = columns[0]
    rows = build_rows(public_model_profiles(), columns)
    grouped = {MEETS: [], UNCERTAIN: [], FAILS: [], NOT_APPLICABLE: []}
    for row in rows:
        cell = row.cells[0]
        grouped[cell.verdict.outcome].append((row.profile, cell))
    return {
        "column": column,
        "groups": [
            (outcome, grouped[outcome]) for outcome in (MEETS, UNCERTAIN, FAILS, NOT_APPLICABLE)
        ],
        "disclaimer": DISCLAIMER,
        "facts_date": latest_check(),
    }
