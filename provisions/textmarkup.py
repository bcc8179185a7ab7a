"""The tiny markup of a provision's text: lines become paragraphs, labelled lines become points.

Editors type the law as printed, one paragraph or point per line. A line that opens with a label
becomes a block with its own anchor, so ``/eu/ai-act/art-53-1/#point-a`` lands on point (a):

    "2. The obligations …"      -> id "para-2"          (numbered paragraph)
    "(a) draw up …"             -> id "point-a"         (lettered point)
    "(i) enable …" after (b)    -> id "point-b-i"       (roman sub-point of the point before)
    "(1) Unauthorized …" in (d) -> id "point-d-1"
    "（一）使用…"                 -> id "point-1"         (Chinese numbered item)
    "22757.12. (a) A large …"   -> id "sec-22757-12"    (numbered section)

Nothing else is markup, except that "10^25" is printed as 10 with a superscript 25 (the fact
base writes superscripts that way). Every character is escaped first, so an editor's "<script>"
reaches the page as text.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
CHINESE_NUMERALS = {c: n for n, c in enumerate("一二三四五六七八九十", start=1)}

SECTION = re.compile(r"^(\d+(?:\.\d+)+)\.\s")
PARAGRAPH = re.compile(r"^(\d{1,3}[a-z]?)\.\s")
LETTER = re.compile(r"^\(([a-z]{1,4})\)\s")
NUMBER = re.compile(r"^\((\d{1,3}[a-z]?)\)\s")
CHINESE = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")
DIGIT = "[一二三四五六七八九]"
CHINESE_NUMBER = re.compile(f"({DIGIT})?十({DIGIT})?|({DIGIT})")
SUPERSCRIPT = re.compile(r"\^(\d{1,3})")


@dataclass(frozen=True)
class Block:
    anchor: str  # "" for a plain paragraph
    label: str  # the label as printed: "(a)", "2.", "（一）"
    text: SafeString  # escaped, with <sup> only
    depth: int


def inline(text: str) -> SafeString:
    """Escape everything, then print ``^25`` as a superscript (digits only: nothing to inject)."""
    return mark_safe(SUPERSCRIPT.sub(r"<sup>\1</sup>", escape(text)))


def _chinese_number(numeral: str) -> int | None:
    """一 … 九, 十, 十一 … 十九, 二十 … 九十九; None for anything else ("一二", "十十"), which
    is then no label but text."""
    if not (match := CHINESE_NUMBER.fullmatch(numeral)):
        return None
    tens, units, alone = match.groups()
    if alone:
        return CHINESE_NUMERALS[alone]
    return CHINESE_NUMERALS.get(tens, 1) * 10 + CHINESE_NUMERALS.get(units, 0)


def _next_letter(letter: str) -> str:
    return letter[:-1] + chr(ord(letter[-1]) + 1) if letter[-1] != "z" else ""


def parse(body: str, prefix: str = "") -> list[Block]:
    """The blocks of a text, in order, each point with an anchor unique within the text.

    ``prefix`` keeps anchors unique when several texts share a page ("en-", "p28-").
    """
    blocks: list[Block] = []
    used: set[str] = set()
    repeats: dict[str, int] = {}  # per anchor, the last number given to a repeat of it
    letter = ""  # the last lettered point, for "(i)" and "(1)" under it
    roman = ""  # the last roman sub-point
    paragraph = ""  # the last numbered paragraph, to tell a repeated point apart

    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        anchor, label, rest, depth = "", "", line, 0
        if match := SECTION.match(line):
            number = match.group(1)
            anchor, label, depth = f"sec-{number.replace('.', '-')}", f"{number}.", 0
            letter = roman = ""
            paragraph = anchor
        elif match := PARAGRAPH.match(line):
            number = match.group(1)
            anchor, label, depth = f"para-{number}", f"{number}.", 0
            letter = roman = ""
            paragraph = anchor
        elif match := LETTER.match(line):
            token = match.group(1)
            follows_letter = letter and _next_letter(letter) == token
            is_roman = token in ROMAN and letter and not follows_letter and (token == "i" or roman)
            if is_roman:
                anchor, depth = f"point-{letter}-{token}", 2
                roman = token
            else:
                anchor, depth = f"point-{token}", 1
                letter, roman = token, ""
            label = f"({token})"
        elif match := NUMBER.match(line):
            token = match.group(1)
            anchor = f"point-{letter}-{token}" if letter else f"point-{token}"
            label, depth = f"({token})", 2 if letter else 1
        elif (match := CHINESE.match(line)) and (number := _chinese_number(match.group(1))):
            anchor = f"point-{number}"
            label, depth = match.group(0), 1
        if anchor:
            rest = line[match.end() :].strip()
            if anchor in used and paragraph and not anchor.startswith(paragraph):
                anchor = f"{paragraph}-{anchor}"
            base, repeat = anchor, repeats.get(anchor, 1)
            # Counting on from the last repeat keeps thousands of repeated labels linear.
            while anchor in used:
                repeat += 1
                anchor = f"{base}-{repeat}"
            repeats[base] = repeat
            used.add(anchor)
            anchor = prefix + anchor
        blocks.append(Block(anchor=anchor, label=label, text=inline(rest), depth=depth))
    return blocks
