"""Word forms a reader may type for the words the atlas uses.

- British and American spellings (licence/license, authorised/authorized, monetised/monetized):
  rules, since the English stemmer keeps them apart ("licenc" vs "licens").
- Hyphenation: "open source", "open-source" and "opensource" (the parser splits a hyphenated
  word into its parts, so only the closed-up form needs writing out).
- Synonyms: editors' data (provisions.SearchSynonym), not code.

Misspellings are spelling.py's (corrected from the published words, in the database).

Plural and singular need nothing here: the English stemmer folds them.
"""

import re

WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")

# Spellings that no suffix rule reaches; British first.
SPELLINGS = {
    "licence": "license",
    "licences": "licenses",
    "licenced": "licensed",
    "defence": "defense",
    "offence": "offense",
    "behaviour": "behavior",
    "behaviours": "behaviors",
    "favour": "favor",
    "labour": "labor",
    "centre": "center",
    "programme": "program",
    "programmes": "programs",
    "catalogue": "catalog",
    "analyse": "analyze",
    "analysed": "analyzed",
    "modelling": "modeling",
    "labelling": "labeling",
    "labelled": "labeled",
    "judgement": "judgment",
}
AMERICAN = {us: uk for uk, us in SPELLINGS.items()}
# -ise/-ize and -isation/-ization: authorised, monetising, organisation, harmonisation…
SUFFIX = re.compile(r"(?<=[a-z]{3})(is|iz)(e|ed|es|ing|ation|ations|er|ers)$")
CLOSED_UP = {
    "opensource": "open source",
    "openweights": "open weights",
    "openweight": "open weight",
}
# Words the suffix rule would spoil.
NOT_ISE = {"advise", "advised", "otherwise", "precise", "promise", "promised", "raise", "raised"}
NOT_ISE |= {"exercise", "exercised", "franchise", "expertise", "premise", "premises", "wise"}
NOT_ISE |= {"noise", "praise", "surprise", "enterprise", "enterprises", "revise", "revised"}
NOT_ISE |= {"supervise", "supervised", "comprise", "comprises", "compromise", "size", "seize"}


def other_spelling(word: str) -> str | None:
    """The other side's spelling of ``word`` (lower case), or None."""
    if word in SPELLINGS:
        return SPELLINGS[word]
    if word in AMERICAN:
        return AMERICAN[word]
    if word in NOT_ISE:
        return None
    match = SUFFIX.search(word)
    if match is None:
        return None
    swapped = "iz" if match.group(1) == "is" else "is"
    return word[: match.start()] + swapped + match.group(2)


def spelled_otherwise(text: str) -> str:
    """``text`` with each word in the other spelling and closed-up words opened."""

    def swap(match: re.Match) -> str:
        word = match.group(0)
        lower = word.lower()
        if lower in CLOSED_UP:
            return CLOSED_UP[lower]
        return other_spelling(lower) or word

    return WORD.sub(swap, text)


def synonym_texts(text: str, groups: list[list[str]]) -> list[str]:
    """``text`` with a term of a synonym group replaced by each other term of the group."""
    found = []
    lower = text.lower()
    for terms in groups:
        for term in terms:
            pattern = re.compile(rf"(?<![\w-]){re.escape(term.lower())}(?![\w-])")
            if pattern.search(lower):
                found += [pattern.sub(other, lower) for other in terms if other != term]
                break
    return found


def alternatives(text: str, groups: list[list[str]], limit: int = 6) -> list[str]:
    """Other ways to write the query, the query itself excluded, at most ``limit``."""
    found = []
    spelled = spelled_otherwise(text)
    candidates = [spelled, *synonym_texts(text, groups)]
    if spelled.lower() != text.lower():
        candidates += synonym_texts(spelled, groups)
    for candidate in candidates:
        if candidate.lower() != text.lower() and candidate not in found:
            found.append(candidate)
    return found[:limit]
