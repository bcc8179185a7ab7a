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
- A condition that limits who the provision reaches (a provider established outside the EU) is
  ``not_applicable`` when the model is outside that reach: the provision then does not apply,
  whatever its other conditions say.
- One failed condition decides: ``fails``. Otherwise one uncertain condition makes the whole
  ``uncertain``. Only when every condition is met does the model ``meet`` them.
- Each finding carries a confidence: ``confirmed`` (a checked fact, no presumption),
  ``presumed`` (a rebuttable presumption, or a compute figure that is an estimate) or
  ``judgement`` (uncertain). A third party's estimate never makes a finding confirmed.

``rule_jurisdiction`` turns the verdicts of one jurisdiction's provisions into the one answer
people act on (exempt, not exempt, not applicable, uncertain), with its confidence and the one
reason that decides it; ``on`` a date, a provision that does not apply yet, has ended or is only
a bill decides nothing.
"""

import dataclasses
import datetime
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
from provisions.models.instruments import LegalStatus
from provisions.models.provisions import StatusBadge, Treatment, status_from_dates

DISCLAIMER = (
    "This is the Openness Atlas's own analysis of published facts about each model, not legal "
    "advice and not the position of any regulator or court."
)

MEETS = "meets"
FAILS = "fails"
UNCERTAIN = "uncertain"
NOT_APPLICABLE = "not_applicable"
OUTCOMES = (MEETS, FAILS, UNCERTAIN, NOT_APPLICABLE)

# How sure a finding, a provision's verdict or a jurisdiction's answer is.
CONFIRMED = "confirmed"
PRESUMED = "presumed"
JUDGEMENT = "judgement"
CONFIDENCE_LABELS = {
    CONFIRMED: "confirmed",
    PRESUMED: "presumed — rebuttable or estimated",
    JUDGEMENT: "needs judgement",
}
# Strongest first.
CONFIDENCE_RANK = {CONFIRMED: 0, PRESUMED: 1, JUDGEMENT: 2}

# A compute figure of these grades is the provider's own; any other is an estimate.
PROVIDER_FIGURE = (ComputeConfidence.REPORTED,)

# No published training run comes near this many tokens (the largest disclosed are ~40T, Llama
# 4 Scout): a model whose parameter count needs more than this to reach a threshold at 6 FLOP a
# parameter a token is taken to be far below it, as the atlas's own estimate.
MAX_PLAUSIBLE_TOKENS = 1e14

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
    # The cap is tested once, on the release date (Llama's "on the version release date"), not
    # as a licensee grows.
    user_cap_on_release: bool = False
    release_date: datetime.date | None = None
    parameters: float | None = None
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
    # The threshold raises a rebuttable presumption (AI Act Art. 51(2) with Art. 52(2)).
    rebuttable: bool = False

    @classmethod
    def from_requirement(cls, requirement) -> "Rule":
        imposed = requirement.imposed_by
        return cls(
            kind=requirement.kind,
            threshold=requirement.threshold,
            rebuttable=requirement.rebuttable,
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

    @property
    def key(self) -> tuple:
        """Two provisions that set this same condition share one evaluation and one line."""
        return (self.kind, self.threshold)


@dataclass(frozen=True)
class Finding:
    """How one condition came out for one model, and why."""

    rule: Rule
    outcome: str
    fact: str  # the model fact that decided it, in a sentence
    facts: tuple = ()  # the Fact keys it rests on
    source: SourceRef | None = None
    confidence: str = CONFIRMED
    brief: str = ""  # the fact in a few words, for a verdict's one line

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
        """Every finding, the decisive ones first: not applicable, failed, uncertain, met."""
        rank = {NOT_APPLICABLE: 0, FAILS: 1, UNCERTAIN: 2, MEETS: 3}
        return tuple(
            sorted(self.findings, key=lambda f: (rank[f.outcome], CONFIDENCE_RANK[f.confidence]))
        )

    @property
    def confidence(self) -> str:
        """A failure or a "not applicable" is as sure as its surest reason (one suffices); a
        "meets" is as sure as its least sure condition (all are needed)."""
        if self.outcome == UNCERTAIN:
            return JUDGEMENT
        grades = [CONFIDENCE_RANK[f.confidence] for f in self.reasons]
        rank = max(grades) if self.outcome == MEETS else min(grades)
        return next(c for c, r in CONFIDENCE_RANK.items() if r == rank)

    @property
    def decisive(self) -> "Finding":
        """The one finding that decides it: the surest of its reasons, in the text's order."""
        return self.ordered_reasons[0]

    @property
    def ordered_reasons(self) -> tuple:
        if self.outcome == MEETS:
            # Met: the least sure condition is the one worth naming.
            return tuple(sorted(self.findings, key=lambda f: -CONFIDENCE_RANK[f.confidence]))
        return tuple(sorted(self.reasons, key=lambda f: CONFIDENCE_RANK[f.confidence]))

    def label(self, treatment: str) -> str:
        text = outcome_label(self.outcome, treatment)
        if self.confidence == PRESUMED and self.outcome in (MEETS, FAILS):
            return f"Presumably: {text[0].lower()}{text[1:]}"
        return text

    def style(self, treatment: str) -> str:
        return outcome_style(self.outcome, treatment)


