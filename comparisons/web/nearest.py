"""Provision addresses people write by hand: /eu/ai-act/art-52c-2/, /eu/ai-act/article-53-2/.

The site's slugs follow one convention (provisions/slugs.py), but readers type the
Commission's "Article", drop the "minus" of a draft number (52c(-2) → art-52c-2) or a hyphen
(art53-2). ``loose`` reduces a slug to what such variants share; a path whose loose form is
that of exactly one current or earlier slug of the instrument redirects there. Otherwise the
404 page suggests the nearest provisions.
"""

import difflib
import re

from provisions.models import EarlierLabel, Provision

WORDS = {"article": "art", "articles": "art", "arts": "art", "section": "sec", "secs": "sec"}
WORDS |= {"recitals": "recital", "paragraph": "para", "minus": ""}
SUGGESTIONS = 5


def loose(slug: str) -> str:
    """art-52c-minus-2, art-52c-2, Article-52c-2 and art52c-2 all become art52c2."""
    pieces = re.split(r"[-_]+", slug.lower())
    return "".join(WORDS.get(piece, piece) for piece in pieces)


def nearest(jurisdiction: str, instrument: str, slug: str) -> tuple[Provision | None, list]:
    """The one provision the path means, or None and the nearest provisions (best first).

    Two queries, on the 404 path only: the instrument's provisions and its earlier labels.
    """
    provisions = list(
        Provision.objects.public()
        .filter(instrument__jurisdiction__code=jurisdiction, instrument__slug=instrument)
        .select_related("instrument__jurisdiction")
        .order_by("order", "pk")
    )
    elsewhere = not provisions
    if elsewhere:
        # The instrument is wrong too: suggest from the jurisdiction's provisions (never a
        # permanent redirect on a guess across instruments).
        provisions = list(
            Provision.objects.public()
            .filter(instrument__jurisdiction__code=jurisdiction)
            .select_related("instrument__jurisdiction")
            .order_by("instrument__slug", "order", "pk")[:2000]
        )
    by_pk = {p.pk: p for p in provisions}
    keys: dict[str, set[int]] = {}
    for provision in provisions:
        keys.setdefault(loose(provision.slug), set()).add(provision.pk)
    for earlier in EarlierLabel.objects.filter(provision_id__in=by_pk).only("slug", "provision"):
        keys.setdefault(loose(earlier.slug), set()).add(earlier.provision_id)
    wanted = loose(slug)
    same = keys.get(wanted, set())
    # Only a well-formed slug redirects: "art-2-12-" is a broken link, not a way of writing.
    well_formed = re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug.lower()) is not None
    if len(same) == 1 and not elsewhere and well_formed:
        return by_pk[next(iter(same))], []
    close = difflib.get_close_matches(wanted, keys, n=SUGGESTIONS * 2, cutoff=0.5)
    found = [by_pk[pk] for pk in sorted(same)]
    for key in close:
        found += [by_pk[pk] for pk in sorted(keys[key]) if by_pk[pk] not in found]
    if not found:
        # Nothing alike: the instrument's first provisions, so the page still offers a way on.
        found = provisions[:SUGGESTIONS]
    return None, found[:SUGGESTIONS]
