"""A word-level redline of two texts (the public "what changed" between two versions of a
provision's text).

Words are compared with difflib (the standard library does it well enough for paragraphs of
law; no dependency). Each word keeps the whitespace after it, so the redline reprints the text
as typed, line breaks included. Everything stays plain text: templates escape each piece and
mark inserted and deleted words with <ins>/<del> and a text label, never by colour alone.
"""

import difflib
import re
from dataclasses import dataclass

# A word and the whitespace after it; words are compared without it.
TOKENS = re.compile(r"\s*\S+\s*|\s+")


@dataclass(frozen=True)
class Piece:
    kind: str  # "equal", "insert" or "delete"
    text: str


def redline(before: str, after: str) -> list[Piece]:
    """The pieces of ``after`` and what ``before`` had instead, word by word, in reading order."""
    old, new = TOKENS.findall(before or ""), TOKENS.findall(after or "")
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(
        None, [t.strip() for t in old], [t.strip() for t in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("equal", "".join(new[j1:j2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece("delete", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("insert", "".join(new[j1:j2])))
    return _merged(pieces)


def _merged(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if merged and merged[-1].kind == piece.kind:
            merged[-1] = Piece(piece.kind, merged[-1].text + piece.text)
        elif piece.text:
            merged.append(piece)
    return merged
