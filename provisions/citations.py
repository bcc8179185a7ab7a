"""Ready-made citations of a provision: plain text, BibTeX and RIS, with permalink and access
date, and each as a download."""

import datetime
import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseGone
from django.utils import timezone
from django.views.decorators.http import require_safe

from provisions import withdrawals
from provisions.models import Instrument, Provision


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


# RIS reference types (the RIS specification's list) for our kinds of instrument.
RIS_TYPES = {
    Instrument.Kind.LAW: "STAT",
    Instrument.Kind.BILL: "BILL",
    Instrument.Kind.REGULATION: "LEGAL",
    Instrument.Kind.EXECUTIVE_ORDER: "LEGAL",
    Instrument.Kind.RULE: "LEGAL",
    Instrument.Kind.REPORT: "RPRT",
}


def ris_value(value: str) -> str:
    """One RIS line holds one value: no line breaks inside it."""
    return " ".join(str(value).split())


def ris_citation(provision: Provision, permalink: str, accessed: datetime.date) -> str:
    """RIS (EndNote, Zotero, Mendeley): the permalink as UR and the access date as Y2."""
    instrument = provision.instrument
    fields = [
        ("TY", RIS_TYPES.get(instrument.kind, "GOVDOC")),
        ("TI", f"{provision.citation}: {instrument.title}"),
        ("T2", instrument.title),
        ("AU", instrument.jurisdiction.name),
    ]
    if instrument.identifier:
        fields.append(("M1", instrument.identifier))
    if instrument.adopted_on:
        fields += [
            ("PY", str(instrument.adopted_on.year)),
            ("DA", instrument.adopted_on.strftime("%Y/%m/%d")),
        ]
    fields += [
        ("UR", permalink),
        ("Y2", accessed.strftime("%Y/%m/%d")),
        ("DB", "Openness Atlas"),
        ("N1", f"Openness Atlas; accessed {accessed.isoformat()}"),
        ("ER", ""),
    ]
    # The format wants "TAG  - value" lines ending in CR LF.
    return "".join(f"{tag}  - {ris_value(value)}".rstrip() + "\r\n" for tag, value in fields)


FORMATS = {
    "txt": (plain_citation, "text/plain"),
    "bib": (bibtex_citation, "application/x-bibtex"),
    "ris": (ris_citation, "application/x-research-info-systems"),
}


@require_safe
def citation_download(
    request: HttpRequest, jurisdiction: str, instrument: str, provision: str, file_format: str
) -> HttpResponse:
    """The provision's citation as a file, for reference managers (RIS, BibTeX) or plain text."""
    if file_format not in FORMATS:
        raise Http404("No such citation format.")
    found = (
        Provision.objects.public()
        .filter(
            instrument__jurisdiction__code=jurisdiction,
            instrument__slug=instrument,
            slug=provision,
        )
        .select_related("instrument__jurisdiction")
        .first()
    )
    if found is None:
        if withdrawals.find_provision(jurisdiction, instrument, provision):
            return HttpResponseGone(
                "This provision was withdrawn; its page says why and where to go instead.",
                content_type="text/plain; charset=utf-8",
            )
        raise Http404("No such provision.")
    build, content_type = FORMATS[file_format]
    permalink = request.build_absolute_uri(found.get_absolute_url())
    text = build(found, permalink, timezone.localdate())
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    filename = f"{bibtex_key(found)}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