def outcome_label(outcome: str, treatment: str) -> str:
    """The outcome in words that fit the provision: an exemption is met; a duty reaches."""
    if treatment in EXEMPTING:
        return {
            MEETS: "Meets the conditions",
            FAILS: "Does not meet them",
            UNCERTAIN: "Uncertain",
            NOT_APPLICABLE: "Not applicable",
        }[outcome]
    return {
        MEETS: "Reached",
        FAILS: "Not reached",
        UNCERTAIN: "Uncertain",
        NOT_APPLICABLE: "Not applicable",
    }[outcome]


def outcome_style(outcome: str, treatment: str) -> str:
    """A CSS class: green/red only where meeting the conditions is what a provider wants (an
    exemption); a duty that reaches the model, or not, is shown in neutral colours."""
    if outcome == NOT_APPLICABLE:
        return "outcome-not-applicable"
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
    if NOT_APPLICABLE in outcomes:
        return NOT_APPLICABLE
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
    outcome, text, keys, *presumed = CHECKS[rule.kind](facts, rule)
    doubtful = [k for k in keys if k in facts.uncertain]
    if doubtful:
        names = ", ".join(str(Fact(k).label).lower() for k in doubtful)
        text = f"{text} (Not confirmed by a checked source: {names}.)"
        outcome = UNCERTAIN
    source = next((facts.sources[k] for k in keys if k in facts.sources), None)
    if outcome == UNCERTAIN:
        confidence = JUDGEMENT
    elif presumed and isinstance(presumed[0], str):
        confidence = presumed[0]
    else:
        confidence = PRESUMED if presumed and presumed[0] else CONFIRMED
    if doubtful:
        brief = f"Not confirmed by a checked source: {names}"
    else:
        brief = _brief(facts, rule, outcome)
    return Finding(rule, outcome, text, tuple(keys), source, confidence, brief)


