"""The forms of the models pages: the grid's filters and the checker for your own model.

Both are GET forms: every state is a URL. Bad values become form errors on the page (a filter
with an error is ignored and says so), never a 500.
"""

import copy
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

from comparisons.web.facets import Facet, Taxonomy
from provisions.models.ai_models import (
    MAX_FLOP,
    PUBLISHED_WEIGHTS,
    OsiApproval,
    UseRestrictions,
    WeightsAccess,
)
from provisions.openness import ModelFacts

MAX_TEXT = 200
YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not sure")]
OUTCOME_CHOICES = [
    ("meets", "Meets the conditions or is reached"),
    ("fails", "Does not meet them or is not reached"),
    ("uncertain", "Uncertain"),
    ("not_applicable", "Not applicable (out of the provision's reach)"),
]


# The grid's filters, declared once: the models page's form and the API (/api/models/).
COUNTRY = Facet(
    "country",
    "Provider's country",
    "The provider's country, as the profiles name it.",
    choices=lambda taxonomy: [(c, c) for c in taxonomy.countries],
    lookup="provider_country",
    multiple=False,
    any_label="Any",
)
WEIGHTS = Facet(
    "weights",
    "Weights",
    "How the weights can be obtained; `published`: any way that publishes them.",
    choices=[("published", "Published (any way)"), *WeightsAccess.choices],
    lookup="weights_access",
    multiple=False,
    any_label="Any",
    narrow=lambda queryset, values: queryset.filter(
        weights_access__in=[
            access for v in values for access in (PUBLISHED_WEIGHTS if v == "published" else [v])
        ]
    ),
)
OSI = Facet(
    "osi",
    "Licence",
    "Whether the licence is approved by the Open Source Initiative.",
    choices=OsiApproval.choices,
    lookup="licence_osi",
    multiple=False,
    any_label="Any",
)
MODEL_FACETS = (COUNTRY, WEIGHTS, OSI)


def radio(label: str, choices, *, initial: str) -> forms.ChoiceField:
    """A required question answered with radio buttons (no JS, one click)."""
    return forms.ChoiceField(
        label=label, choices=choices, initial=initial, widget=forms.RadioSelect
    )


class ModelFilterForm(forms.Form):
    q = forms.CharField(label="Model or provider", max_length=MAX_TEXT, required=False)
    country = COUNTRY.form_field()
    weights = WEIGHTS.form_field()
    osi = OSI.form_field()
    provision = forms.ChoiceField(label="Outcome under", required=False)
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "Any"), *OUTCOME_CHOICES]
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data, *, countries, columns):
        super().__init__(data)
        self.fields["country"] = COUNTRY.form_field(Taxonomy(countries=countries))
        self.fields["provision"].choices = [("", "Choose a provision")] + [
            (c.key, c.provision.citation) for c in columns
        ]

    def clean_q(self):
        text = self.cleaned_data["q"]
        if "\x00" in text:
            raise ValidationError("The text has a character that cannot be searched for.")
        return text

    def value(self, name: str):
        """The field's clean value, or empty when it had an error (that filter is ignored)."""
        if not self.is_bound or name in self.errors:
            return None
        return self.cleaned_data.get(name) or None


# -- the checker ----------------------------------------------------------------------------

LICENCES = [
    ("apache-2.0", "Apache-2.0"),
    ("mit", "MIT"),
    ("bsd-3-clause", "BSD-3-Clause"),
    ("gpl-3.0", "GPL-3.0"),
    ("mpl-2.0", "MPL-2.0"),
    ("custom", "Another licence (describe it below)"),
    ("proprietary", "Proprietary terms (no open licence)"),
]
OPEN_LICENCES = {"apache-2.0", "mit", "bsd-3-clause", "gpl-3.0", "mpl-2.0"}
RIGHTS = [
    ("access", "Access (anyone may obtain it)"),
    ("use", "Use"),
    ("modify", "Modification"),
    ("redistribute", "Redistribution"),
]
CHECKER_USE_RESTRICTIONS = [
    (value, label) for value, label in UseRestrictions.choices if value != "proprietary"
]
# "3e25", "3E+25", "3×10^25", "3 x 10^25", "3*10**25", "10^25", "1,000,000": what people type.
POWER = re.compile(
    r"^\s*(?:(?P<mantissa>\d+(?:\.\d+)?)\s*[x×*·]\s*)?"
    r"10\s*(?:\^|\*\*)\s*(?P<exp>[+-]?\d{1,3})\s*$"
)
COMPUTE_GRADES = [
    ("reported", "Reported by the provider"),
    ("confident", "A third party's estimate, confident"),
    ("likely", "A third party's estimate, likely"),
    ("speculative", "A third party's estimate, speculative"),
]
# A profile's licence, as the checker's licence question knows it (SPDX id → choice).
SPDX_CHOICES = {
    "Apache-2.0": "apache-2.0",
    "MIT": "mit",
    "BSD-3-Clause": "bsd-3-clause",
    "GPL-3.0": "gpl-3.0",
    "GPL-3.0-only": "gpl-3.0",
    "MPL-2.0": "mpl-2.0",
}
# The earliest day the EU rules on general-purpose models applied (AI Act Art. 113(b)).
GPAI_RULES_APPLY = datetime.date(2025, 8, 2)


