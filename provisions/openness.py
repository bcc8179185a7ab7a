"""Does a model meet a provision's openness conditions? The atlas's analysis, as pure functions.

``evaluate(facts, rules)`` takes what is known about one model (``ModelFacts``: from a curated
``ModelProfile``, or from the checker's form) and one provision's conditions (``Rule``: from its
``OpennessRequirement`` rows) and answers ``meets``, ``fails`` or ``uncertain``, with one
``Finding`` per condition that says which fact decided it and which text imposes the condition.

No database and no request here: the pages, the API and the checker all call the same function,
and its tests need nothing but dataclasses.

Rules of the analysis:
- A condition fails on a fact only if the fact is confirmed by a checked source; a fact marked
  uncertain makes the condition uncertain, whichever way it points.
- Some conditions need judgement the atlas does not make for the reader (an updatable use
  policy, a scale-triggered attribution duty, how a system built on the model is placed on the
  market): they are uncertain, with the reason.
- Training-compute estimates are compared with a threshold only when they are far enough from it
  for their confidence (``MARGINS``); closer than that, the condition is uncertain.
- One failed condition decides: ``fails``. Otherwise one uncertain condition makes the whole
  ``uncertain``. Only when every condition is met does the model ``meet`` them.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from provisions.models.ai_models import (
    PUBLISHED_WEIGHTS,
    Check,
    ComputeConfidence,
    Fact,
    SystemicRisk,
    UseRestrictions,
    WeightsAccess,
)
from provisions.models.provisions import Treatment

DISCLAIMER = (
    "This is the Openness Atlas's own analysis of published facts about each model, not legal "
    "advice and not the position of any regulator or court."
)

MEETS = "meets"
FAILS = "fails"
UNCERTAIN = "uncertain"
OUTCOMES = (MEETS, FAILS, UNCERTAIN)

# How many times above or below a threshold an estimate of each confidence must be before the
# atlas says which side of the line the model is on. Editorial margins, not statistics: a figure
# the provider reports is taken as it stands; a third party's "likely" estimate must be half as
# much again away; a "speculative" one three times.
MARGINS = {
    ComputeConfidence.REPORTED: 1.0,
    ComputeConfidence.CONFIDENT: 1.0,
    ComputeConfidence.LIKELY: 1.5,
    ComputeConfidence.ESTIMATE: 1.5,
    ComputeConfidence.ATLAS: 1.5,
    ComputeConfidence.SPECULATIVE: 3.0,
}

EXEMPTING = (Treatment.EXEMPTS, Treatment.EXEMPTS_CONDITIONALLY)


@dataclass(frozen=True)
class SourceRef:
    title: str
    url: str
    verification: str = ""


@dataclass(frozen=True)
class ModelFacts:
    """What is known about one model. ``None`` means unknown."""

    name: str
    licence_name: str = "the licence"
    weights_access: str = WeightsAccess.NONE
    grants_access: bool | None = None
    grants_use: bool | None = None
    grants_modification: bool | None = None
    grants_redistribution: bool | None = None
    research_only: bool = False
    user_cap: int | None = None
    scale_duty_users: int | None = None
    naming_duty: str = ""
    revenue_cap_usd: int | None = None
    separate_commercial_licence: bool = False
    geographic_exclusion: str = ""
    use_restrictions: str = UseRestrictions.NONE
    paid_access: bool = False
    architecture_public: bool | None = None
    usage_info_public: bool | None = None
    training_compute_flop: float | None = None
    compute_confidence: str = ComputeConfidence.UNDISCLOSED
    compute_source: str = ""
    systemic_risk: str = SystemicRisk.NONE_FOUND
    provider_in_eu: bool | None = None
    uncertain: frozenset = frozenset()
    # The first checked source for each fact, to cite with the reason.
    sources: dict = field(default_factory=dict)

    @classmethod
    def from_profile(cls, profile, sources: Iterable | None = None) -> "ModelFacts":
        """The facts of a ``ModelProfile``; ``sources`` are its ``ModelSource`` rows."""
        cited = {}
        for source in profile.sources.all() if sources is None else sources:
            if source.verification == "unverified":
                continue
            for fact in source.facts:
                cited.setdefault(fact, SourceRef(source.title, source.url, source.verification))
        names = set(cls.__dataclass_fields__) - {"name", "uncertain", "sources"}
        values = {n: getattr(profile, n) for n in names}
        return cls(
            name=profile.name,
            **values,
            uncertain=frozenset(profile.uncertain_facts),
            sources=cited,
        )


@dataclass(frozen=True)
class Rule:
    """One condition of a provision, with the text that imposes it."""

    kind: str
    threshold: float | None = None
    citation: str = ""
    url: str = ""
    pinpoint: str = ""
    quotation: str = ""
    explanation: str = ""

    @classmethod
    def from_requirement(cls, requirement) -> "Rule":
        imposed = requirement.imposed_by
        return cls(
            kind=requirement.kind,
            threshold=requirement.threshold,
            citation=imposed.citation,
            url=imposed.get_absolute_url(),
            pinpoint=requirement.pinpoint,
            quotation=requirement.quotation,
            explanation=requirement.explanation,
        )

    @property
    def label(self) -> str:
        text = str(Check(self.kind).label)
        if self.threshold is not None:
            return f"{text} ({flop(self.threshold)})"
        return text

    @property
    def cited(self) -> str:
        return f"{self.citation}, {self.pinpoint}" if self.pinpoint else self.citation


@dataclass(frozen=True)
class Finding:
    """How one condition came out for one model, and why."""

    rule: Rule
    outcome: str
    fact: str  # the model fact that decided it, in a sentence
    facts: tuple = ()  # the Fact keys it rests on
    source: SourceRef | None = None

    @property
    def label(self) -> str:
        return self.rule.label


@dataclass(frozen=True)
class Verdict:
    outcome: str
    findings: tuple

    @property
    def reasons(self) -> tuple:
        """The findings that explain a "fails" or an "uncertain": the "because …"."""
        if self.outcome == MEETS:
            return self.findings
        return tuple(f for f in self.findings if f.outcome == self.outcome)

    @property
    def ordered(self) -> tuple:
        """Every finding, the decisive ones first: failed, then uncertain, then met."""
        rank = {FAILS: 0, UNCERTAIN: 1, MEETS: 2}
        return tuple(sorted(self.findings, key=lambda f: rank[f.outcome]))

    def label(self, treatment: str) -> str:
        return outcome_label(self.outcome, treatment)

    def style(self, treatment: str) -> str:
        return outcome_style(self.outcome, treatment)


def outcome_label(outcome: str, treatment: str) -> str:
    """The outcome in words that fit the provision: an exemption is met; a duty reaches."""
    if treatment in EXEMPTING:
        return {
            MEETS: "Meets the conditions",
            FAILS: "Does not meet them",
            UNCERTAIN: "Uncertain",
        }[outcome]
    return {MEETS: "Reached", FAILS: "Not reached", UNCERTAIN: "Uncertain"}[outcome]


def outcome_style(outcome: str, treatment: str) -> str:
    """A CSS class: green/red only where meeting the conditions is what a provider wants (an
    exemption); a duty that reaches the model, or not, is shown in neutral colours."""
    if treatment in EXEMPTING:
        return f"outcome-{outcome}"
    return {MEETS: "outcome-reached", FAILS: "outcome-not-reached"}.get(
        outcome, "outcome-uncertain"
    )


def flop(value: float) -> str:
    """1e25 → "10^25 FLOP"; 3.8e25 → "3.8 × 10^25 FLOP"."""
    mantissa, exponent = f"{value:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = f"10^{int(exponent)}"
    return f"{power} FLOP" if mantissa == "1" else f"{mantissa} × {power} FLOP"


def combine(outcomes: Iterable[str]) -> str:
    outcomes = list(outcomes)
    if FAILS in outcomes:
        return FAILS
    if UNCERTAIN in outcomes:
        return UNCERTAIN
    return MEETS


def evaluate(facts: ModelFacts, rules: Iterable[Rule]) -> Verdict | None:
    """The verdict for one model and one provision's conditions; None if it sets none."""
    findings = tuple(_finding(facts, rule) for rule in rules)
    if not findings:
        return None
    return Verdict(combine(f.outcome for f in findings), findings)


