"""The filter form as the page shows it: each option with its state, its count and its message."""

from dataclasses import dataclass

from comparisons.matrix.filters import FACETS, Facets, ProvisionFilter
from comparisons.web.facets import FacetFilterSet, panel_groups


@dataclass
class Chip:
    """One active filter value, with the same view without it (a link that works without JS)."""

    name: str  # the query key: j, topic, q, as_of …
    value: str
    text: str  # "Jurisdictions: China"
    remove_url: str


def filter_panel(filterset: ProvisionFilter, facets: Facets) -> dict:
    """Groups of checkboxes (and the binding radios), plus the text and date fields."""
    messages = filterset.messages
    return {
        "groups": panel_groups(filterset, facets.counts),
        "q": filterset.value("q") or "",
        "as_of": filterset.value("as_of"),
        "day": filterset.day,
        "q_messages": messages.get("q", []),
        "as_of_messages": messages.get("as_of", []),
    }


def filter_choices(filterset: FacetFilterSet) -> dict[str, dict[str, str]]:
    """Per filter, each value's label: what chips, cover lines and file names show."""
    return {facet.name: dict(facet.options(filterset.taxonomy)) for facet in filterset.facets}


def active_filters(filterset: ProvisionFilter, path: str) -> list[Chip]:
    """The filters in force, one chip per value, in the form's order."""
    query = filterset.cleaned_query()
    labels = filter_choices(filterset)
    chips = []
    for name in ("q", "as_of", *FACETS):
        values = query.getlist(name)
        legend = str(filterset.filters[name].label)
        for value in values:
            rest = query.copy()
            rest.setlist(name, [v for v in values if v != value])
            encoded = rest.urlencode()
            if name == "q":
                text = f"{legend}: “{value}”"
            elif name == "as_of":
                text = f"The law as of {filterset.day.strftime('%-d %B %Y')}"
            else:
                text = f"{legend}: {labels.get(name, {}).get(value, value)}"
            chips.append(
                Chip(
                    name=name,
                    value=value,
                    text=text,
                    remove_url=f"{path}?{encoded}" if encoded else path,
                )
            )
    return chips


def describe_filters(chips: list[Chip]) -> str:
    """The filters in one line, for a cover line or a downloaded image."""
    if not chips:
        return "none (ended provisions are left out unless asked for)."
    return "; ".join(chip.text for chip in chips) + "."
