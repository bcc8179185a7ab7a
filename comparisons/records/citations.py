"""Ready-made citations of a provision: the official citation, plain text, BibTeX, RIS, OSCOLA and
Bluebook, with permalink and access date, and each as a download.

All are built from the same data: the instrument's identifier and title, the provision's label and,
for the official reference, where the text in force was officially published (``published_in`` of
its authentic text, e.g. "OJ L, 12.7.2024").
"""

import datetime
import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseGone
from django.utils import timezone
from django.views.decorators.http import require_safe

from provisions import withdrawals
from provisions.models import Instrument, Provision
from provisions.models.texts import authentic_text
from provisions.queries import published_texts


def plain_citation(provision: Provision, permalink: str, accessed: datetime.date, text=None) -> str:
    instrument = provision.instrument
    parts = [provision.citation]
    title = instrument.title
    if instrument.identifier and instrument.identifier not in title:
        title = f"{title} ({instrument.identifier})"
    parts.append(title)
    if text is not None and text.published_in:
        parts.append(text.published_in)
    parts.append(instrument.jurisdiction.name)
    return f"{', '.join(parts)}. Openness Atlas. {permalink} (accessed {accessed.isoformat()})."


# Identifiers that are a formal name of the act ("Regulation (EU) 2024/1689"); others (issuing
# bodies, series notes) are not, and the title names the act instead.
FORMAL_NAMES = re.compile(r"^(Regulation|Directive|Decision|Executive Order|SB-|AB-|Public Law)")


def act_name(instrument: Instrument) -> str:
    """The act's formal name: “Regulation (EU) 2024/1689”, “Executive Order 14110”."""
    identifier = instrument.identifier.strip()
    if identifier and FORMAL_NAMES.match(identifier):
        return identifier.split(",")[0].strip()
    return instrument.title


def pinpoint(provision: Provision) -> str:
    """The provision's label as cited, or "" for a whole instrument."""
    return "" if provision.kind == Provision.Kind.WHOLE else provision.label


def official_citation(provision: Provision, text=None) -> str:
    """“Regulation (EU) 2024/1689, Art. 53(2), OJ L, 12.7.2024”."""
    parts = [act_name(provision.instrument), pinpoint(provision)]
    if text is not None and text.published_in:
        parts.append(text.published_in)
    return ", ".join(p for p in parts if p)


OSCOLA_PINPOINTS = [
    (r"^Art\. ", "art "),
    (r"^Arts\. ", "arts "),
    (r"^Secs\. ", "ss "),
    (r"^Sec\. ", "s "),
    (r"^Recital ", "recital "),
    (r", para\. ", ", para "),
]
BLUEBOOK_PINPOINTS = [
    (r"^Art\. ", "art. "),
    (r"^Arts\. ", "arts. "),
    (r"^Secs\. ", "§§ "),
    (r"^Sec\. ", "§ "),
    (r"^Recital ", "recital "),
]


def _restyle(label: str, rules) -> str:
    for pattern, replacement in rules:
        label = re.sub(pattern, replacement, label)
    return label


def oscola_citation(
    provision: Provision, permalink: str, accessed: datetime.date, text=None
) -> str:
    """OSCOLA (4th ed.): EU acts as “Title [year] OJ L number, art 53(2)”; others by title."""
    instrument = provision.instrument
    name = instrument.title
    number = re.search(r"(\d{4})/(\d+)", instrument.identifier)
    if instrument.jurisdiction.code == "eu" and number:
        formal = act_name(instrument)
        title = instrument.title
        if title.split(" ", 1)[0] == formal.split(" ", 1)[0]:  # "Regulation laying down …"
            title = title.split(" ", 1)[1]
        name = f"{formal} {title} [{number.group(1)}] OJ L {number.group(0)}"
    elif text is not None and text.published_in:
        name = f"{name} ({text.published_in})"
    elif instrument.adopted_on:
        name = f"{name} ({instrument.adopted_on.year})"
    pin = _restyle(pinpoint(provision), OSCOLA_PINPOINTS)
    cited = f"{name}, {pin}" if pin else name
    return f"{cited} <{permalink}> accessed {accessed.day} {accessed:%B %Y}"


def bluebook_citation(
    provision: Provision, permalink: str, accessed: datetime.date, text=None
) -> str:
    """Bluebook (21st ed.): “Exec. Order No. 14110, § 4.6, 88 Fed. Reg. 75191 (Nov. 1, 2023)”."""
    instrument = provision.instrument
    name = act_name(instrument).replace("Executive Order ", "Exec. Order No. ")
    name = name.replace("Regulation (EU) ", "Regulation ").replace("SB-", "S.B. ")
    parts = [name]
    if pin := _restyle(pinpoint(provision), BLUEBOOK_PINPOINTS):
        parts.append(pin)
    published = text.published_in if text is not None else ""
    number = re.search(r"(\d{4})/(\d+)", instrument.identifier)
    if instrument.jurisdiction.code == "eu" and number and published:
        published = f"{number.group(1)} O.J. (L {number.group(0)})"
    if published:
        parts.append(published)
    cited = ", ".join(parts)
    if instrument.adopted_on and str(instrument.adopted_on.year) not in published:
        cited += f" ({instrument.adopted_on.year})"
    return f"{cited}, {permalink} (last visited {accessed:%b}. {accessed.day}, {accessed.year})"


def bibtex_escape(value: str) -> str:
    """Keep BibTeX's special characters literal."""
    return re.sub(r"([{}\\&%$#_^~])", r"\\\1", value)


def bibtex_key(provision: Provision) -> str:
    instrument = provision.instrument
    raw = f"atlas-{instrument.jurisdiction.code}-{instrument.slug}-{provision.slug}"
    return re.sub(r"[^A-Za-z0-9:_-]", "-", raw)


def bibtex_citation(
    provision: Provision, permalink: str, accessed: datetime.date, text=None
) -> str:
    instrument = provision.instrument
    fields = [
        ("title", f"{provision.citation}: {instrument.title}"),
        ("author", f"{{{bibtex_escape(instrument.jurisdiction.name)}}}"),
        ("howpublished", f"\\url{{{permalink}}}"),
        ("note", f"Openness Atlas; accessed {accessed.isoformat()}"),
        ("addendum", f"Official citation: {official_citation(provision, text)}"),
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


def ris_citation(provision: Provision, permalink: str, accessed: datetime.date, text=None) -> str:
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
    fields.append(("M2", f"Official citation: {official_citation(provision, text)}"))
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
    "oscola": (oscola_citation, "text/plain"),
    "bluebook": (bluebook_citation, "text/plain"),
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
        .prefetch_related(published_texts())
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
    today = timezone.localdate()
    text = build(found, permalink, today, authentic_text(found.public_texts, today))
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    filename = f"{bibtex_key(found)}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
