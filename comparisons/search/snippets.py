"""Snippets: where the query matched, marked, and nothing else of the editors' text as markup.

ts_headline marks matches with random sentinels; the whole snippet is escaped, and only then are
the sentinels turned into <mark> tags, so <mark> is the only markup that can pass. Chinese texts
are cut in Python around the first run of the query (PostgreSQL's parsers do not segment
Chinese, so ts_headline cannot place them).
"""

import re
import secrets

from django.contrib.postgres.search import SearchHeadline
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from comparisons.search.query import CJK
from provisions.models.search import CONFIG

BOUNDARY = re.compile(r"[\s，。；、：,.;:]")


class Marker:
    """One search's sentinels, its ts_headline expression and the marking of what it returns."""

    def __init__(self):
        token = secrets.token_hex(6)
        self.start, self.stop = f"HLSTART{token}", f"HLSTOP{token}"

    def headline(self, expression, query) -> SearchHeadline:
        return SearchHeadline(
            expression,
            query,
            config=CONFIG,
            start_sel=self.start,
            stop_sel=self.stop,
            max_words=40,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    def mark(self, snippet: str | None) -> SafeString:
        return with_ellipses(marked(snippet or "", self.start, self.stop))


def marked(headline: str, start: str, stop: str) -> SafeString:
    return mark_safe(escape(headline).replace(start, "<mark>").replace(stop, "</mark>"))


def cjk_snippet(body: str, text: str) -> SafeString:
    """About 40 characters either side of the first Chinese run of the query, marked; cut
    after a punctuation mark or space where one is near, with ellipses where text was left out."""
    runs = sorted(CJK.findall(text), key=len, reverse=True)
    at = body.find(runs[0]) if runs else -1
    if at < 0:
        return bounded(body, 0, min(len(body), 120))
    start, stop = max(at - 40, 0), at + len(runs[0])
    end = min(stop + 40, len(body))
    start, end = word_bounds(body, start, end)
    return mark_safe(
        ("…" if start else "")
        + escape(body[start:at])
        + "<mark>"
        + escape(body[at:stop])
        + "</mark>"
        + escape(body[stop:end])
        + ("…" if end < len(body) else "")
    )


def word_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` forward and ``end`` back to the nearest space or punctuation (within 15
    characters), so a snippet never begins or ends in the middle of a word."""
    if start > 0:
        for i in range(start, min(start + 15, len(body))):
            if BOUNDARY.match(body[i]):
                start = i + 1
                break
    if end < len(body):
        for i in range(end, max(end - 15, start), -1):
            if BOUNDARY.match(body[i]):
                end = i
                break
    return start, end


def bounded(body: str, start: int, end: int) -> SafeString:
    start, end = word_bounds(body, start, end)
    return mark_safe(
        ("…" if start else "") + escape(body[start:end].strip()) + ("…" if end < len(body) else "")
    )


def with_ellipses(headline: SafeString) -> SafeString:
    """ts_headline cuts on word boundaries but does not say it left text out: a fragment that
    starts in lower case began mid-sentence, one without a final stop ends mid-sentence."""
    text = str(headline).strip()
    if not text:
        return headline
    plain = re.sub(r"</?mark>", "", text)
    head = "…" if plain[:1].islower() else ""
    tail = "" if plain[-1:] in '.!?)”"’;:。' else "…"
    return mark_safe(head + text + tail)
