"""The editors' desk on the admin index: a count per list and kind of record, each a link."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from provisions.desk import DESK_LISTS, asker_of, desk_counts, stale_after_days
from provisions.models import Argument, Instrument, Provision, Silence, Source

register = template.Library()

COLUMNS = [Provision, Instrument, Argument, Silence, Source]
# Column headings short enough for a phone; the full name is the heading's title.
SHORT = {Silence: "Findings"}


@dataclass
class Cell:
    count: int | None  # None: the list does not apply to this kind of record
    url: str = ""


@register.inclusion_tag("admin/provisions/_desk.html", takes_context=True)
def editors_desk(context) -> dict:
    request = context["request"]
    user = request.user
    models = [m for m in COLUMNS if user.has_perm(f"provisions.view_{m._meta.model_name}")]
    counts = desk_counts(asker_of(request), models)
    rows = []
    for desk_list in DESK_LISTS:
        cells = []
        for model in models:
            count = counts.get((desk_list.key, model))
            url = ""
            if count is not None:
                opts = model._meta
                changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                url = f"{changelist}?desk={desk_list.key}"
            cells.append(Cell(count, url))
        if any(cell.count is not None for cell in cells):
            rows.append((desk_list, cells))
    return {
        "columns": [
            (
                SHORT.get(m, str(m._meta.verbose_name_plural).capitalize()),
                m._meta.verbose_name_plural,
            )
            for m in models
        ],
        "rows": rows,
        "stale_days": stale_after_days(),
    }
