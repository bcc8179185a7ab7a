"""Citations in what people type: "Art. 53(2)", "Article 53 2", "53.2", "§22757.12", "第二条".

``parse`` reads a query into the citations it holds and what is left of it (an instrument's
name, often: "AI Act", "EO 14110"). Each citation becomes the slugs its provision would have by
the site's convention (provisions/slugs.py), so search finds it with an indexed equality, and a
label pattern for labels whose slug was written by hand ("Bus. & Prof. Code §22603").
"""

import re
import unicodedata
from dataclasses import dataclass, field

from provisions.slugs import citation_slug

# Kinds of citation and the slug word each is written with.
_KINDS = [
    (r"arts?\b\.?|articles?\b", "art"),
    (r"recitals?\b\.?|rec\b\.?", "recital"),
    (r"§§?|secs?\b\.?|sections?\b", "sec"),
    (r"paras?\b\.?|paragraphs?\b", "para"),
]
KIND = "|".join(f"(?:{pattern})" for pattern, _ in _KINDS)
# A number as people write it: 53, 52c, 4.6, 53(2)(a), 53 2, 52c(-2), 22757.12(a)(7), 60i+1.
NUMBER = (
    r"\d+[a-z]{0,2}"
    r"(?:\s*\(\s*-?\s*[0-9a-z]{1,4}\s*\)|\.\d+[a-z]{0,2}|\s\d{1,3}[a-z]?\b|\+\d+)*"
)
CITED = re.compile(rf"(?<![\w.])(?P<kind>{KIND})\s*(?P<number>{NUMBER})", re.I)
# A query that is only a number: "53(2)", "52c(-2)", "60i", "2(5g)", "53.2".
BARE = re.compile(rf"^\s*(?P<number>{NUMBER})\s*$", re.I)
# More numbers after "Arts. 53(2) and 54(6)".
MORE = re.compile(rf"^\s*(?:,|and|&|or)\s*(?P<number>{NUMBER})", re.I)

CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
CHINESE_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE = re.compile(r"第\s*([0-9零〇一二两三四五六七八九十百千]+)\s*([条款项])")
CHINESE_KIND = {"条": "art", "款": "para", "项": "item"}
# Instruments people name by number: "EO 14110", "Executive Order 14110", "SB 53", "SB-1047".
ORDER = re.compile(r"\b(?:e\.?\s?o\.?|executive\s+order)\s*(?:no\.?\s*)?(\d{5})\b", re.I)
BILL = re.compile(r"\b(sb|ab|hb)[\s-]?(\d{1,5})\b", re.I)


def chinese_number(text: str) -> int | None:
    """二 → 2, 十二 → 12, 二十三 → 23, 一百零五 → 105; Arabic digits pass through."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        elif char in CHINESE_UNITS:
            total += (digit if digit is not None else 1) * CHINESE_UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0)


@dataclass
class Citation:
    slugs: list[str]  # exact slugs, best first
    label_pattern: str  # a PostgreSQL regular expression over labels
    chinese: bool = False


@dataclass
class Parsed:
    citations: list[Citation] = field(default_factory=list)
    instrument_slugs: list[str] = field(default_factory=list)  # "eo-14110", "sb-53"
    rest: str = ""  # the query without its citations: an instrument's name, or words

    @property
    def slugs(self) -> list[str]:
        return [slug for citation in self.citations for slug in citation.slugs]

    @property
    def label_pattern(self) -> str:
        return "|".join(f"(?:{c.label_pattern})" for c in self.citations)


def _number_slug(number: str) -> str:
    """The slug pieces of a number: "53(2)" → 53-2, "53 2" → 53-2, "52c(-2)" → 52c-minus-2."""
    return citation_slug(re.sub(r"\s+", " ", number))


def _label_pattern(kind: str, number: str) -> str:
    """Labels that cite this number with this kind, however the label is punctuated."""
    pieces = [re.escape(piece) for piece in re.findall(r"[0-9]+[a-z]*|[a-z]+", number.lower())]
    if not pieces:
        return "$^"
    words = {
        "art": r"art(icle)?s?\.?",
        "recital": r"recitals?",
        "sec": r"(§+|secs?\.?|sections?|s\.)",
        "para": r"para(graph)?s?\.?",
        "item": r"items?",
    }[kind]
    between = r"[\s().,-]*(minus\s*|-)?[\s().,-]*"
    # Not followed by a deeper point: "Art. 53(1)" is not "Art. 53(1)(a)".
    return rf"(^|[^0-9a-z]){words}\s*{between.join(pieces)}\)?(?![)(0-9a-z])"


def _citation(kind: str, number: str, *, chinese: bool = False) -> Citation:
    pieces = _number_slug(number)
    slugs = [f"{kind}-{pieces}"]
    if "minus" in pieces:  # "52c(-2)" typed as "52c-2"
        slugs.append(f"{kind}-{pieces.replace('minus-', '')}")
    if kind == "sec":
        slugs.append(f"section-{pieces}")  # the GPAI guidelines' "Section 4.1"
    return Citation(slugs, _label_pattern(kind, number), chinese)


def parse(text: str) -> Parsed:
    text = unicodedata.normalize("NFKC", text)
    parsed = Parsed()
    rest = text
    for match in ORDER.finditer(text):
        parsed.instrument_slugs.append(f"eo-{match.group(1)}")
    for match in BILL.finditer(text):
        parsed.instrument_slugs.append(f"{match.group(1).lower()}-{match.group(2)}")
    for match in CHINESE.finditer(text):
        number = chinese_number(match.group(1))
        if number is not None:
            kind = CHINESE_KIND[match.group(2)]
            parsed.citations.append(_citation(kind, str(number), chinese=True))
        rest = rest.replace(match.group(0), " ")
    spans = []
    for match in CITED.finditer(text):
        kind = next(
            word for pattern, word in _KINDS if re.fullmatch(pattern, match.group("kind"), re.I)
        )
        parsed.citations.append(_citation(kind, match.group("number")))
        end = match.end()
        while more := MORE.match(text[end:]):
            parsed.citations.append(_citation(kind, more.group("number")))
            end += more.end()
        spans.append((match.start(), end))
    if not parsed.citations and (bare := BARE.match(text)):
        number = bare.group("number")
        # "53(2)" is an article, "60i" may be a recital: try the kinds, articles first.
        for kind in ("art", "recital", "sec"):
            parsed.citations.append(_citation(kind, number))
        spans.append(bare.span())
    for start, end in reversed(spans):
        rest = rest[:start] + " " + rest[end:]
    parsed.rest = " ".join(rest.split())
    return parsed