def _brief(m: ModelFacts, rule: Rule, outcome: str) -> str:
    """The deciding fact in a few words: the one line of a verdict. The finding's sentence,
    in the reasoning, says it in full."""
    kind, licence = rule.kind, m.licence_name
    if kind in (Check.COMPUTE_AT_MOST, Check.COMPUTE_ABOVE):
        return _compute_brief(m, rule, outcome)
    if kind == Check.APPLIES_WHATEVER_LICENCE:
        return "No open-source exemption exists"
    if outcome == MEETS:
        return f"Met: {rule.label[0].lower()}{rule.label[1:]}"
    if kind == Check.NO_USER_SCALE_CAP:
        if m.user_cap and m.user_cap_on_release:
            return (
                f"{licence}: a licence from the provider for anyone above {m.user_cap:,} "
                "monthly users at release"
            )
        if m.user_cap:
            return f"{licence}: a further licence above {m.user_cap:,} monthly users"
        if m.revenue_cap_usd:
            return f"{licence}: ends above USD {m.revenue_cap_usd:,} of annual revenue"
        return f"{licence}: a duty above {m.scale_duty_users:,} monthly users"
    briefs = {
        Check.LICENCE_RIGHTS: f"{licence} does not grant every right to everyone"
        if outcome == FAILS
        else f"Not known whether {licence} grants every right",
        Check.NOT_RESEARCH_ONLY: f"{licence}: research or non-commercial use only",
        Check.NO_SEPARATE_LICENCE: f"{licence}: some uses need a separate licence",
        Check.NO_GEOGRAPHIC_EXCLUSION: f"{licence} excludes people by country",
        Check.USE_LIMITS_PROPORTIONATE: {
            UseRestrictions.PROPRIETARY: f"{licence}: proprietary terms",
            UseRestrictions.UPDATABLE: f"{licence}: a use policy the licensor may update",
        }.get(m.use_restrictions, f"{licence}: use restrictions that bind derivatives"),
        Check.NOT_MONETISED: "Some use must be paid for"
        if outcome == FAILS
        else "Downloading the weights asks for personal data",
        Check.WEIGHTS_PUBLIC: "The weights are not published",
        Check.ARCHITECTURE_PUBLIC: "Architecture information not public"
        if outcome == FAILS
        else "Not known whether architecture information is public",
        Check.USAGE_INFO_PUBLIC: "Usage information not public"
        if outcome == FAILS
        else "Not known whether usage information is public",
        Check.NOT_DESIGNATED: "Designated a model with systemic risk",
        Check.PROVIDER_OUTSIDE_EU: "Provider established in the EU: the provision binds only "
        "providers outside it"
        if outcome == NOT_APPLICABLE
        else "Not known where the provider is established",
        Check.SYSTEM_USE: "Depends on the system built on the model",
    }
    return briefs.get(kind, rule.label)


def _compute_brief(m: ModelFacts, rule: Rule, outcome: str) -> str:
    threshold = flop(rule.threshold)
    if outcome == UNCERTAIN:
        if m.training_compute_flop is None:
            return f"Training compute undisclosed: not known whether above {threshold}"
        return f"Training compute too close to {threshold} to call"
    if m.training_compute_flop is None:
        figure = f"{m.parameters / 1e9:g} billion parameters (the atlas's estimate)"
    elif m.compute_confidence in PROVIDER_FIGURE:
        figure = f"{flop(m.training_compute_flop)} reported"
    else:
        grade = str(ComputeConfidence(m.compute_confidence).label).lower()
        figure = f"{flop(m.training_compute_flop)}, {grade}"
    above = (outcome == FAILS) == (rule.kind == Check.COMPUTE_AT_MOST)
    if above and rule.rebuttable:
        return f"Presumed systemic risk: {figure}"
    return f"{'Above' if above else 'Below'} {threshold}: {figure}"


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
    if m.user_cap and m.user_cap_on_release:
        day = f" ({_day(m.release_date)})" if m.release_date else ""
        return (
            FAILS,
            f"{m.licence_name} requires anyone whose products had more than {m.user_cap:,} "
            f"monthly active users in the month before the release date{day} to ask the "
            "provider for a licence it may refuse: a one-time test that shuts out a fixed group "
            "of the largest companies, not a threshold a licensee can later cross.",
            [Fact.LICENCE],
        )
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
        if m.parameters and threshold / (6 * m.parameters) > MAX_PLAUSIBLE_TOKENS:
            return False, True
        return None, False
    margin = MARGINS.get(m.compute_confidence, 1.5)
    above = value > threshold
    ratio = value / threshold if above else threshold / value
    return above, ratio >= margin


