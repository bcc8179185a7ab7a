"""The matrix's per-provision markup, in Python: the 50-column matrix lists a thousand
provisions, and as a template partial each cost a dozen variable lookups and filters (a third
of the uncached render, issue #19). The output is the partial's, byte for byte.
"""

import html

from django import template
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from comparisons.templatetags.atlas_lang import mark_chinese

register = template.Library()


def escape(value) -> str:
    """``django.utils.html.escape`` without its lazy-string wrapper (tens of thousands of calls
    per wide matrix): the same ``html.escape`` of the text."""
    return html.escape(str(value))


def marked(text: str) -> SafeString:
    """``text|mark_chinese``, escaped as above."""
    return mark_chinese(SafeString(escape(text)))


def _joined(values: list[str]) -> SafeString:
    """``values|join:"; "|mark_chinese``."""
    return mark_chinese(SafeString("; ".join(escape(v) for v in values)))


@register.filter
def matrix_entry(entry, compact: bool) -> SafeString:
    """What a cell's ``<li class="entry">`` holds: the citation (a link), the badge on the day
    with its date, the treatment; and unless ``compact``, the summary (24 words) and the
    conditions the treatment needs or loses."""
    badge = escape(entry.badge_label)
    if entry.badge_date:
        badge += " " + escape(formats.date_format(entry.badge_date, "j M Y"))
    provision = entry.provision
    out = (
        f'\n  <a class="citation" href="{escape(entry.url)}">{marked(entry.citation)}</a>'
        f'\n  <span class="badges"><span class="badge badge-{escape(entry.badge)}">{badge}</span>'
        f'\n  <span class="treatment treatment-{escape(provision.treatment)}">'
        f"{escape(entry.treatment_label)}</span></span>\n  "
    )
    if not compact:
        summary = Truncator(provision.summary).words(24, truncate=" …")
        out += f'<span class="summary">{marked(summary)}</span>\n  '
        if entry.applies_if:
            out += (
                '<span class="conditions conditions-applies">Applies if: '
                f"{_joined(entry.applies_if)}</span>"
            )
        out += "\n  "
        if entry.lost_if:
            out += (
                f'<span class="conditions conditions-lost">Lost if: {_joined(entry.lost_if)}</span>'
            )
    return mark_safe(out + "\n")


@register.filter
def cell_entries(cell, compact: bool) -> SafeString:
    """A cell's ``<li>`` items: those on screen, then those beyond the cap (print only)."""
    shown = "".join(
        f'<li class="entry">{matrix_entry(entry, compact)}</li>\n' for entry in cell.entries
    )
    printed = "".join(
        f'<li class="entry print-only">{matrix_entry(entry, compact)}</li>\n'
        for entry in cell.print_entries
    )
    return mark_safe(f"{shown}\n          {printed}")


@register.filter
def glance_items(cell) -> SafeString:
    """A summary cell's words: each treatment its provisions take (symbol, label, ×count), or
    the state of an empty cell (with how many the filters hid)."""
    if cell.glance:
        items = "".join(
            f'<span class="glance-item glance-{escape(item.treatment)}">'
            f'<span class="glance-symbol" aria-hidden="true">{escape(item.symbol)}</span> '
            f"{escape(item.label)}"
            + (f' <span class="glance-count">×{item.count}</span>' if item.count > 1 else "")
            + "</span>"
            for item in cell.glance
        )
        return mark_safe(items + "\n        ")
    key = cell.state_key
    hidden = f' <span class="glance-count">({cell.hidden})</span>' if cell.hidden else ""
    return mark_safe(
        f'<span class="glance-item glance-empty glance-{escape(key.value)}">'
        f'<span class="glance-symbol" aria-hidden="true">{escape(key.symbol)}</span> '
        f"{escape(key.label)}{hidden}</span>"
    )
