"""The matrix's markup per cell and per provision, in Python (templates/comparisons/matrix.html
calls these): the 50-column matrix has 600 cells in each of its two tables and lists a thousand
provisions, and as template nodes each cell and each provision cost a dozen variable lookups and
filters (over half of the uncached render). The output is what the template's nodes
wrote, byte for byte; the empty cells' words stay in the template.
"""

import functools
import html

from django import template
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe

from comparisons.web.templatetags.atlas_lang import mark_chinese
from comparisons.web.templatetags.atlas_text import superscripts

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
    with its date, the treatment; and unless ``compact``, the summary and the
    conditions the treatment needs or loses."""
    badge = escape(entry.badge_label)
    if entry.badge_date:
        badge += " " + escape(formats.date_format(entry.badge_date, "j M Y"))
    provision = entry.provision
    regardless = (
        '\n  <span class="regardless">Applies regardless of openness</span>'
        if entry.regardless
        else ""
    )
    out = (
        f'\n  <a class="citation" href="{escape(entry.url)}">{marked(entry.citation)}</a>'
        f'\n  <span class="badges"><span class="badge badge-{escape(entry.badge)}">{badge}</span>'
        f'\n  <span class="treatment treatment-{escape(provision.treatment)}">'
        f"{escape(entry.treatment_label)}</span>{regardless}</span>\n  "
    )
    if not compact:
        # Whole: paper prints it all; on screen atlas.css shows its first lines (the citation
        # links to the rest). Cut here, it printed as "…" in every briefing.
        out += f'<span class="summary">{superscripts(marked(provision.summary))}</span>\n  '
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


@functools.lru_cache(maxsize=64)
def _key_words(key) -> str:
    """A legend key's opening span, symbol and words."""
    return (
        f'<span class="{key.css}">'
        f'<span class="glance-symbol" aria-hidden="true">{escape(key.symbol)}</span> '
        f"{escape(key.label)}"
    )


@register.filter
def glance_items(cell) -> SafeString:
    """A summary cell's words: its headline answer (comparisons/web/headline.py) and how
    many other provisions it holds, or the state of an empty cell (with how many the filters
    hid)."""
    key = cell.headline
    if cell.entries:
        others = (
            f' <span class="glance-others">+{cell.others}'
            f'<span class="visually-hidden"> other provision{"s" if cell.others > 1 else ""}'
            "</span></span>"
            if cell.others
            else ""
        )
        return mark_safe(f"{_key_words(key)}</span>{others}")
    hidden = f' <span class="glance-count">({cell.hidden})</span>' if cell.hidden else ""
    return mark_safe(f"{_key_words(key)}{hidden}</span>")


@register.filter
def cell_headline(cell) -> SafeString:
    """The answer a detail cell leads with, above its list: symbol and words, and the provision
    it comes from (the first of the list)."""
    lead = cell.lead
    source = f' <span class="headline-source">({marked(lead.citation)})</span>' if lead else ""
    return mark_safe(
        f'<p class="headline"><span class="visually-hidden">Headline: </span>'
        f"{_key_words(cell.headline)}</span>{source}</p>"
    )


@register.simple_tag(takes_context=True)
def cell_list(context, cell, row_name: str, compact: bool) -> SafeString:
    """A cell with provisions: its headline and list; past the cap, the link to the whole cell,
    and in a wide matrix, for paper, where the rest is (the site's address, worked out once per
    render)."""
    out = (
        f'{cell_headline(cell)}\n        <ul class="entries">\n          '
        f"{cell_entries(cell, compact)}\n        </ul>\n        "
    )
    if cell.more:
        url = escape(cell.more_url)
        out += (
            f'<p class="more"><a href="{url}">and {cell.more} more<span class="visually-hidden">'
            f" in {escape(cell.jurisdiction.short_name)} on {escape(row_name)}</span></a></p>"
            "\n        "
        )
        if compact:
            origin = context.render_context.get(cell_list)
            if origin is None:
                request = context["request"]
                origin = f"{escape(request.scheme)}://{escape(request.get_host())}"
                context.render_context[cell_list] = origin
            out += f'<p class="more-print">And {cell.more} more: {origin}{url}</p>'
    return mark_safe(out)


@register.simple_tag
def glance_cell(cell, row_name: str) -> SafeString:
    """A summary grid's cell: its words, linking to the cell in detail."""
    state = escape(cell.state)
    return mark_safe(
        f'<td class="glance-cell glance-state-{state}" data-state="{state}">'
        f'<a href="#{escape(cell.id)}">\n        '
        # The column's name, seen where the grid stacks as cards (a phone); a screen reader
        # hears it after the answer, with the question (the visually hidden words).
        f'<span class="glance-where" aria-hidden="true">{escape(cell.jurisdiction.short_name)}'
        f"</span>{glance_items(cell)}\n        "
        f'<span class="visually-hidden">: {escape(cell.jurisdiction.short_name)}, '
        f"{escape(row_name)}, details</span></a></td>"
    )