def _compute_text(m: ModelFacts, threshold: float | None = None) -> str:
    if m.training_compute_flop is None:
        text = "Training compute is undisclosed and has no published estimate."
        if m.parameters and threshold:
            tokens = threshold / (6 * m.parameters)
            text += (
                f" With {m.parameters / 1e9:g} billion parameters, reaching {flop(threshold)} "
                f"would take about {tokens:.1e} training tokens (6 FLOP a parameter a token), "
                "far beyond any published training run (the atlas's own estimate)."
            ).replace("e+", " × 10^")
        return text
    confidence = str(ComputeConfidence(m.compute_confidence).label).lower()
    source = f", {m.compute_source}" if m.compute_source else ""
    return f"Training compute: {flop(m.training_compute_flop)} ({confidence}{source})."


# Per compute condition: the (verdict, sentence) above the threshold, then below it.
COMPUTE_SIDES = {
    Check.COMPUTE_AT_MOST: (
        (FAILS, "That is {above} {threshold}: {presumed} to have systemic risk."),
        (MEETS, "That is {below} {threshold}."),
    ),
    Check.COMPUTE_ABOVE: (
        (MEETS, "That is {above} {threshold}{risk}."),
        (FAILS, "That is {below} {threshold}."),
    ),
}


def _compute(m: ModelFacts, rule: Rule):
    """A compute condition: UNCERTAIN when compute is unknown or too close to call, else the
    verdict for the side of the threshold the model is on. Only the provider's own figure is
    stated as a fact; an estimate says "presumably", and a threshold that raises a rebuttable
    presumption says so: both make the finding ``presumed``."""
    above, firm = _compute_side(m, rule.threshold)
    text = _compute_text(m, rule.threshold)
    if above is None:
        return UNCERTAIN, text, [Fact.COMPUTE]
    threshold = flop(rule.threshold)
    if not firm:
        return (
            UNCERTAIN,
            f"{text} Too close to {threshold} for an estimate of this confidence.",
            [Fact.COMPUTE],
        )
    estimated = m.compute_confidence not in PROVIDER_FIGURE
    if_above, if_below = COMPUTE_SIDES[rule.kind]
    verdict, sentence = if_above if above else if_below
    words = {
        "above": "presumably above (an estimate)" if estimated else "above",
        "below": "presumably below (an estimate)" if estimated else "below",
        "presumed": "presumed (rebuttably)" if rule.rebuttable else "presumed",
        "risk": ": presumed (rebuttably) to have systemic risk" if rule.rebuttable else "",
        "threshold": threshold,
    }
    if rule.kind == Check.COMPUTE_ABOVE and not estimated:
        words["below"] = "not above"
    presumed = estimated or (rule.rebuttable and above)
    return verdict, f"{text} {sentence.format(**words)}", [Fact.COMPUTE], presumed


def _not_designated(m: ModelFacts, rule: Rule):
    if m.systemic_risk == SystemicRisk.DESIGNATED:
        return (
            FAILS,
            f"{m.name} is designated or notified as a model with systemic risk.",
            [Fact.SYSTEMIC_RISK],
        )
    return (
        MEETS,
        "No Commission designation or provider notification as a model with systemic risk was "
        "found (the compute presumption is a separate condition).",
        [Fact.SYSTEMIC_RISK],
    )


def _provider_outside_eu(m: ModelFacts, rule: Rule):
    if m.provider_in_eu is True:
        return (
            NOT_APPLICABLE,
            "The provider is established in the EU: the provision binds only providers "
            "established outside it, so there is no representative duty to be exempt from.",
            [Fact.PROVIDER],
        )
    if m.provider_in_eu is None:
        return UNCERTAIN, "Not known where the provider is established.", [Fact.PROVIDER]
    return MEETS, "The provider is established outside the EU.", [Fact.PROVIDER]


