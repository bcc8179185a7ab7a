"""Misspelt words corrected from the words the atlas uses (pg_trgm).

The vocabulary is a materialised view of the distinct words of public records with a trigram
index (provisions/vocabulary.py): one query finds, for each word of the query, the known word
closest to it (by trigram similarity, then by how many records use it). A word the atlas uses
stays as typed. Search shows the corrected results only when they are more than the query's own
(engine.search), and links to the query as typed.
"""

import re

from django.db import connection

from provisions.vocabulary import VIEW

# Words worth correcting: letters only, at least four (short words have too few trigrams to
# tell a typo from another word).
CORRECTABLE = re.compile(r"^[^\W\d_]{4,40}$")
# Web-search syntax passes through: OR, -word, "a phrase".
WORD = re.compile(r'(?<![-"\w])[^\W\d_]+(?![\w"])')

CANDIDATES = 8  # per word, by trigram similarity; the closest by edit distance wins
NEAREST_SQL = f"""
    SELECT typed.word, nearest.word, nearest.documents
    FROM unnest(%s::text[]) AS typed(word)
    CROSS JOIN LATERAL (
        SELECT v.word, v.documents FROM {VIEW} v
        WHERE v.word %% typed.word
        ORDER BY similarity(v.word, typed.word) DESC, v.documents DESC, v.word
        LIMIT {CANDIDATES}
    ) AS nearest
"""


def edits(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    neighbours ("exemptoin" is one from "exemption"). Trigram similarity alone prefers short
    words that share a prefix ("exempt")."""
    previous2, previous = [], list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def correctable(text: str) -> list[str]:
    return list(
        dict.fromkeys(w.lower() for w in WORD.findall(text) if CORRECTABLE.match(w) and w != "OR")
    )


def corrected(text: str) -> str | None:
    """``text`` with each unknown word replaced by the nearest known one; None when no word
    changed (or none could). One query, none when no word is worth correcting."""
    typed = correctable(text)
    if not typed:
        return None
    with connection.cursor() as cursor:
        cursor.execute(NEAREST_SQL, [typed])
        rows = cursor.fetchall()
    best: dict[str, tuple] = {}
    for word, known, documents in rows:
        key = (edits(word, known), -documents, known)
        if word not in best or key < best[word][0]:
            best[word] = (key, known)
    nearest = {word: known for word, (_, known) in best.items() if word != known}
    if not nearest:
        return None

    def swap(match: re.Match) -> str:
        return nearest.get(match.group(0).lower(), match.group(0))

    return WORD.sub(swap, text)
