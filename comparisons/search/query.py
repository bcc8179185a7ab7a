"""What is searched for, out of what was typed: bounded, whatever the visitor types.

The cost of a full-text search grows with the terms of its tsquery (ts_rank and ts_headline
walk every term over every matching document), and every spelling or synonym alternative
repeats the whole query. A visitor could stall a worker with "opensource" typed eighteen times;
so, before anything reaches the database:

- repeated words and phrases count once ("open source open source" is "open source");
- at most ``MAX_WORDS`` distinct words are searched, the rest left out with a message;
- at most ``MAX_VARIANTS`` other spellings and synonyms are ORed in (words.alternatives);
- a run of Chinese characters becomes at most ``MAX_PAIRS`` character pairs.

The form caps the text itself at 200 characters (SearchForm). Citations are read from the text
as typed (citations.py), where repeated words can carry meaning ("Arts. 1 and 2 and 3").
"""

import re
from dataclasses import dataclass, field

from comparisons.search import words

MAX_WORDS = 8
MAX_VARIANTS = 3
MAX_PAIRS = 12

# Web-search syntax: a quoted phrase (perhaps unclosed, perhaps excluded), or any other run.
TOKEN = re.compile(r'-?"[^"]*"?|[^\s"]+')
WORDS_IN = re.compile(r"\w+")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@dataclass
class Asked:
    """The query as searched: ``text`` for full text, ``variants`` its other forms."""

    typed: str
    text: str
    variants: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # words beyond the cap

    @property
    def chinese_runs(self) -> list[str]:
        return [run[: MAX_PAIRS + 1] for run in dict.fromkeys(CJK.findall(self.text))]

    @property
    def message(self) -> str:
        if not self.left_out:
            return ""
        return (
            f"Searched for the first {MAX_WORDS} different words only; left out: "
            f"{' '.join(self.left_out)}."
        )


def tidy(text: str) -> tuple[str, list[str]]:
    """``text`` with repeated words and phrases once and at most MAX_WORDS words, and the
    tokens left out. An OR stays only between two kept terms."""
    kept: list[str] = []
    seen: set[str] = set()
    left_out: list[str] = []
    count = 0
    for token in TOKEN.findall(text):
        if token.upper() == "OR":
            if kept and kept[-1].upper() != "OR":
                kept.append("OR")
            continue
        key = " ".join(WORDS_IN.findall(token.lower())) or token
        if token.startswith("-"):
            key = "-" + key
        if key in seen:
            continue
        size = max(len(WORDS_IN.findall(token)), 1)
        if count + size > MAX_WORDS:
            left_out.append(token)
            continue
        seen.add(key)
        kept.append(token)
        count += size
    while kept and kept[-1].upper() == "OR":
        kept.pop()
    return " ".join(kept), left_out


def asked(text: str, synonyms: list[list[str]]) -> Asked:
    searched, left_out = tidy(text)
    cleaned = re.sub(r"(?i)\barxiv:\s*", "", searched)
    variants = words.alternatives(cleaned, synonyms, limit=MAX_VARIANTS)
    if cleaned != searched:
        variants = [cleaned, *variants][:MAX_VARIANTS]
    return Asked(typed=text, text=searched, variants=variants, left_out=left_out)