def _applies_whatever_licence(m: ModelFacts, rule: Rule):
    """A duty with no open-source exemption reaches open and closed models alike; whether it
    reaches someone who only publishes weights (a "technical supporter", a "developer") is the
    open question, so the finding is met but needs judgement."""
    return (
        MEETS,
        "No open-source exemption exists: the duties apply to open and closed models alike. "
        "Whether they reach someone who only publishes the weights needs judgement.",
        [],
        JUDGEMENT,
    )


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
    Check.APPLIES_WHATEVER_LICENCE: _applies_whatever_licence,
    Check.SYSTEM_USE: _system_use,
}


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


# -- one answer per jurisdiction ------------------------------------------------------------

EXEMPT = "exempt"
NOT_EXEMPT = "not_exempt"
NO_DATA = "no_data"
RULING_LABELS = {
    EXEMPT: "Exempt",
    NOT_EXEMPT: "Not exempt",
    NOT_APPLICABLE: "Not applicable",
    UNCERTAIN: "Uncertain",
    NO_DATA: "No condition data",
}


@dataclass(frozen=True)
class Part:
    """One provision of a jurisdiction that sets openness conditions, with its dates."""

    citation: str
    treatment: str
    rules: tuple
    url: str = ""
    # Its dates and its instrument's, for its legal standing on a day (status_from_dates, the
    # one rule the pages use too). The defaults: an instrument in force since long ago.
    applies_from: datetime.date | None = None
    ends_on: datetime.date | None = None
    status: str = LegalStatus.IN_FORCE
    adopted_on: datetime.date | None = datetime.date.min
    binding: bool = True
    in_force_on: datetime.date | None = None
    instrument_ended_on: datetime.date | None = None
    # A transition for models placed on the market before a day (AI Act Art. 111(3)).
    grace_placed_before: datetime.date | None = None
    grace_until: datetime.date | None = None
    grace_cited: str = ""
    anchor: str = ""  # its id on the model page

    @property
    def about_systems(self) -> bool:
        """A provision that turns on how a system built on the model is placed on the market
        decides nothing about the model itself (Art. 2(12)): shown, never decisive."""
        return any(r.kind == Check.SYSTEM_USE for r in self.rules)

    def standing(self, on: datetime.date) -> tuple[str, datetime.date | None]:
        return status_from_dates(
            on,
            ceases_on=self.ends_on,
            applies_from=self.applies_from,
            status=self.status,
            ended_on=self.instrument_ended_on,
            adopted_on=self.adopted_on,
            binding=self.binding,
            in_force_on=self.in_force_on,
        )

    def in_effect(self, on: datetime.date) -> str:
        """Empty when the provision binds on ``on``; else why not, in a sentence."""
        badge, day = self.standing(on)
        if badge == StatusBadge.IN_FORCE:
            return ""
        if badge == StatusBadge.PROPOSAL and self.status == LegalStatus.PROPOSED:
            return f"{self.citation}: a bill or proposal, not law; it binds nobody unless enacted."
        if badge == StatusBadge.PROPOSAL:
            return f"{self.citation} was not yet adopted."
        if badge == StatusBadge.APPLIES_LATER and day:
            return f"{self.citation} applies from {_day(day)}."
        if badge == StatusBadge.APPLIES_LATER:
            return f"{self.citation}: enacted, but when it takes effect is not known."
        if badge == StatusBadge.ENDED:
            return f"{self.citation} ceased to apply on {_day(day)}."
        return f"{self.citation} is not binding."

    @property
    def dates(self) -> tuple:
        """The days its standing or its transition can change."""
        return (
            self.applies_from,
            self.in_force_on,
            self.ends_on,
            self.instrument_ended_on,
            self.adopted_on if self.adopted_on != datetime.date.min else None,
            self.grace_until,
        )

    def in_grace(self, facts: ModelFacts, on: datetime.date) -> bool:
        return bool(
            self.grace_placed_before
            and self.grace_until
            and facts.release_date
            and facts.release_date < self.grace_placed_before
            and on < self.grace_until
        )


