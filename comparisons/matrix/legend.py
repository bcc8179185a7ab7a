"""The legend of the atlas: what each treatment and each state of a cell looks like and means.

One home for it: the summary grid, its legend, the downloadable image and the About page all
read these. Each key has a symbol and words as well as a colour (a class in atlas.css, a fill in
the image), so the grid reads without colour and in black and white.
"""

from dataclasses import dataclass

from provisions.models import Treatment


@dataclass(frozen=True)
class Key:
    value: str
    symbol: str
    label: str
    meaning: str
    fill: str  # the image's background; atlas.css has the same colours for .glance-<value>
    state: bool = False  # a state of a cell, not a treatment ("silent" names one of each)

    @property
    def css(self) -> str:
        """The classes of its item in atlas.css. A state's class is not a treatment's: the
        treatment "Silent on openness" and the state "Silent after review" must not look alike."""
        if self.state:
            return f"glance-item glance-empty glance-is-{self.value}"
        return f"glance-item glance-{self.value}"


# From the most open-friendly to the least. Colours are light tints of the Okabe–Ito palette
# (told apart by the common colour-vision deficiencies) under dark text: every pair passes
# WCAG AA contrast, and the symbol and the label carry the meaning on their own.
TREATMENTS = [
    Key(
        Treatment.EXEMPTS,
        "✓",
        str(Treatment.EXEMPTS.label),
        "Open models are exempt from the duty or the ban, without further conditions.",
        "#cdeee2",
    ),
    Key(
        Treatment.EXEMPTS_CONDITIONALLY,
        "◐",
        str(Treatment.EXEMPTS_CONDITIONALLY.label),
        "Open models are exempt only when conditions hold (“Applies if”), and lose the "
        "exemption when others do (“Lost if”).",
        "#dcf0fa",
    ),
    Key(
        Treatment.PROMOTES,
        "+",
        str(Treatment.PROMOTES.label),
        "The text encourages or funds open models (policy support, not an exemption).",
        "#d3e6f4",
    ),
    Key(
        Treatment.DEFINES,
        "≡",
        str(Treatment.DEFINES.label),
        "The text defines open source or explains how other provisions treat it.",
        "#eceff3",
    ),
    Key(
        Treatment.STUDIES,
        "◇",
        str(Treatment.STUDIES.label),
        "The text orders a study or a consultation on open models; no rule yet.",
        "#f2f0e4",
    ),
    Key(
        Treatment.REQUIRES,
        "!",
        str(Treatment.REQUIRES.label),
        "The text imposes a duty (documentation, notification, labelling …) on the models it "
        "covers.",
        "#fbe8c0",
    ),
    Key(
        Treatment.NO_EXEMPTION,
        "●",
        str(Treatment.NO_EXEMPTION.label),
        "The rule applies to open models as to any other: openness earns no exemption.",
        "#f8d8c6",
    ),
    Key(
        Treatment.RESTRICTS,
        "✕",
        str(Treatment.RESTRICTS.label),
        "The text limits publishing, exporting or using open models.",
        "#f1d5e6",
    ),
    Key(
        Treatment.SILENT,
        "○",
        str(Treatment.SILENT.label),
        "The provision regulates the field but says nothing about openness.",
        "#ffffff",
    ),
]

# The states of a cell with no provision on screen: each says why.
STATES = [
    Key(
        "filtered",
        "⊘",
        "Hidden by your filters",
        "There are provisions here, but the filters you chose (text included) hide them; "
        "the cell says how many.",
        "#ffffff",
        state=True,
    ),
    Key(
        "later",
        "…",
        "Nothing yet on this date",
        "The provisions here come from texts proposed or adopted after the as-of date.",
        "#ffffff",
        state=True,
    ),
    Key(
        "ended",
        "†",
        "No longer in force",
        "Every provision here had ended by the as-of date; you can show them.",
        "#ffffff",
        state=True,
    ),
    Key(
        "silent",
        "—",
        "Silent after review",
        "We read this jurisdiction's texts on the date shown and none addresses the question: "
        "a finding, with the texts read and the date.",
        "#e5e7eb",
        state=True,
    ),
    Key(
        "unreviewed",
        "?",
        "Not yet reviewed",
        "We have not yet read this jurisdiction's texts for this question. It is not a "
        "finding that the law is silent.",
        "#ffffff",
        state=True,
    ),
    Key(
        "regardless",
        "=",
        "Applies regardless of openness",
        "Every provision here covers open and closed models alike (a ban, the dates a law "
        "applies from): none answers the question for open models.",
        "#ffffff",
        state=True,
    ),
]

TREATMENT_KEYS = {key.value: key for key in TREATMENTS}
STATE_KEYS = {key.value: key for key in STATES}

# The matrix's legend: the headline answers a reader meets most, at most seven. The other
# treatments and states are explained on the About page, which the legend links to; every cell
# also says its answer in words.
LEGEND = [
    TREATMENT_KEYS[Treatment.EXEMPTS],
    TREATMENT_KEYS[Treatment.EXEMPTS_CONDITIONALLY],
    TREATMENT_KEYS[Treatment.NO_EXEMPTION],
    TREATMENT_KEYS[Treatment.REQUIRES],
    TREATMENT_KEYS[Treatment.PROMOTES],
    STATE_KEYS["silent"],
    STATE_KEYS["unreviewed"],
]
