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
class Chip:
    """One active filter value, with the same view without it (a link that works without JS)."""

    name: str  # the query key: j, topic, q, as_of …
    value: str
    text: str  # "Jurisdictions: China"
    remove_url: str


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
        # Kept by the URL (the server lays columns out in its order) and, with JavaScript, by
        # the order the boxes are ticked (static/js/matrix.js); without it, in the list's order.
        "j": "Columns appear in the order you tick them (without JavaScript, in this order).",
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


def filter_choices(filterset: ProvisionFilter) -> dict[str, dict[str, str]]:
    """Per filter, each value's label: what chips, cover lines and file names show."""
    taxonomy = filterset.taxonomy
    return {
        "j": {j.code: j.short_name for j in taxonomy.jurisdictions},
        "component": {c.slug: c.name for c in taxonomy.components},
        "topic": {t.slug: t.name for t in taxonomy.topics},
        "treatment": {value: str(label) for value, label in Treatment.choices},
        "status": {str(v): str(label) for v, label in BADGE_CHOICES},
        "binding": dict(BINDING_CHOICES),
    }


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
