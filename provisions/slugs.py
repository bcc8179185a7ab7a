"""Slugs from citation labels: “Art. 53(2)” → art-53-2, “Sec. 4.6(a)(i)” → sec-4-6-a-i.

The one home of the convention. The admin pre-fills the slug field by asking this function
(``ProvisionAdmin.slug_view``, called by static/admin/citation-slug.js), and a provision or an
earlier label saved with an empty slug gets it here, so the browser and the server cannot
disagree.
"""

import re
import unicodedata

MAX_LENGTH = 80

# Written out before punctuation is dropped, so that different labels keep different slugs.
_SPELLED_OUT = [
    (re.compile(r"§§"), " secs "),
    (re.compile(r"§"), " sec "),
    (re.compile(r"\(\s*-\s*(?=\w)"), " minus "),  # Art. 52c(-2): a point inserted before (1)
    (re.compile(r"\+"), " plus "),  # Recital 60i+1
    (re.compile(r"[\u2010-\u2015\u2212]"), "-"),  # Secs. 4–5: dashes are separators
    # 第10条 (Chinese: Article 10), 第3款 (paragraph 3), 第2项 (item 2)
    (re.compile(r"第\s*(\d+)\s*条"), r" art \1 "),
    (re.compile(r"第\s*(\d+)\s*款"), r" para \1 "),
    (re.compile(r"第\s*(\d+)\s*项"), r" item \1 "),
]


def citation_slug(label: str) -> str:
    """The URL slug of a label, by the site's citation convention.

    Every number, letter and parenthesised part becomes its own hyphen-separated piece; dots,
    commas, brackets and abbreviation points only separate pieces. Accents are dropped (slugs
    are ASCII). At most 80 characters, cut at a hyphen.
    """
    text = label
    for pattern, replacement in _SPELLED_OUT:
        text = pattern.sub(replacement, text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > MAX_LENGTH:
        cut = slug[: MAX_LENGTH + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:MAX_LENGTH]
    return slug