def _finding(facts: ModelFacts, rule: Rule) -> Finding:
    outcome, text, keys = CHECKS[rule.kind](facts, rule)
    doubtful = [k for k in keys if k in facts.uncertain]
    if doubtful:
        names = ", ".join(str(Fact(k).label).lower() for k in doubtful)
        text = f"{text} (Not confirmed by a checked source: {names}.)"
        outcome = UNCERTAIN
    source = next((facts.sources[k] for k in keys if k in facts.sources), None)
    return Finding(rule, outcome, text, tuple(keys), source)


# -- one function per kind of condition: (outcome, the fact in a sentence, facts it rests on) --


def _licence_rights(m: ModelFacts, rule: Rule):
    rights = {
        "access": m.grants_access,
        "use": m.grants_use,
        "modification": m.grants_modification,
        "redistribution": m.grants_redistribution,
    }
    missing = [name for name, granted in rights.items() if granted is False]
    unknown = [name for name, granted in rights.items() if granted is None]
    if missing:
        return FAILS, f"{m.licence_name} does not grant {_join(missing)}.", [Fact.LICENCE]
    if unknown:
        return (
            UNCERTAIN,
            f"Not known whether {m.licence_name} grants {_join(unknown)}.",
            [Fact.LICENCE],
        )
    return (
        MEETS,
        f"{m.licence_name} grants access, use, modification and redistribution.",
        [Fact.LICENCE],
    )


