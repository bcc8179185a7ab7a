"""Sharing metadata in every page's head: canonical link, Open Graph, Twitter card, JSON-LD.

One tag, ``{% sharing_meta %}`` in base.html, reads what the page is about from its context
(a provision, an argument, an instrument, a comparison or a jurisdiction), so page templates
need no meta blocks of their own.
"""

import json
import re

from django import template
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from provisions.models import InstrumentRelation, LegalStatus

register = template.Library()

SITE = "Openness Atlas"
DEFAULT_DESCRIPTION = (
    "How jurisdictions treat the openness of AI models, side by side, with the arguments "
    "for and against."
)

# schema.org LegalForceStatus for an instrument's legal status.
LEGAL_FORCE = {
    LegalStatus.IN_FORCE: "https://schema.org/InForce",
    LegalStatus.REVOKED: "https://schema.org/NotInForce",
    LegalStatus.VETOED: "https://schema.org/NotInForce",
    LegalStatus.SUPERSEDED: "https://schema.org/NotInForce",
    LegalStatus.RESCINDED: "https://schema.org/NotInForce",
    LegalStatus.PROPOSED: "https://schema.org/NotInForce",
    LegalStatus.LAPSED: "https://schema.org/NotInForce",
}

# Links whose source changes its target's legal text or life (schema.org legislationChanges).
CHANGING = (
    InstrumentRelation.Kind.AMENDS,
    InstrumentRelation.Kind.REVOKES,
    InstrumentRelation.Kind.SUPERSEDES,
)

# JSON inside <script> must not close the element or open a comment: escape <, > and &.
SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict) -> str:
    """A schema.org data block. Not executed, so the strict CSP lets it be (no nonce needed)."""
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(SCRIPT_SAFE)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(encoded))


def official_identifiers(instrument) -> list[str]:
    """The identifiers stored as data, each in its publisher's form: ELI, CELEX (with its
    scheme, as EUR-Lex writes it), the Federal Register citation and document number, the
    issuer's document number (文号), the bill number."""
    values = [
        instrument.eli,
        f"CELEX:{instrument.celex}" if instrument.celex else "",
        instrument.fr_citation,
        f"FR Doc. {instrument.fr_document_number}" if instrument.fr_document_number else "",
        instrument.document_number,
        instrument.bill_number,
    ]
    return [v for v in values if v]


def changes_ld(relations_from, absolute) -> list[dict]:
    """schema.org ``legislationChanges``: the instruments this one amends, revokes or
    supersedes (the link is stated on the changing act, as schema.org defines it)."""
    return [
        {"@id": absolute(r.target.get_absolute_url())} for r in relations_from if r.kind in CHANGING
    ]


def formal_name(instrument) -> str:
    """“Regulation (EU) 2026/1744” out of “Regulation (EU) 2026/1744; proposal …”."""
    return re.split(r"[;,]", instrument.identifier)[0].strip()


def versions_ld(texts, amended_by, absolute) -> dict:
    """The version of the provision's text the page shows: ``legislationDateVersion`` (the day
    an amended version applies from), ``isBasedOn`` the amending act that version names (not
    every amendment of the law), and each text as a ``LegislationObject`` with the legal value
    of the copy that was read."""
    data = {}
    versions = [t for t in texts if t.applies_from]
    if versions:
        data["legislationDateVersion"] = max(t.applies_from for t in versions).isoformat()
    based_on = []
    for relation in amended_by:
        name = formal_name(relation.source)
        if name and any(name in t.version_label or name in t.change_note for t in versions):
            based_on.append(
                {
                    "@type": "Legislation",
                    "@id": absolute(relation.source.get_absolute_url()),
                    "name": name,
                }
            )
    if based_on:
        data["isBasedOn"] = based_on
    objects = [
        {
            "@type": "LegislationObject",
            "inLanguage": t.language,
            "version": t.version_label,
            **({"contentUrl": t.source_url} if t.source_url else {}),
            # The standing of the copy read: on the file, as schema.org defines it, not the act.
            "legislationLegalValue": t.provenance.schema_org,
        }
        for t in texts
    ]
    if objects:
        data["workExample"] = objects
    return data


