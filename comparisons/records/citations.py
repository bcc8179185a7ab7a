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


def oscola_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


# Bluebook T12: months abbreviated, except the short ones.
BLUEBOOK_MONTHS = [
    "Jan.",
    "Feb.",
    "Mar.",
    "Apr.",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]


def bluebook_date(day: datetime.date) -> str:
    return f"{BLUEBOOK_MONTHS[day.month - 1]} {day.day}, {day.year}"


def bluebook_number(number: int) -> str:
    """Bluebook R6.2: a comma in numbers of five or more digits (75,191), none in 8237."""
    return f"{number:,}" if number >= 10000 else str(number)


def federal_register(instrument: Instrument) -> tuple[int, int] | None:
    """Volume and first page from the stored citation “88 FR 75191” (its shape is validated)."""
    match = re.fullmatch(r"(\d+) FR (\d+)", instrument.fr_citation)
    return (int(match.group(1)), int(match.group(2))) if match else None


def oscola_citation(
    provision: Provision, permalink: str, accessed: datetime.date, text=None
) -> str:
    """OSCOLA (4th ed.), led by the official citation: EU acts by their number (“Regulation
    (EU) 2024/1689, art 53(2)”), Federal Register documents as the home jurisdiction cites them
    (“Executive Order 14110 of 30 October 2023, Title, 88 Fed Reg 75191 (1 November 2023) s
    4.6”), others by title; then the permalink and the access date."""
    instrument = provision.instrument
    pin = _restyle(pinpoint(provision), OSCOLA_PINPOINTS)
    formal = act_name(instrument)
    fr = federal_register(instrument)
    if instrument.jurisdiction.code == "eu" and formal != instrument.title:
        cited = f"{formal}, {pin}" if pin else formal
    elif fr and instrument.published_on:
        name = instrument.title
        if instrument.kind == Instrument.Kind.EXECUTIVE_ORDER and instrument.adopted_on:
            name = f"{formal} of {oscola_date(instrument.adopted_on)}, {name}"
        volume, page = fr
        cited = f"{name}, {volume} Fed Reg {page} ({oscola_date(instrument.published_on)})"
        if pin:
            cited = f"{cited} {pin}"
    else:
        name = instrument.title
        if text is not None and text.published_in:
            name = f"{name} ({text.published_in})"
        elif instrument.adopted_on:
            name = f"{name} ({instrument.adopted_on.year})"
        cited = f"{name}, {pin}" if pin else name
    return f"{cited} <{permalink}> accessed {oscola_date(accessed)}"


def bluebook_citation(
    provision: Provision, permalink: str, accessed: datetime.date, text=None
) -> str:
    """Bluebook (21st ed.), led by the official citation: “Exec. Order No. 14,110, § 4.6, 88
    Fed. Reg. 75,191, 75,203 (Nov. 1, 2023)”, then the permalink."""
    instrument = provision.instrument
    name = act_name(instrument)
    if number := re.fullmatch(r"Executive Order (\d+)", name):
        name = f"Exec. Order No. {bluebook_number(int(number.group(1)))}"
    name = name.replace("Regulation (EU) ", "Regulation ").replace("SB-", "S.B. ")
    parts = [name]
    if pin := _restyle(pinpoint(provision), BLUEBOOK_PINPOINTS):
        parts.append(pin)
    published = text.published_in if text is not None else ""
    number = re.search(r"(\d{4})/(\d+)", instrument.identifier)
    fr = federal_register(instrument)
    if fr and instrument.published_on:
        volume, page = fr
        published = f"{volume} Fed. Reg. {bluebook_number(page)}"
        if provision.pin_page:
            published += f", {bluebook_number(provision.pin_page)}"
        published += f" ({bluebook_date(instrument.published_on)})"
    elif instrument.jurisdiction.code == "eu" and number and published:
        published = f"{number.group(1)} O.J. (L {number.group(0)})"
    if published:
        parts.append(published)
    cited = ", ".join(parts)
    if instrument.adopted_on and str(instrument.adopted_on.year) not in published:
        cited += f" ({instrument.adopted_on.year})"
    return f"{cited}, {permalink} (last visited {bluebook_date(accessed)})"


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
