"""What a search found: hits grouped by kind of record, as the page and the JSON show them."""

import dataclasses
from dataclasses import dataclass

from django.utils.safestring import SafeString

LIMIT = 50  # hits fetched per kind of record
GROUP_CAP = 5  # hits a group shows on the all-kinds page; "show all" opens the kind's own

KINDS = {
    "provisions": "Provisions",
    "instruments": "Instruments",
    "arguments": "Arguments",
    "models": "Models",
}


@dataclass
class Badge:
    label: str
    css: str  # in-force, ended, …


@dataclass
class Hit:
    kind: str
    title: str
    url: str
    context: str
    snippet: SafeString
    rank: float
    status: Badge | None = None
    treatment: str = ""
    note: str = ""  # "Art. 52c(-2) in … is now Art. 53(2)."
    jurisdiction: str = ""  # a code, for the facet
    exact: bool = False  # an exact citation of this record
    lang: str = ""  # the snippet's language, when it is not the page's (a Chinese text)


@dataclass
class Group:
    slug: str
    heading: str
    hits: list[Hit]  # all fetched, best first
    shown: list[Hit]  # what the page lists

    @property
    def count(self) -> str:
        """ "12", or "50+" when the kind holds more hits than a search fetches."""
        return f"{len(self.hits)}+" if len(self.hits) >= LIMIT else str(len(self.hits))

    @property
    def more(self) -> bool:
        return len(self.shown) < len(self.hits)


@dataclass
class Equivalents:
    """For a Chinese query: what its English equivalents (editors' synonyms) find, apart."""

    terms: list[str]
    hits: list[Hit]


@dataclass
class Results:
    provisions: list[Hit]
    instruments: list[Hit]
    arguments: list[Hit]
    models: list[Hit] = dataclasses.field(default_factory=list)
    jurisdictions: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    skipped: list[str] = dataclasses.field(default_factory=list)  # kinds a facet left out
    jurisdiction: str | None = None  # the jurisdiction facet applied, if any
    kind: str | None = None  # the record-type facet applied, if any
    searched: str = ""  # what was searched, when not what was typed (a corrected spelling)
    typed: str = ""  # what was typed
    message: str = ""  # words left out of a long query
    equivalents: Equivalents | None = None

    @property
    def total(self) -> int:
        return len(self.provisions) + len(self.instruments) + len(self.arguments) + len(self.models)

    @property
    def corrected(self) -> bool:
        return bool(self.searched) and self.searched != self.typed

    @property
    def exact(self) -> Hit | None:
        """The provision or instrument the query cites exactly, if only one."""
        cited = [hit for hit in self.provisions + self.instruments if hit.exact]
        return cited[0] if len(cited) == 1 else None

    def groups(self) -> list[Group]:
        """Each kind's hits; with no record-type facet, a group lists its first GROUP_CAP."""
        return [
            Group(slug, heading, hits, hits if self.kind else hits[:GROUP_CAP])
            for slug, heading in KINDS.items()
            if slug not in self.skipped
            for hits in [getattr(self, slug)]
        ]

    def as_json(self) -> dict:
        def hit(h: Hit) -> dict:
            return {
                "title": h.title,
                "url": h.url,
                "context": h.context,
                "snippet": str(h.snippet),
                "status": h.status.label if h.status else None,
                "treatment": h.treatment or None,
                "note": h.note or None,
                "jurisdiction": h.jurisdiction or None,
                "exact_citation": h.exact,
            }

        body = {
            "total": self.total,
            "showing_results_for": self.searched if self.corrected else None,
            **{group.slug: [hit(h) for h in group.hits] for group in self.groups()},
        }
        if self.equivalents:
            body["english_equivalents"] = {
                "terms": self.equivalents.terms,
                "provisions": [hit(h) for h in self.equivalents.hits],
            }
        return body