def instrument_ld(instrument, url: str) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": url,
        "url": url,
        "name": instrument.title,
        "alternateName": instrument.short_title,
        "legislationType": instrument.get_kind_display(),
        "legislationJurisdiction": {
            "@type": "AdministrativeArea",
            "name": instrument.jurisdiction.name,
        },
        "abstract": instrument.summary,
        "dateModified": instrument.updated_at.isoformat(),
    }
    identifiers = official_identifiers(instrument)
    if instrument.identifier:
        identifiers.insert(0, instrument.identifier)
    if identifiers:
        data["legislationIdentifier"] = identifiers if len(identifiers) > 1 else identifiers[0]
    if instrument.adopted_on:
        data["legislationDate"] = instrument.adopted_on.isoformat()
    if instrument.published_on:
        data["datePublished"] = instrument.published_on.isoformat()
    same_as = [u for u in (instrument.official_url, instrument.eli) if u]
    if same_as:
        data["sameAs"] = same_as if len(same_as) > 1 else same_as[0]
    if instrument.status in LEGAL_FORCE:
        data["legislationLegalForce"] = LEGAL_FORCE[instrument.status]
    return data


def provision_ld(provision, url: str, instrument_url: str) -> dict:
    instrument = provision.instrument
    part_of = instrument_ld(instrument, instrument_url)
    del part_of["@context"]
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": url,
        "url": url,
        "name": provision.citation,
        "alternateName": provision.label,
        "legislationIdentifier": (
            f"{instrument.identifier} {provision.label}"
            if instrument.identifier
            else provision.citation
        ),
        "legislationJurisdiction": part_of["legislationJurisdiction"],
        "legislationType": instrument.get_kind_display(),
        "isPartOf": part_of,
        "abstract": provision.summary,
        "dateModified": provision.updated_at.isoformat(),
    }
    if provision.heading:
        data["headline"] = provision.heading
    # The official copy of its words: the authentic text's source, when the page loaded its texts.
    authentic = next(
        (t for t in getattr(provision, "public_texts", ()) if t.kind == "authentic"), None
    )
    if authentic is not None and authentic.source_url:
        data["sameAs"] = authentic.source_url
    if "legislationLegalForce" in part_of:
        data["legislationLegalForce"] = part_of["legislationLegalForce"]
    if "legislationDate" in part_of:
        data["legislationDate"] = part_of["legislationDate"]
    return data


def about(context, request) -> tuple[str, str, str, dict | None]:
    """(title, description, Open Graph type, JSON-LD or None) of the page."""
    absolute = request.build_absolute_uri
    if provision := context.get("provision"):
        url = absolute(provision.get_absolute_url())
        instrument_url = absolute(provision.instrument.get_absolute_url())
        ld = provision_ld(provision, url, instrument_url)
        if shown := context.get("texts"):
            amended_by = getattr(provision.instrument, "amended_by", [])
            ld |= versions_ld(shown.current, amended_by, absolute)
        return provision.citation, provision.summary, "article", ld
    if argument := context.get("argument"):
        return argument.title, argument.summary, "article", None
    if instrument := context.get("instrument"):
        ld = instrument_ld(instrument, absolute(instrument.get_absolute_url()))
        if changes := changes_ld(context.get("relations_from", []), absolute):
            ld["legislationChanges"] = changes
        return f"{instrument.short_title}: {instrument.title}", instrument.summary, "article", ld
    if comparison := context.get("comparison"):
        return comparison.title, comparison.introduction or DEFAULT_DESCRIPTION, "website", None
    if jurisdiction := context.get("jurisdiction"):
        description = (
            jurisdiction.description or f"What {jurisdiction.name} says about open AI models."
        )
        return jurisdiction.name, description, "website", None
    return SITE, DEFAULT_DESCRIPTION, "website", None


@register.simple_tag(takes_context=True)
def sharing_meta(context) -> str:
    request = context.get("request")
    if request is None:
        return ""
    title, description, og_type, ld = about(context, request)
    description = truncatewords(" ".join(description.split()), 40) or DEFAULT_DESCRIPTION
    # The canonical address is the page without its query: filters are views of one page.
    canonical = request.build_absolute_uri(request.path)
    tags = [
        ("property", "og:site_name", SITE),
        ("property", "og:type", og_type),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", canonical),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    html = format_html('<link rel="canonical" href="{}">\n', canonical)
    html += format_html_join("\n", '<meta {}="{}" content="{}">', tags)
    jurisdiction = context.get("jurisdiction")
    if jurisdiction is not None:
        # Pages of one jurisdiction also offer its own feed of changes.
        html += format_html(
            '\n<link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
            f"Openness Atlas: what changed in {jurisdiction.name}",
            reverse("comparisons:feed-jurisdiction", args=[jurisdiction.code]),
        )
    if ld is not None:
        html += mark_safe("\n") + json_ld(ld)
    return html