@dataclass(frozen=True)
class PartVerdict:
    """How one provision comes out, in the jurisdiction's terms (exempt, not exempt …)."""

    part: Part
    verdict: Verdict | None  # None when the provision does not bind on the date
    outcome: str
    confidence: str
    reason: str
    finding: Finding | None = None

    @property
    def label(self) -> str:
        if self.verdict is None:
            return RULING_LABELS[NOT_APPLICABLE]
        return self.verdict.label(self.part.treatment)

    @property
    def style(self) -> str:
        if self.verdict is None:
            return "outcome-not-applicable"
        return self.verdict.style(self.part.treatment)


@dataclass(frozen=True)
class SharedFinding:
    """One condition, evaluated once, with every provision of the jurisdiction that sets it."""

    finding: Finding
    citations: tuple  # (citation, url) of the provisions that set it


@dataclass(frozen=True)
class Ruling:
    """The one-line answer for one jurisdiction on one day, and its reasoning."""

    outcome: str
    confidence: str
    reason: str
    cited: str = ""
    url: str = ""
    note: str = ""  # a transition that delays the consequence (Art. 111(3))
    parts: tuple = ()
    conditions: tuple = ()

    @property
    def label(self) -> str:
        return RULING_LABELS[self.outcome]

    @property
    def confidence_label(self) -> str:
        return CONFIDENCE_LABELS.get(self.confidence, "")

    @property
    def state(self) -> tuple:
        """What a reader would see change: the answer and its transition note."""
        return (self.outcome, self.note)


# How a provision's verdict reads for the jurisdiction: an exemption met exempts; a duty whose
# conditions are met (compute above a threshold) reaches the model whatever its licence.
EXEMPTION_TO_RULING = {
    MEETS: EXEMPT,
    FAILS: NOT_EXEMPT,
    UNCERTAIN: UNCERTAIN,
    NOT_APPLICABLE: NOT_APPLICABLE,
}
DUTY_TO_RULING = {
    MEETS: NOT_EXEMPT,
    FAILS: NOT_APPLICABLE,
    UNCERTAIN: UNCERTAIN,
    NOT_APPLICABLE: NOT_APPLICABLE,
}


def _best(items, key_confidence):
    return min(items, key=lambda i: CONFIDENCE_RANK[key_confidence(i)])


def _part_verdict(part: Part, verdict: Verdict | None, on: datetime.date) -> PartVerdict:
    if verdict is None:
        return PartVerdict(part, None, NOT_APPLICABLE, CONFIRMED, part.in_effect(on))
    table = EXEMPTION_TO_RULING if part.treatment in EXEMPTING else DUTY_TO_RULING
    outcome = table[verdict.outcome]
    finding = verdict.decisive
    if verdict.outcome == MEETS and part.treatment in EXEMPTING:
        reason = f"Every condition of {part.citation} met"
        if verdict.confidence != CONFIRMED:
            reason += f"; the least sure: {finding.brief[0].lower()}{finding.brief[1:]}"
    elif verdict.outcome == MEETS:
        reason = f"{finding.brief}; {part.citation} applies whatever the licence"
    else:
        reason = finding.brief
    return PartVerdict(part, verdict, outcome, verdict.confidence, reason, finding)


