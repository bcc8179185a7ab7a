"""The filter form as the page shows it: each option with its state, its count and its message."""

from dataclasses import dataclass, field

from comparisons.filters import BADGE_CHOICES, BINDING_CHOICES, FACETS, Facets, ProvisionFilter
from provisions.models import Treatment


@dataclass
class Option:
    value: str
    label: str
    checked: bool
    count: int
    id: str


@dataclass
class Group:
    name: str
    legend: str
    options: list[Option]
    messages: list[str] = field(default_factory=list)
    hint: str = ""


def filter_panel(filterset: ProvisionFilter, facets: Facets) -> dict:
    """Groups of checkboxes (and the binding radios), plus the text and date fields."""
    taxonomy = filterset.taxonomy
    choices = {
        "j": [(j.code, j.short_name) for j in taxonomy.jurisdictions],
        "component": [(c.slug, c.name) for c in taxonomy.components],
        "topic": [(t.slug, t.name) for t in taxonomy.topics],
        "treatment": list(Treatment.choices),
        "status": [(str(v), str(label)) for v, label in BADGE_CHOICES],
        "binding": BINDING_CHOICES,
    }
    hints = {
        "status": "On the as-of day. With none ticked: everything except ended provisions.",
        "j": "Columns appear in the order chosen.",
    }
    messages = filterset.messages
    groups = []
    for name in FACETS:
        chosen = filterset.value(name) or []
        if isinstance(chosen, str):
            chosen = [chosen]
        legend = str(filterset.filters[name].label)
        options = [
            Option(
                value=str(value),
                label=str(label),
                checked=str(value) in chosen,
                count=facets.counts[name].get(str(value), 0),
                id=f"{name}-{value}",
            )
            for value, label in choices[name]
        ]
        groups.append(
            Group(
                name=name,
                legend=legend,
                options=options,
                messages=messages.get(name, []),
                hint=hints.get(name, ""),
            )
        )
    return {
        "groups": groups,
        "q": filterset.value("q") or "",
        "as_of": filterset.value("as_of"),
        "day": filterset.day,
        "q_messages": messages.get("q", []),
        "as_of_messages": messages.get("as_of", []),
        "binding_any": not filterset.value("binding"),
    }
