"""Ready-made citations of a provision: plain text and BibTeX, with permalink and access date."""

import datetime
import re

from provisions.models import Provision


def plain_citation(provision: Provision, permalink: str, accessed: datetime.date) -> str:
    instrument = provision.instrument
    parts = [provision.citation]
    title = instrument.title
    if instrument.identifier and instrument.identifier not in title:
        title = f"{title} ({instrument.identifier})"
    parts.append(title)
    parts.append(instrument.jurisdiction.name)
    return f"{', '.join(parts)}. Openness Atlas. {permalink} (accessed {accessed.isoformat()})."


def bibtex_escape(value: str) -> str:
    """Keep BibTeX's special characters literal."""
    return re.sub(r"([{}\\&%$#_^~])", r"\\\1", value)


def bibtex_key(provision: Provision) -> str:
    instrument = provision.instrument
    raw = f"atlas-{instrument.jurisdiction.code}-{instrument.slug}-{provision.slug}"
    return re.sub(r"[^A-Za-z0-9:_-]", "-", raw)


def bibtex_citation(provision: Provision, permalink: str, accessed: datetime.date) -> str:
    instrument = provision.instrument
    fields = [
        ("title", f"{provision.citation}: {instrument.title}"),
        ("author", f"{{{bibtex_escape(instrument.jurisdiction.name)}}}"),
        ("howpublished", f"\\url{{{permalink}}}"),
        ("note", f"Openness Atlas; accessed {accessed.isoformat()}"),
    ]
    if instrument.adopted_on:
        fields.insert(2, ("year", str(instrument.adopted_on.year)))
    lines = []
    for name, value in fields:
        if name in ("author", "howpublished"):
            lines.append(f"  {name} = {{{value}}}")
        else:
            lines.append(f"  {name} = {{{bibtex_escape(value)}}}")
    return "@misc{" + bibtex_key(provision) + ",\n" + ",\n".join(lines) + "\n}"