def _not_research_only(m: ModelFacts, rule: Rule):
    if m.research_only:
        return (
            FAILS,
            f"{m.licence_name} allows only research or non-commercial use.",
            [Fact.LICENCE],
        )
    return MEETS, f"{m.licence_name} has no research-only or non-commercial limit.", [Fact.LICENCE]


def _no_user_scale_cap(m: ModelFacts, rule: Rule):
    if m.user_cap:
        return (
            FAILS,
            f"{m.licence_name} requires a further licence from the provider above "
            f"{m.user_cap:,} monthly active users.",
            [Fact.LICENCE],
        )
    if m.revenue_cap_usd:
        return (
            FAILS,
            f"{m.licence_name} ends, or a paid licence is needed, above USD "
            f"{m.revenue_cap_usd:,} of annual revenue.",
            [Fact.LICENCE],
        )
    if m.scale_duty_users:
        duty = f" ({m.naming_duty})" if m.naming_duty else ""
        return (
            UNCERTAIN,
            f"Above {m.scale_duty_users:,} monthly active users {m.licence_name} imposes a "
            f"duty{duty}, but withholds no right and asks no payment. Whether a scale-triggered "
            "duty counts as a usage restriction triggered by user scale needs judgement.",
            [Fact.LICENCE],
        )
    return MEETS, f"{m.licence_name} sets no user-scale or revenue threshold.", [Fact.LICENCE]


def _no_separate_licence(m: ModelFacts, rule: Rule):
    if m.separate_commercial_licence:
        return (
            FAILS,
            f"Under {m.licence_name}, some uses (commercial use, hosting …) need a separate "
            "licence from the provider.",
            [Fact.LICENCE],
        )
    return MEETS, f"{m.licence_name} needs no separate licence for any use.", [Fact.LICENCE]


def _no_geographic_exclusion(m: ModelFacts, rule: Rule):
    if m.geographic_exclusion:
        return FAILS, f"{m.licence_name}: {m.geographic_exclusion}", [Fact.LICENCE]
    return MEETS, f"{m.licence_name} excludes nobody by country.", [Fact.LICENCE]


def _use_limits(m: ModelFacts, rule: Rule):
    kind = m.use_restrictions
    if kind == UseRestrictions.PROPRIETARY:
        return FAILS, f"{m.licence_name} is proprietary terms of service.", [Fact.LICENCE]
    if kind == UseRestrictions.BROAD:
        return (
            UNCERTAIN,
            f"{m.licence_name} lists use restrictions that bind every derivative. Some may be "
            "specific safety limits, others broad bans on fields of use: that needs judgement.",
            [Fact.LICENCE],
        )
    if kind == UseRestrictions.UPDATABLE:
        return (
            UNCERTAIN,
            f"{m.licence_name} binds users to a use policy the licensor may update. Whether "
            "its terms stay specific, proportionate and safety-oriented needs judgement.",
            [Fact.LICENCE],
        )
    text = {
        UseRestrictions.NONE: "sets no use restrictions",
        UseRestrictions.LAW_ONLY: "asks only that the law be complied with",
        UseRestrictions.SAFETY: "sets only specific safety-oriented limits",
    }.get(kind, "sets no use restrictions")
    return MEETS, f"{m.licence_name} {text}.", [Fact.LICENCE]


def _not_monetised(m: ModelFacts, rule: Rule):
    if m.paid_access:
        return (
            FAILS,
            "Some use of the model must be paid for (a paid licence above a scale or for "
            "commercial use, mandatory paid services).",
            [Fact.LICENCE],
        )
    if m.weights_access == WeightsAccess.PERSONAL_DATA_GATE:
        return (
            UNCERTAIN,
            "Downloading the weights asks for personal data; that counts as monetisation "
            "unless it is strictly for security, which needs judgement.",
            [Fact.LICENCE, Fact.ACCESS_GATE],
        )
    return (
        MEETS,
        "No payment is required to obtain or use the model, and no personal data is asked "
        "for access (optional paid services do not count).",
        [Fact.LICENCE, Fact.ACCESS_GATE],
    )


def _weights_public(m: ModelFacts, rule: Rule):
    if m.weights_access in PUBLISHED_WEIGHTS:
        label = WeightsAccess(m.weights_access).label
        return MEETS, f"The weights are published ({str(label).lower()}).", [Fact.WEIGHTS]
    return FAILS, f"The weights of {m.name} are not published.", [Fact.WEIGHTS]


