"""The summary grid as an SVG image: questions × jurisdictions, a treatment per line.

For a briefing or a slide: it carries its own title, the as-of date, the filters, the permalink
and the legend, so that a copy cut loose from the site still says what it shows. Every
treatment has its symbol and its words as well as its fill (comparisons/matrix/legend.py): the image
reads in black and white.
"""

import textwrap

from django.utils.html import escape

from comparisons.matrix.build import Matrix
from comparisons.matrix.legend import STATES, TREATMENTS

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1b1f24"
LINE = "#8a93a0"
FIRST_COLUMN = 220
COLUMN = 180
LINE_HEIGHT = 18
PAD = 8
MARGIN = 16


def wrap(text: str, width_px: int, size: int = 13) -> list[str]:
    """Lines that fit ``width_px`` at about 0.55 em per character (no font metrics in SVG)."""
    return textwrap.wrap(text, max(8, int(width_px / (size * 0.55)))) or [""]


def text(x: int, y: int, content: str, size: int = 13, weight: str = "normal") -> str:
    return (
        f'<text x="{x}" y="{y}" font-size="{size}" font-weight="{weight}">{escape(content)}</text>'
    )


def summary_image(matrix: Matrix, *, title: str, filters: str, permalink: str) -> str:
    width = max(640, MARGIN * 2 + FIRST_COLUMN + COLUMN * len(matrix.columns))
    inner = width - 2 * MARGIN
    parts = []
    y = MARGIN + 20
    parts.append(text(MARGIN, y, title, 20, "bold"))
    heading = [
        f"The law as of {matrix.day.strftime('%-d %B %Y')}. "
        f"{matrix.provision_count} provision{'s' if matrix.provision_count != 1 else ''} "
        f"in {len(matrix.columns)} jurisdiction{'s' if len(matrix.columns) != 1 else ''}.",
        f"Filters: {filters}",
    ]
    for paragraph in heading:
        for line in wrap(paragraph, inner):
            y += LINE_HEIGHT
            parts.append(text(MARGIN, y, line))
    y += LINE_HEIGHT
    parts.append(text(MARGIN, y, f"Source: Openness Atlas, {permalink}", 11))
    y += PAD * 2

    # Header row.
    top = y
    header_height = LINE_HEIGHT + 2 * PAD
    parts.append(
        f'<rect x="{MARGIN}" y="{top}" width="{inner}" height="{header_height}" fill="#f3f5f8"/>'
    )
    parts.append(text(MARGIN + PAD, top + PAD + 13, "Question", 13, "bold"))
    for i, jurisdiction in enumerate(matrix.columns):
        x = MARGIN + FIRST_COLUMN + i * COLUMN
        parts.append(text(x + PAD, top + PAD + 13, jurisdiction.short_name, 13, "bold"))
    y = top + header_height

    for row in matrix.rows:
        name_lines = wrap(row.name, FIRST_COLUMN - 2 * PAD)
        cell_lines = []
        for cell in row.cells:
            # The cell's headline answer, as on the page, and how many other provisions it has.
            key = cell.headline
            more = f" +{cell.others}" if cell.others else ""
            hidden = f" ({cell.hidden})" if cell.hidden and not cell.entries else ""
            label = f"{key.symbol} {key.label}{more}{hidden}"
            lines = [(key, line) for line in wrap(label, COLUMN - 3 * PAD)]
            cell_lines.append(lines)
        count = max([len(name_lines), *(len(lines) for lines in cell_lines)])
        height = count * LINE_HEIGHT + 2 * PAD
        parts.append(
            f'<line x1="{MARGIN}" y1="{y}" x2="{MARGIN + inner}" y2="{y}" stroke="{LINE}"/>'
        )
        for n, line in enumerate(name_lines):
            parts.append(text(MARGIN + PAD, y + PAD + 13 + n * LINE_HEIGHT, line, 13, "bold"))
        for i, lines in enumerate(cell_lines):
            x = MARGIN + FIRST_COLUMN + i * COLUMN
            for n, (key, line) in enumerate(lines):
                line_y = y + PAD + n * LINE_HEIGHT
                parts.append(
                    f'<rect x="{x + PAD // 2}" y="{line_y}" width="{COLUMN - PAD}" '
                    f'height="{LINE_HEIGHT}" fill="{key.fill}" stroke="{LINE}" stroke-width="0.5"/>'
                )
                parts.append(text(x + PAD, line_y + 13, line, 12))
        y += height
    parts.append(f'<line x1="{MARGIN}" y1="{y}" x2="{MARGIN + inner}" y2="{y}" stroke="{LINE}"/>')

    # Legend.
    y += LINE_HEIGHT * 2
    parts.append(text(MARGIN, y, "Legend", 13, "bold"))
    per_row = max(1, inner // 300)
    for n, key in enumerate([*TREATMENTS, *STATES]):
        if n % per_row == 0:
            y += LINE_HEIGHT + 4
        x = MARGIN + (n % per_row) * 300
        parts.append(
            f'<rect x="{x}" y="{y - 13}" width="290" height="{LINE_HEIGHT}" fill="{key.fill}" '
            f'stroke="{LINE}" stroke-width="0.5"/>'
        )
        parts.append(text(x + 4, y, f"{key.symbol} {key.label}", 12))
    y += LINE_HEIGHT + MARGIN
    body = "\n".join(parts)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" '
        f'viewBox="0 0 {width} {y}" role="img" aria-labelledby="title">\n'
        f'<title id="title">{escape(title)}: summary as of {matrix.day.isoformat()}</title>\n'
        f'<rect width="100%" height="100%" fill="#ffffff"/>\n'
        f'<g font-family="{escape(FONT)}" fill="{INK}">\n{body}\n</g>\n</svg>\n'
    )