def keep_bad_dates_as_text(form: forms.Form, names: tuple[str, ...]) -> None:
    """A date input that holds what is not a date is invalid HTML (and the browser would show
    it empty): such a value is shown back in a text box, to be corrected where it was typed."""
    if not form.is_bound:
        return
    for name in names:
        raw = form.data.get(name, "")
        try:
            if raw:
                datetime.date.fromisoformat(raw)
        except ValueError:
            widget = form.fields[name].widget = copy.copy(form.fields[name].widget)
            widget.input_type = "text"
            widget.attrs = {k: v for k, v in widget.attrs.items() if k != "type"}


def parse_flop(text: str) -> float:
    """A FLOP count as typed; ValueError if it is not a number."""
    text = text.strip().replace(",", "").replace("_", "")
    match = POWER.match(text)
    if match:
        mantissa = float(match["mantissa"] or 1)
        return mantissa * 10.0 ** int(match["exp"])
    return float(text)


class CheckerForm(forms.Form):
    licence = forms.ChoiceField(label="Licence of the weights", choices=LICENCES)
    rights = forms.MultipleChoiceField(
        label="For another licence: which rights does it grant to everyone?",
        choices=RIGHTS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    user_cap = forms.IntegerField(
        label="Monthly active users above which another licence is needed",
        required=False,
        min_value=1,
        max_value=10**11,
        help_text="Leave empty if the licence has no such threshold.",
    )
    research_only = forms.BooleanField(
        label="The licence allows only research or non-commercial use", required=False
    )
    separate_licence = forms.BooleanField(
        label="Some uses (commercial use, hosting …) need a separate licence", required=False
    )
    excludes_countries = forms.BooleanField(
        label="The licence excludes people or companies by country", required=False
    )
    use_restrictions = forms.ChoiceField(
        label="Use restrictions in the licence",
        choices=CHECKER_USE_RESTRICTIONS,
        initial="none",
    )
    weights = forms.ChoiceField(
        label="Are the weights public?",
        choices=[(v, label) for v, label in WeightsAccess.choices if v != "api_only"],
        initial="open",
    )
    documentation = radio(
        "Is information on the architecture and on how to use the model public?",
        YES_NO,
        initial="yes",
    )
    monetised = radio(
        "Must anyone pay to obtain or use the model (a price, a paid licence above a "
        "scale or for commercial use, mandatory paid support)?",
        YES_NO,
        initial="no",
    )
    compute = forms.CharField(
        label="Training compute (FLOP)",
        required=False,
        max_length=40,
        help_text="Cumulative, e.g. 1e24 or 3×10^25. Leave empty if unknown.",
    )
    established_in_eu = radio(
        "Is the provider established in the EU?", YES_NO_UNKNOWN, initial="unknown"
    )
    compute_grade = forms.ChoiceField(
        label="How is the compute known?",
        choices=COMPUTE_GRADES,
        initial="reported",
        # Optional: answers shared before the question existed keep working (as reported).
        required=False,
        help_text="An estimate only ever makes a verdict presumed, never confirmed.",
    )
    parameters = forms.FloatField(
        label="Parameters, in billions (the largest version)",
        required=False,
        min_value=0.001,
        max_value=1_000_000,
        help_text="Used only when compute is unknown: a small enough model is presumed below "
        "the thresholds.",
    )
    placed_on_market = forms.DateField(
        label="Placed on the EU market on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty if not yet.",
    )
    on = forms.DateField(
        label="Verdicts on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for today.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep_bad_dates_as_text(self, ("placed_on_market", "on"))

    def clean_compute(self):
        text = self.cleaned_data["compute"]
        if not text:
            return None
        try:
            value = parse_flop(text)
        except (ValueError, OverflowError):
            raise ValidationError("Give a number of operations, like 1e24 or 3×10^25.") from None
        if value != value or value <= 0:  # NaN, zero or negative
            raise ValidationError("Training compute must be more than zero.")
        if value > MAX_FLOP:
            raise ValidationError(
                "That is more than 10^30 FLOP, far beyond any model trained so far: check the "
                "exponent."
            )
        return value

    def clean_placed_on_market(self):
        day = self.cleaned_data["placed_on_market"]
        if day and not datetime.date(1990, 1, 1) <= day <= datetime.date(2100, 12, 31):
            raise ValidationError("Give a date between 1990 and 2100.")
        return day

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day and not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
            raise ValidationError("Give a date between 2000 and 2100.")
        return day

    def facts(self) -> ModelFacts:
        """The answers as a model's facts, for ``provisions.openness.evaluate``."""
        data = self.cleaned_data
        licence = data["licence"]
        label = dict(LICENCES)[licence]
        if licence in OPEN_LICENCES:
            granted = {"access", "use", "modify", "redistribute"}
            name = label
        elif licence == "proprietary":
            granted = {"use"}
            name = "Your proprietary terms"
        else:
            granted = set(data["rights"])
            name = "Your licence"
        in_eu = {"yes": True, "no": False}.get(data["established_in_eu"])
        documented = data["documentation"] == "yes"
        return ModelFacts(
            name="your model",
            licence_name=name,
            weights_access=data["weights"],
            grants_access="access" in granted,
            grants_use="use" in granted,
            grants_modification="modify" in granted,
            grants_redistribution="redistribute" in granted,
            research_only=data["research_only"],
            user_cap=data["user_cap"],
            separate_commercial_licence=data["separate_licence"],
            geographic_exclusion=(
                "it excludes people or companies by country." if data["excludes_countries"] else ""
            ),
            use_restrictions="proprietary"
            if licence == "proprietary"
            else data["use_restrictions"],
            paid_access=data["monetised"] == "yes",
            architecture_public=documented,
            usage_info_public=documented,
            training_compute_flop=data["compute"],
            compute_confidence=(data["compute_grade"] or "reported")
            if data["compute"]
            else "undisclosed",
            compute_source="as you gave it",
            provider_in_eu=in_eu,
            release_date=data.get("placed_on_market"),
            parameters=data["parameters"] * 1e9 if data.get("parameters") else None,
        )

    def market_note(self) -> str:
        day = self.cleaned_data.get("placed_on_market")
        if day is None:
            return ""
        if day < GPAI_RULES_APPLY:
            return (
                "Placed on the EU market before 2 August 2025: under AI Act Art. 111(3) its "
                "provider has until 2 August 2027 to comply with the obligations for "
                "general-purpose AI models."
            )
        return (
            "Placed on the EU market on or after 2 August 2025: the obligations for "
            "general-purpose AI models apply from that day, with no transition period."
        )


def answers_from_profile(profile) -> dict:
    """A profile's facts as the checker's answers: "Start from <model>" fills the form with
    them, to be changed. What the checker cannot ask (a scale-triggered duty, the kind of MAU
    test) is left out; the model's own page has the full evaluation."""
    if profile.weights_access not in PUBLISHED_WEIGHTS:
        licence = "proprietary"
    else:
        licence = SPDX_CHOICES.get(profile.licence_spdx, "custom")
    rights = [
        name
        for name, granted in (
            ("access", profile.grants_access),
            ("use", profile.grants_use),
            ("modify", profile.grants_modification),
            ("redistribute", profile.grants_redistribution),
        )
        if granted
    ]
    in_eu = {True: "yes", False: "no"}.get(profile.provider_in_eu, "unknown")
    # A grade the checker does not ask about (not recorded, the atlas's arithmetic) is an
    # estimate all the same.
    grade = profile.compute_confidence
    if grade not in dict(COMPUTE_GRADES):
        grade = "likely"
    answers = {
        "licence": licence,
        "rights": rights,
        "user_cap": profile.user_cap or "",
        "research_only": "on" if profile.research_only else "",
        "separate_licence": "on" if profile.separate_commercial_licence else "",
        "excludes_countries": "on" if profile.geographic_exclusion else "",
        "use_restrictions": (
            "none" if profile.use_restrictions == "proprietary" else profile.use_restrictions
        ),
        "weights": profile.weights_access if profile.weights_access != "api_only" else "none",
        "documentation": (
            "yes" if profile.architecture_public and profile.usage_info_public else "no"
        ),
        "monetised": "yes" if profile.paid_access else "no",
        "compute": f"{profile.training_compute_flop:g}" if profile.training_compute_flop else "",
        "compute_grade": grade,
        "parameters": f"{profile.parameters / 1e9:g}" if profile.parameters else "",
        "established_in_eu": in_eu,
        "placed_on_market": profile.release_date.isoformat() if profile.release_date else "",
    }
    return {key: value for key, value in answers.items() if value not in ("", [])}


class StartForm(forms.Form):
    """Fill the checker from a model the atlas has a profile of."""

    start = forms.ChoiceField(label="Start from a known model")

    def __init__(self, data, *, profiles):
        super().__init__(data)
        self.profiles = {p.slug: p for p in profiles}
        self.fields["start"].choices = [("", "Choose a model")] + [
            (p.slug, p.name) for p in profiles
        ]


class CompareForm(forms.Form):
    """Two models side by side: ?a=…&b=…&on=…"""

    a = forms.ChoiceField(label="First model")
    b = forms.ChoiceField(label="Second model")
    on = forms.DateField(
        label="Verdicts on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for today.",
    )

    def __init__(self, data, *, profiles):
        super().__init__(data)
        self.profiles = {p.slug: p for p in profiles}
        choices = [("", "Choose a model")] + [(p.slug, p.name) for p in profiles]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices
        keep_bad_dates_as_text(self, ("on",))

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day and not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
            raise ValidationError("Give a date between 2000 and 2100.")
        return day