def _documented(attribute: str, what: str):
    def check(m: ModelFacts, rule: Rule):
        value = getattr(m, attribute)
        if value is True:
            return MEETS, f"Information on the model's {what} is public.", [Fact.DOCUMENTATION]
        if value is False:
            return FAILS, f"Information on the model's {what} is not public.", [Fact.DOCUMENTATION]
        return (
            UNCERTAIN,
            f"Not known whether information on the model's {what} is public.",
            [Fact.DOCUMENTATION],
        )

    return check


def _compute_side(m: ModelFacts, threshold: float):
    """(above?, firm?) for the model's compute and a threshold; (None, False) if unknown."""
    value = m.training_compute_flop
    if value is None:
        return None, False
    margin = MARGINS.get(m.compute_confidence, 1.5)
    above = value > threshold
    ratio = value / threshold if above else threshold / value
    return above, ratio >= margin


def _compute_text(m: ModelFacts) -> str:
    if m.training_compute_flop is None:
        return "Training compute is undisclosed and has no published estimate."
    confidence = str(ComputeConfidence(m.compute_confidence).label).lower()
    source = f", {m.compute_source}" if m.compute_source else ""
    return f"Training compute: {flop(m.training_compute_flop)} ({confidence}{source})."


# Per compute condition: the (verdict, sentence) above the threshold, then below it.
COMPUTE_SIDES = {
    Check.COMPUTE_AT_MOST: (
        (FAILS, "That is above {threshold}: presumed to have systemic risk."),
        (MEETS, "That is below {threshold}."),
    ),
    Check.COMPUTE_ABOVE: (
        (MEETS, "That is above {threshold}."),
        (FAILS, "That is not above {threshold}."),
    ),
}


def _compute(m: ModelFacts, rule: Rule):
    """A compute condition: UNCERTAIN when compute is unknown or too close to call, else the
    verdict for the side of the threshold the model is on."""
    above, firm = _compute_side(m, rule.threshold)
    text = _compute_text(m)
    if above is None:
        return UNCERTAIN, text, [Fact.COMPUTE]
    threshold = flop(rule.threshold)
    if not firm:
        return (
            UNCERTAIN,
            f"{text} Too close to {threshold} for an estimate of this confidence.",
            [Fact.COMPUTE],
        )
    if_above, if_below = COMPUTE_SIDES[rule.kind]
    verdict, sentence = if_above if above else if_below
    return verdict, f"{text} {sentence.format(threshold=threshold)}", [Fact.COMPUTE]


def _not_designated(m: ModelFacts, rule: Rule):
    if m.systemic_risk == SystemicRisk.DESIGNATED:
        return (
            FAILS,
            f"{m.name} is designated or notified as a model with systemic risk.",
            [Fact.SYSTEMIC_RISK],
        )
    return (
        MEETS,
        "No designation or notification as a model with systemic risk was found.",
        [Fact.SYSTEMIC_RISK],
    )


def _provider_outside_eu(m: ModelFacts, rule: Rule):
    if m.provider_in_eu is True:
        return (
            FAILS,
            "The provider is established in the EU, so there is no representative duty to be "
            "exempt from.",
            [Fact.PROVIDER],
        )
    if m.provider_in_eu is None:
        return UNCERTAIN, "Not known where the provider is established.", [Fact.PROVIDER]
    return MEETS, "The provider is established outside the EU.", [Fact.PROVIDER]


def _system_use(m: ModelFacts, rule: Rule):
    return (
        UNCERTAIN,
        "Depends on the AI system built on the model and how that system is placed on the "
        "market (high-risk, Art. 5 or Art. 50), not on the model's release.",
        [],
    )


CHECKS = {
    Check.LICENCE_RIGHTS: _licence_rights,
    Check.NOT_RESEARCH_ONLY: _not_research_only,
    Check.NO_USER_SCALE_CAP: _no_user_scale_cap,
    Check.NO_SEPARATE_LICENCE: _no_separate_licence,
    Check.NO_GEOGRAPHIC_EXCLUSION: _no_geographic_exclusion,
    Check.USE_LIMITS_PROPORTIONATE: _use_limits,
    Check.NOT_MONETISED: _not_monetised,
    Check.WEIGHTS_PUBLIC: _weights_public,
    Check.ARCHITECTURE_PUBLIC: _documented("architecture_public", "architecture"),
    Check.USAGE_INFO_PUBLIC: _documented("usage_info_public", "usage"),
    Check.COMPUTE_AT_MOST: _compute,
    Check.COMPUTE_ABOVE: _compute,
    Check.NOT_DESIGNATED: _not_designated,
    Check.PROVIDER_OUTSIDE_EU: _provider_outside_eu,
    Check.SYSTEM_USE: _system_use,
}


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]