def rule_jurisdiction(facts: ModelFacts, parts: Iterable[Part], on: datetime.date) -> Ruling:
    """One jurisdiction's answer for a model on a day.

    Each condition is evaluated once, however many provisions set it. Then: one provision that
    leaves the model not exempt decides (the surest such reason is given); otherwise one
    uncertain provision makes the answer uncertain; otherwise one exemption met exempts it;
    otherwise no provision reaches it. A provision about AI systems built on the model decides
    nothing when others do.
    """
    parts = list(parts)
    if not parts:
        return Ruling(
            NO_DATA,
            "",
            "No condition data: the atlas records no openness condition for this jurisdiction.",
        )
    memo: dict[tuple, Finding] = {}
    shared: dict[tuple, list] = {}
    judged = []
    for part in parts:
        if part.in_effect(on):
            judged.append(_part_verdict(part, None, on))
            continue
        findings = []
        for rule in part.rules:
            if rule.key not in memo:
                memo[rule.key] = _finding(facts, rule)
            finding = dataclasses.replace(memo[rule.key], rule=rule)
            findings.append(finding)
            shared.setdefault(rule.key, [finding]).append((part.citation, part.url))
        verdict = Verdict(combine(f.outcome for f in findings), tuple(findings))
        judged.append(_part_verdict(part, verdict, on))
    conditions = tuple(
        SharedFinding(first, tuple(dict.fromkeys(cited))) for first, *cited in shared.values()
    )
    deciding = [j for j in judged if not j.part.about_systems] or judged

    def by(outcome):
        return [j for j in deciding if j.outcome == outcome]

    if chosen := by(NOT_EXEMPT):
        decisive, outcome = _best(chosen, lambda j: j.confidence), NOT_EXEMPT
        confidence = decisive.confidence
    elif chosen := by(UNCERTAIN):
        decisive, outcome, confidence = chosen[0], UNCERTAIN, JUDGEMENT
    elif chosen := by(EXEMPT):
        # All exemptions met are needed for "exempt" to hold everywhere: the least sure speaks.
        decisive = max(chosen, key=lambda j: CONFIDENCE_RANK[j.confidence])
        outcome, confidence = EXEMPT, decisive.confidence
    else:
        chosen = by(NOT_APPLICABLE)
        decisive, outcome = _best(chosen, lambda j: j.confidence), NOT_APPLICABLE
        confidence = decisive.confidence
    note = ""
    if outcome == NOT_EXEMPT:
        graced = [j.part for j in deciding if j.verdict and j.part.in_grace(facts, on)]
        if graced:
            part = graced[0]
            note = (
                f"Placed on the market before {_day(part.grace_placed_before)}: its provider "
                f"has until {_day(part.grace_until)} to comply ({part.grace_cited})."
            )
    cited = decisive.finding.rule.cited if decisive.finding else decisive.part.citation
    url = decisive.finding.rule.url if decisive.finding else decisive.part.url
    return Ruling(
        outcome,
        confidence,
        decisive.reason,
        cited,
        url,
        note,
        tuple(judged),
        conditions,
    )


@dataclass(frozen=True)
class Change:
    """The day a jurisdiction's answer changes for a model, the new answer and why."""

    on: datetime.date
    ruling: Ruling
    why: str


def _why(facts: ModelFacts, parts: list, before: datetime.date, on: datetime.date) -> str:
    reasons = []
    for part in parts:
        was, now = part.in_effect(before), part.in_effect(on)
        if was and not now:
            reasons.append(f"{part.citation} applies from {_day(on)}.")
        elif now and now != was:
            reasons.append(now)
        elif part.in_grace(facts, before) and not part.in_grace(facts, on):
            reasons.append(
                f"The transition for models placed on the market before "
                f"{_day(part.grace_placed_before)} ends ({part.grace_cited})."
            )
    return " ".join(dict.fromkeys(reasons))


def changes(facts: ModelFacts, parts: Iterable[Part], since: datetime.date) -> list[Change]:
    """Every day from ``since`` on which the jurisdiction's answer changes, in order: the days
    provisions start or stop applying and transitions end."""
    parts = list(parts)
    days = sorted({day for part in parts for day in part.dates if day and day > since})
    found = []
    previous = rule_jurisdiction(facts, parts, since)
    for day in days:
        ruling = rule_jurisdiction(facts, parts, day)
        if ruling.state != previous.state:
            found.append(Change(day, ruling, _why(facts, parts, day - datetime.timedelta(1), day)))
        previous = ruling
    return found
