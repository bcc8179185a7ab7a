"""The evaluation of a model against a provision's openness conditions (provisions.openness).

Pure functions over dataclasses: no database. Each test builds the facts it needs from an open
model that meets every condition and changes one thing.
"""

import dataclasses
import datetime

import pytest

from provisions import openness
from provisions.models.ai_models import Check
from provisions.openness import (
    FAILS,
    MEETS,
    NOT_APPLICABLE,
    UNCERTAIN,
    ModelFacts,
    Rule,
    SourceRef,
    evaluate,
    flop,
    outcome_label,
)

OPEN = ModelFacts(
    name="Open model",
    licence_name="Apache-2.0",
    weights_access="open",
    grants_access=True,
    grants_use=True,
    grants_modification=True,
    grants_redistribution=True,
    architecture_public=True,
    usage_info_public=True,
    training_compute_flop=1e24,
    compute_confidence="reported",
    provider_in_eu=False,
)

# Art. 53(2) as the dataset states it, without the texts (irrelevant to the logic).
ART_53_2 = [
    Rule(Check.LICENCE_RIGHTS, citation="AI Act Art. 53(2)"),
    Rule(Check.NOT_RESEARCH_ONLY, citation="GPAI guidelines", pinpoint="§4.2.1"),
    Rule(Check.NO_USER_SCALE_CAP, citation="GPAI guidelines", pinpoint="§4.2.1"),
    Rule(Check.NO_SEPARATE_LICENCE),
    Rule(Check.NO_GEOGRAPHIC_EXCLUSION),
    Rule(Check.USE_LIMITS_PROPORTIONATE),
    Rule(Check.NOT_MONETISED),
    Rule(Check.WEIGHTS_PUBLIC),
    Rule(Check.ARCHITECTURE_PUBLIC),
    Rule(Check.USAGE_INFO_PUBLIC),
    Rule(Check.COMPUTE_AT_MOST, threshold=1e25, citation="AI Act Art. 51(2)"),
    Rule(Check.NOT_DESIGNATED),
]


def verdict(**changes):
    return evaluate(dataclasses.replace(OPEN, **changes), ART_53_2)


def reasons(result):
    return {f.rule.kind: f for f in result.reasons}


def test_an_open_model_meets_every_condition_and_each_finding_says_why():
    result = evaluate(OPEN, ART_53_2)
    assert result.outcome == MEETS
    assert len(result.findings) == len(ART_53_2)
    assert all(f.outcome == MEETS for f in result.findings)
    compute = next(f for f in result.findings if f.rule.kind == Check.COMPUTE_AT_MOST)
    assert "below 10^25 FLOP" in compute.fact


def test_a_provision_without_conditions_gives_no_verdict():
    assert evaluate(OPEN, []) is None


@pytest.mark.parametrize(
    ("changes", "kind", "words"),
    [
        ({"user_cap": 700_000_000}, Check.NO_USER_SCALE_CAP, "700,000,000 monthly active users"),
        ({"revenue_cap_usd": 1_000_000}, Check.NO_USER_SCALE_CAP, "USD 1,000,000"),
        ({"research_only": True}, Check.NOT_RESEARCH_ONLY, "research or non-commercial"),
        ({"separate_commercial_licence": True}, Check.NO_SEPARATE_LICENCE, "separate licence"),
        ({"geographic_exclusion": "EU excluded."}, Check.NO_GEOGRAPHIC_EXCLUSION, "EU excluded"),
        ({"grants_redistribution": False}, Check.LICENCE_RIGHTS, "does not grant redistribution"),
        ({"paid_access": True}, Check.NOT_MONETISED, "paid for"),
        ({"weights_access": "api_only"}, Check.WEIGHTS_PUBLIC, "not published"),
        ({"weights_access": "none"}, Check.WEIGHTS_PUBLIC, "not published"),
        ({"architecture_public": False}, Check.ARCHITECTURE_PUBLIC, "architecture is not public"),
        ({"training_compute_flop": 3e25}, Check.COMPUTE_AT_MOST, "presumed to have systemic risk"),
        ({"systemic_risk": "designated"}, Check.NOT_DESIGNATED, "designated"),
        ({"use_restrictions": "proprietary"}, Check.USE_LIMITS_PROPORTIONATE, "proprietary"),
    ],
)
def test_one_disqualifying_fact_fails_the_provision_with_that_reason(changes, kind, words):
    result = verdict(**changes)
    assert result.outcome == FAILS
    assert set(reasons(result)) == {kind}
    assert words in reasons(result)[kind].fact


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({"use_restrictions": "updatable"}, Check.USE_LIMITS_PROPORTIONATE),
        ({"use_restrictions": "broad"}, Check.USE_LIMITS_PROPORTIONATE),
        ({"scale_duty_users": 100_000_000}, Check.NO_USER_SCALE_CAP),
        ({"weights_access": "personal_data_gate"}, Check.NOT_MONETISED),
        (
            {"training_compute_flop": None, "compute_confidence": "undisclosed"},
            Check.COMPUTE_AT_MOST,
        ),
        ({"grants_modification": None}, Check.LICENCE_RIGHTS),
        ({"usage_info_public": None}, Check.USAGE_INFO_PUBLIC),
    ],
)
def test_judgement_or_a_missing_fact_makes_it_uncertain(changes, kind):
    result = verdict(**changes)
    assert result.outcome == UNCERTAIN
    assert set(reasons(result)) == {kind}


def test_a_failure_outweighs_an_uncertainty_and_only_failures_are_the_reasons():
    result = verdict(research_only=True, use_restrictions="updatable")
    assert result.outcome == FAILS
    assert set(reasons(result)) == {Check.NOT_RESEARCH_ONLY}


def test_a_fact_marked_uncertain_never_decides_either_way():
    # The cap would fail the model, but the licence fact is not confirmed: uncertain.
    doubtful = verdict(user_cap=700_000_000, uncertain=frozenset({"licence"}))
    assert doubtful.outcome == UNCERTAIN
    assert "Not confirmed by a checked source" in reasons(doubtful)[Check.NO_USER_SCALE_CAP].fact
    # And a condition it would meet is uncertain too.
    assert verdict(uncertain=frozenset({"compute"})).outcome == UNCERTAIN
    # A fact the conditions do not use changes nothing.
    assert verdict(uncertain=frozenset({"code_of_practice"})).outcome == MEETS


@pytest.mark.parametrize(
    ("value", "confidence", "outcome"),
    [
        (9e24, "reported", MEETS),  # a reported figure is taken as it stands
        (1.1e25, "reported", FAILS),
        (1e25, "reported", MEETS),  # "greater than 10^25": exactly 10^25 is not above
        (8e24, "likely", UNCERTAIN),  # within the margin of a likely estimate
        (6e24, "likely", MEETS),
        (2.1e25, "likely", FAILS),
        (3.8e25, "speculative", FAILS),
        (5e24, "speculative", UNCERTAIN),
    ],
)
def test_compute_estimates_count_only_when_far_enough_from_the_threshold(
    value, confidence, outcome
):
    result = verdict(training_compute_flop=value, compute_confidence=confidence)
    assert result.outcome == outcome


def test_compute_above_reaches_the_model_a_duty_covers():
    frontier = [Rule(Check.COMPUTE_ABOVE, threshold=1e26, citation="SB 53")]
    assert (
        evaluate(dataclasses.replace(OPEN, training_compute_flop=2e26), frontier).outcome == MEETS
    )
    assert evaluate(OPEN, frontier).outcome == FAILS
    unknown = dataclasses.replace(OPEN, training_compute_flop=None)
    assert evaluate(unknown, frontier).outcome == UNCERTAIN


def test_the_representative_exemption_needs_a_provider_outside_the_eu():
    rules = [Rule(Check.PROVIDER_OUTSIDE_EU)]
    assert evaluate(OPEN, rules).outcome == MEETS
    # Art. 54 binds only providers established outside the EU: for one inside, the exemption is
    # out of reach, not failed.
    in_eu = evaluate(dataclasses.replace(OPEN, provider_in_eu=True), rules)
    assert in_eu.outcome == NOT_APPLICABLE
    assert evaluate(dataclasses.replace(OPEN, provider_in_eu=None), rules).outcome == UNCERTAIN


def test_how_a_system_is_placed_on_the_market_is_always_a_judgement():
    assert evaluate(OPEN, [Rule(Check.SYSTEM_USE)]).outcome == UNCERTAIN


def test_every_kind_of_condition_can_be_evaluated():
    for kind in Check.values:
        threshold = 1e25 if kind.startswith("compute") else None
        assert evaluate(OPEN, [Rule(kind, threshold=threshold)]).outcome in (
            MEETS,
            FAILS,
            UNCERTAIN,
        )


def test_reasons_cite_the_legal_text_with_its_pinpoint():
    result = verdict(user_cap=100_000_000)
    finding = reasons(result)[Check.NO_USER_SCALE_CAP]
    assert finding.rule.cited == "GPAI guidelines, §4.2.1"


def test_labels_fit_the_provision():
    assert outcome_label(MEETS, "exempts_conditionally") == "Meets the conditions"
    assert outcome_label(FAILS, "exempts_conditionally") == "Does not meet them"
    assert outcome_label(MEETS, "no_exemption") == "Reached"
    assert outcome_label(FAILS, "requires") == "Not reached"


@pytest.mark.parametrize(
    ("value", "text"),
    [(1e25, "10^25 FLOP"), (3.8e25, "3.8 × 10^25 FLOP"), (2.13e25, "2.13 × 10^25 FLOP")],
)
def test_flop_reads_as_a_power_of_ten(value, text):
    assert flop(value) == text


# Every sentence a finding can give, exactly as the model pages and the API show it ("because …").
# Found by make mutation (model-checker): most sentences were pinned by a few words only, so a
# changed or emptied sentence, a wrong join of the missing rights or a lost duty went unnoticed.
SENTENCES = [
    # (rule, changes to the open model, outcome, sentence)
    (Check.LICENCE_RIGHTS, {}, MEETS,
     "Apache-2.0 grants access, use, modification and redistribution."),
    (Check.LICENCE_RIGHTS, {"grants_redistribution": False}, FAILS,
     "Apache-2.0 does not grant redistribution."),
    (Check.LICENCE_RIGHTS, {"grants_use": False, "grants_redistribution": False}, FAILS,
     "Apache-2.0 does not grant use or redistribution."),
    (Check.LICENCE_RIGHTS,
     {"grants_access": False, "grants_use": False, "grants_modification": False}, FAILS,
     "Apache-2.0 does not grant access, use or modification."),
    (Check.LICENCE_RIGHTS, {"grants_access": False, "grants_use": None}, FAILS,
     "Apache-2.0 does not grant access."),
    (Check.LICENCE_RIGHTS, {"grants_modification": None}, UNCERTAIN,
     "Not known whether Apache-2.0 grants modification."),
    (Check.LICENCE_RIGHTS, {"grants_access": None, "grants_redistribution": None}, UNCERTAIN,
     "Not known whether Apache-2.0 grants access or redistribution."),
    (Check.NOT_RESEARCH_ONLY, {}, MEETS,
     "Apache-2.0 has no research-only or non-commercial limit."),
    (Check.NOT_RESEARCH_ONLY, {"research_only": True}, FAILS,
     "Apache-2.0 allows only research or non-commercial use."),
    (Check.NO_USER_SCALE_CAP, {}, MEETS, "Apache-2.0 sets no user-scale or revenue threshold."),
    (Check.NO_USER_SCALE_CAP,
     {"user_cap": 700_000_000, "revenue_cap_usd": 5, "scale_duty_users": 1}, FAILS,
     "Apache-2.0 requires a further licence from the provider above 700,000,000 monthly active "
     "users."),
    (Check.NO_USER_SCALE_CAP, {"revenue_cap_usd": 1_000_000, "scale_duty_users": 1}, FAILS,
     "Apache-2.0 ends, or a paid licence is needed, above USD 1,000,000 of annual revenue."),
    (Check.NO_USER_SCALE_CAP,
     {"scale_duty_users": 100_000_000, "naming_duty": "show “Built with Open”"}, UNCERTAIN,
     "Above 100,000,000 monthly active users Apache-2.0 imposes a duty (show “Built with Open”), "
     "but withholds no right and asks no payment. Whether a scale-triggered duty counts as a "
     "usage restriction triggered by user scale needs judgement."),
    (Check.NO_USER_SCALE_CAP, {"scale_duty_users": 1_000}, UNCERTAIN,
     "Above 1,000 monthly active users Apache-2.0 imposes a duty, but withholds no right and "
     "asks no payment. Whether a scale-triggered duty counts as a usage restriction triggered "
     "by user scale needs judgement."),
    (Check.NO_SEPARATE_LICENCE, {}, MEETS, "Apache-2.0 needs no separate licence for any use."),
    (Check.NO_SEPARATE_LICENCE, {"separate_commercial_licence": True}, FAILS,
     "Under Apache-2.0, some uses (commercial use, hosting …) need a separate licence from the "
     "provider."),
    (Check.NO_GEOGRAPHIC_EXCLUSION, {}, MEETS, "Apache-2.0 excludes nobody by country."),
    (Check.NO_GEOGRAPHIC_EXCLUSION, {"geographic_exclusion": "Not licensed in the EU."}, FAILS,
     "Apache-2.0: Not licensed in the EU."),
    (Check.USE_LIMITS_PROPORTIONATE, {}, MEETS, "Apache-2.0 sets no use restrictions."),
    (Check.USE_LIMITS_PROPORTIONATE, {"use_restrictions": "law_only"}, MEETS,
     "Apache-2.0 asks only that the law be complied with."),
    (Check.USE_LIMITS_PROPORTIONATE, {"use_restrictions": "safety"}, MEETS,
     "Apache-2.0 sets only specific safety-oriented limits."),
    # A kind the checker does not know (written past the form, e.g. by an import) reads as
    # none (openness._use_limits mutants 11, 13, 20, 21 changed or dropped that sentence).
    (Check.USE_LIMITS_PROPORTIONATE, {"use_restrictions": "unheard_of"}, MEETS,
     "Apache-2.0 sets no use restrictions."),
    (Check.USE_LIMITS_PROPORTIONATE, {"use_restrictions": "proprietary"}, FAILS,
     "Apache-2.0 is proprietary terms of service."),
    (Check.USE_LIMITS_PROPORTIONATE, {"use_restrictions": "broad"}, UNCERTAIN,
     "Apache-2.0 lists use restrictions that bind every derivative. Some may be specific safety "
     "limits, others broad bans on fields of use: that needs judgement."),
    (Check.USE_LIMITS_PROPORTIONATE, {"use_restrictions": "updatable"}, UNCERTAIN,
     "Apache-2.0 binds users to a use policy the licensor may update. Whether its terms stay "
     "specific, proportionate and safety-oriented needs judgement."),
    (Check.NOT_MONETISED, {}, MEETS,
     "No payment is required to obtain or use the model, and no personal data is asked for "
     "access (optional paid services do not count)."),
    (Check.NOT_MONETISED, {"paid_access": True, "weights_access": "personal_data_gate"}, FAILS,
     "Some use of the model must be paid for (a paid licence above a scale or for commercial "
     "use, mandatory paid services)."),
    (Check.NOT_MONETISED, {"weights_access": "personal_data_gate"}, UNCERTAIN,
     "Downloading the weights asks for personal data; that counts as monetisation unless it is "
     "strictly for security, which needs judgement."),
    (Check.WEIGHTS_PUBLIC, {}, MEETS, "The weights are published (downloadable without "
     "conditions)."),
    (Check.WEIGHTS_PUBLIC, {"weights_access": "licence_gate"}, MEETS,
     "The weights are published (downloadable after accepting the licence)."),
    (Check.WEIGHTS_PUBLIC, {"weights_access": "api_only"}, FAILS,
     "The weights of Open model are not published."),
    (Check.ARCHITECTURE_PUBLIC, {}, MEETS, "Information on the model's architecture is public."),
    (Check.ARCHITECTURE_PUBLIC, {"architecture_public": False}, FAILS,
     "Information on the model's architecture is not public."),
    (Check.ARCHITECTURE_PUBLIC, {"architecture_public": None}, UNCERTAIN,
     "Not known whether information on the model's architecture is public."),
    (Check.USAGE_INFO_PUBLIC, {}, MEETS, "Information on the model's usage is public."),
    (Check.USAGE_INFO_PUBLIC, {"usage_info_public": False}, FAILS,
     "Information on the model's usage is not public."),
    (Check.USAGE_INFO_PUBLIC, {"usage_info_public": None}, UNCERTAIN,
     "Not known whether information on the model's usage is public."),
    (Check.NOT_DESIGNATED, {}, MEETS,
     "No Commission designation or provider notification as a model with systemic risk was "
     "found (the compute presumption is a separate condition)."),
    (Check.NOT_DESIGNATED, {"systemic_risk": "designated"}, FAILS,
     "Open model is designated or notified as a model with systemic risk."),
    (Check.PROVIDER_OUTSIDE_EU, {}, MEETS, "The provider is established outside the EU."),
    (Check.PROVIDER_OUTSIDE_EU, {"provider_in_eu": True}, NOT_APPLICABLE,
     "The provider is established in the EU: the provision binds only providers established "
     "outside it, so there is no representative duty to be exempt from."),
    (Check.PROVIDER_OUTSIDE_EU, {"provider_in_eu": None}, UNCERTAIN,
     "Not known where the provider is established."),
    (Check.SYSTEM_USE, {}, UNCERTAIN,
     "Depends on the AI system built on the model and how that system is placed on the market "
     "(high-risk, Art. 5 or Art. 50), not on the model's release."),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "changes", "outcome", "sentence"), SENTENCES)
def test_each_finding_says_exactly_why(kind, changes, outcome, sentence):
    [finding] = evaluate(dataclasses.replace(OPEN, **changes), [Rule(kind)]).findings
    assert (finding.outcome, finding.fact) == (outcome, sentence)


# The two documentation checks are made by `_documented(attribute, what)` once, when the module
# builds its CHECKS table at import. Making them again inside a test runs that code where a test
# sees it (mutation testing changes the code only after the import, so the table alone hides it).
DOCUMENTED = {
    Check.ARCHITECTURE_PUBLIC: ("architecture_public", "architecture"),
    Check.USAGE_INFO_PUBLIC: ("usage_info_public", "usage"),
}


@pytest.mark.parametrize(
    ("kind", "changes", "outcome", "sentence"), [row for row in SENTENCES if row[0] in DOCUMENTED]
)
def test_the_documentation_checks_made_again_give_the_same_findings(
    monkeypatch, kind, changes, outcome, sentence
):
    monkeypatch.setitem(openness.CHECKS, kind, openness._documented(*DOCUMENTED[kind]))
    [finding] = evaluate(dataclasses.replace(OPEN, **changes), [Rule(kind)]).findings
    assert (finding.outcome, finding.fact) == (outcome, sentence)


AT_MOST = Rule(Check.COMPUTE_AT_MOST, threshold=1e25)
ABOVE = Rule(Check.COMPUTE_ABOVE, threshold=1e26)


@pytest.mark.parametrize(
    ("rule", "changes", "outcome", "sentence"),
    [
        (AT_MOST, {}, MEETS,
         "Training compute: 10^24 FLOP (reported by the provider). That is below 10^25 FLOP."),
        (AT_MOST, {"training_compute_flop": 3.8e25, "compute_confidence": "likely",
                   "compute_source": "Epoch AI"}, FAILS,
         "Training compute: 3.8 × 10^25 FLOP (third-party estimate, likely, Epoch AI). That is "
         "presumably above (an estimate) 10^25 FLOP: presumed to have systemic risk."),
        (AT_MOST, {"training_compute_flop": 8e24, "compute_confidence": "likely"}, UNCERTAIN,
         "Training compute: 8 × 10^24 FLOP (third-party estimate, likely). Too close to 10^25 "
         "FLOP for an estimate of this confidence."),
        (AT_MOST, {"training_compute_flop": None, "compute_confidence": "undisclosed"}, UNCERTAIN,
         "Training compute is undisclosed and has no published estimate."),
        (ABOVE, {"training_compute_flop": 2e26}, MEETS,
         "Training compute: 2 × 10^26 FLOP (reported by the provider). That is above 10^26 FLOP."),
        (ABOVE, {}, FAILS,
         "Training compute: 10^24 FLOP (reported by the provider). That is not above 10^26 FLOP."),
    ],
)  # fmt: skip
def test_a_compute_finding_gives_the_figure_its_confidence_and_the_threshold(
    rule, changes, outcome, sentence
):
    [finding] = evaluate(dataclasses.replace(OPEN, **changes), [rule]).findings
    assert (finding.outcome, finding.fact) == (outcome, sentence)


@pytest.mark.parametrize(
    ("value", "confidence", "outcome"),
    [
        (1.5e25, "likely", FAILS),  # exactly the margin away is far enough
        (2e25, "confident", FAILS),
        (2e25, "estimate", FAILS),
        (1.2e25, "atlas", UNCERTAIN),
        (2e25, "undisclosed", FAILS),  # a figure of unrecorded confidence: a margin of 1.5
        (1.2e25, "undisclosed", UNCERTAIN),
    ],
)
def test_compute_margins_by_confidence(value, confidence, outcome):
    rules = [AT_MOST]
    facts = dataclasses.replace(OPEN, training_compute_flop=value, compute_confidence=confidence)
    assert evaluate(facts, rules).outcome == outcome


def test_a_doubtful_fact_is_named_and_the_first_checked_source_is_cited():
    """The "not confirmed" note lists each doubtful fact; the finding cites the source of the
    first fact it rests on that has one."""
    licence = SourceRef("Licence text", "https://example.org/licence", "official")
    gate = SourceRef("Download page", "https://example.org/download", "secondary")
    facts = dataclasses.replace(
        OPEN,
        uncertain=frozenset({"licence", "access_gate"}),
        sources={"access_gate": gate},
    )
    [finding] = evaluate(facts, [Rule(Check.NOT_MONETISED)]).findings
    assert finding.outcome == UNCERTAIN
    assert finding.fact.endswith(
        " (Not confirmed by a checked source: licence and its clauses, what downloading the "
        "weights asks for.)"
    )
    assert finding.source == gate
    facts = dataclasses.replace(OPEN, sources={"access_gate": gate, "licence": licence})
    [finding] = evaluate(facts, [Rule(Check.NOT_MONETISED)]).findings
    assert (finding.outcome, finding.source) == (MEETS, licence)
    [finding] = evaluate(facts, [Rule(Check.WEIGHTS_PUBLIC)]).findings
    assert finding.source is None
    # Each condition rests on its own facts: doubt about the weights alone leaves the licence.
    doubtful = dataclasses.replace(OPEN, uncertain=frozenset({"weights"}))
    assert evaluate(doubtful, [Rule(Check.LICENCE_RIGHTS)]).outcome == MEETS
    assert evaluate(doubtful, [Rule(Check.WEIGHTS_PUBLIC)]).outcome == UNCERTAIN
    for kind, fact in [
        (Check.ARCHITECTURE_PUBLIC, "documentation"),
        (Check.USAGE_INFO_PUBLIC, "documentation"),
        (Check.COMPUTE_AT_MOST, "compute"),
        (Check.NOT_DESIGNATED, "systemic_risk"),
        (Check.PROVIDER_OUTSIDE_EU, "provider"),
        (Check.NO_GEOGRAPHIC_EXCLUSION, "licence"),
        (Check.NO_SEPARATE_LICENCE, "licence"),
        (Check.USE_LIMITS_PROPORTIONATE, "licence"),
        (Check.NOT_RESEARCH_ONLY, "licence"),
        (Check.NO_USER_SCALE_CAP, "licence"),
    ]:
        rule = Rule(kind, threshold=1e25 if kind == Check.COMPUTE_AT_MOST else None)
        shaky = dataclasses.replace(OPEN, uncertain=frozenset({fact}))
        assert evaluate(shaky, [rule]).outcome == UNCERTAIN, kind


def test_one_failure_decides_then_one_uncertainty_then_all_met():
    rules = [Rule(Check.PROVIDER_OUTSIDE_EU), Rule(Check.SYSTEM_USE), Rule(Check.WEIGHTS_PUBLIC)]
    assert evaluate(OPEN, rules).outcome == UNCERTAIN
    assert evaluate(OPEN, rules[::2]).outcome == MEETS
    closed = dataclasses.replace(OPEN, weights_access="none")
    assert evaluate(closed, rules).outcome == FAILS
    assert evaluate(closed, rules[::-1]).outcome == FAILS


# -- confidence, and one answer per jurisdiction ---------------------------------------------

RISK = Rule(Check.COMPUTE_AT_MOST, threshold=1e25, citation="AI Act Art. 51(2)", rebuttable=True)


@pytest.mark.parametrize(
    ("changes", "outcome", "confidence", "words"),
    [
        # The provider's own figure above a rebuttable threshold: presumed, never confirmed.
        ({"training_compute_flop": 3.8e25}, FAILS, openness.PRESUMED,
         "That is above 10^25 FLOP: presumed (rebuttably) to have systemic risk."),
        # Any third party's estimate, however far: "presumably", an estimate.
        ({"training_compute_flop": 3.8e25, "compute_confidence": "speculative"}, FAILS,
         openness.PRESUMED, "presumably above (an estimate) 10^25 FLOP"),
        ({"training_compute_flop": 1e24, "compute_confidence": "confident"}, MEETS,
         openness.PRESUMED, "presumably below (an estimate) 10^25 FLOP"),
        ({}, MEETS, openness.CONFIRMED, "That is below 10^25 FLOP."),
        # Undisclosed, but too small to reach it on any published number of tokens.
        ({"training_compute_flop": None, "compute_confidence": "undisclosed",
          "parameters": 7.3e9}, MEETS, openness.PRESUMED, "2.3 × 10^14 training tokens"),
        # Undisclosed and large enough that it could: uncertain.
        ({"training_compute_flop": None, "compute_confidence": "undisclosed",
          "parameters": 70e9}, UNCERTAIN, openness.JUDGEMENT, "undisclosed"),
    ],
)  # fmt: skip
def test_a_compute_finding_says_how_sure_it_is(changes, outcome, confidence, words):
    [finding] = evaluate(dataclasses.replace(OPEN, **changes), [RISK]).findings
    assert (finding.outcome, finding.confidence) == (outcome, confidence)
    assert words in finding.fact


def test_a_release_date_cap_is_described_as_a_one_time_test():
    facts = dataclasses.replace(
        OPEN,
        user_cap=700_000_000,
        user_cap_on_release=True,
        release_date=datetime.date(2024, 7, 23),
    )
    [finding] = evaluate(facts, [Rule(Check.NO_USER_SCALE_CAP)]).findings
    assert finding.outcome == FAILS
    assert "in the month before the release date (23 July 2024)" in finding.fact
    assert "one-time test" in finding.fact


ART_53_2_PART = openness.Part(
    "AI Act Art. 53(2)",
    "exempts_conditionally",
    (*ART_53_2[:-2], RISK, ART_53_2[-1]),
    applies_from=datetime.date(2025, 8, 2),
    grace_placed_before=datetime.date(2025, 8, 2),
    grace_until=datetime.date(2027, 8, 2),
    grace_cited="AI Act Art. 111(3)",
)
ART_54_6_PART = openness.Part(
    "AI Act Art. 54(6)",
    "exempts_conditionally",
    (*ART_53_2[:-2], RISK, Rule(Check.PROVIDER_OUTSIDE_EU)),
    applies_from=datetime.date(2025, 8, 2),
)
ART_51_2_PART = openness.Part(
    "AI Act Art. 51(2)",
    "no_exemption",
    (Rule(Check.COMPUTE_ABOVE, threshold=1e25, rebuttable=True),),
    applies_from=datetime.date(2025, 8, 2),
)
ART_2_12_PART = openness.Part(
    "AI Act Art. 2(12)", "exempts_conditionally", (Rule(Check.SYSTEM_USE),)
)
EU = [ART_2_12_PART, ART_51_2_PART, ART_53_2_PART, ART_54_6_PART]
DAY = datetime.date(2026, 12, 7)


def rule(on=DAY, parts=EU, **changes):
    return openness.rule_jurisdiction(dataclasses.replace(OPEN, **changes), parts, on)


def test_an_open_model_below_the_threshold_is_exempt_confirmed():
    result = rule()
    assert (result.outcome, result.confidence) == (openness.EXEMPT, openness.CONFIRMED)
    # Art. 2(12) turns on the system built on the model: shown, never decisive.
    assert openness.UNCERTAIN in {p.outcome for p in result.parts}


def test_a_shared_condition_is_evaluated_and_shown_once():
    result = rule()
    keys = [s.finding.rule.key for s in result.conditions]
    assert len(keys) == len(set(keys))
    licence = next(s for s in result.conditions if s.finding.rule.kind == Check.LICENCE_RIGHTS)
    assert [c for c, _ in licence.citations] == ["AI Act Art. 53(2)", "AI Act Art. 54(6)"]


def test_the_surest_reason_decides_a_not_exempt():
    result = rule(training_compute_flop=3.8e25, research_only=True)
    assert (result.outcome, result.confidence) == (openness.NOT_EXEMPT, openness.CONFIRMED)
    assert "research or non-commercial" in result.reason
    presumed = rule(training_compute_flop=3.8e25)
    assert (presumed.outcome, presumed.confidence) == (openness.NOT_EXEMPT, openness.PRESUMED)
    assert "systemic risk" in presumed.reason


def test_an_eu_provider_is_exempt_under_53_2_and_out_of_reach_of_54_6():
    result = rule(provider_in_eu=True)
    assert result.outcome == openness.EXEMPT
    assert {p.part.citation: p.outcome for p in result.parts}["AI Act Art. 54(6)"] == (
        NOT_APPLICABLE
    )


def test_uncertain_outweighs_exempt_and_says_it_needs_judgement():
    result = rule(use_restrictions="updatable")
    assert (result.outcome, result.confidence) == (UNCERTAIN, openness.JUDGEMENT)
    assert "may update" in result.reason


def test_dates_decide_whether_the_provisions_apply_and_the_transition():
    before = rule(on=datetime.date(2025, 8, 1))
    assert before.outcome == NOT_APPLICABLE
    assert before.reason == "AI Act Art. 51(2) applies from 2 August 2025."
    legacy = {"research_only": True, "release_date": datetime.date(2024, 7, 23)}
    during = rule(**legacy)
    assert during.note == (
        "Placed on the market before 2 August 2025: its provider has until 2 August 2027 to "
        "comply (AI Act Art. 111(3))."
    )
    assert rule(on=datetime.date(2027, 8, 2), **legacy).note == ""
    # A model placed on the market later gets no transition.
    assert rule(research_only=True, release_date=datetime.date(2025, 9, 1)).note == ""


def test_the_changes_are_the_days_the_answer_changes_with_why():
    facts = dataclasses.replace(OPEN, research_only=True, release_date=datetime.date(2024, 7, 23))
    found = openness.changes(facts, EU, datetime.date(2024, 7, 23))
    assert [(c.on, c.ruling.outcome) for c in found] == [
        (datetime.date(2025, 8, 2), openness.NOT_EXEMPT),
        (datetime.date(2027, 8, 2), openness.NOT_EXEMPT),
    ]
    assert "AI Act Art. 53(2) applies from 2 August 2025." in found[0].why
    assert found[1].why == (
        "The transition for models placed on the market before 2 August 2025 ends "
        "(AI Act Art. 111(3))."
    )


def test_a_bill_binds_nobody_and_no_data_says_so():
    bill = openness.Part(
        "PL 2338/2023 Art. 30 §1",
        "exempts_conditionally",
        (Rule(Check.LICENCE_RIGHTS),),
        status="proposed",
        adopted_on=None,
    )
    result = rule(parts=[bill])
    assert result.outcome == NOT_APPLICABLE
    assert result.reason == (
        "PL 2338/2023 Art. 30 §1: a bill or proposal, not law; it binds nobody unless enacted."
    )
    assert rule(parts=[]).outcome == openness.NO_DATA


def test_a_duty_without_an_open_source_exemption_is_not_exempt_and_needs_judgement():
    """China's Deep Synthesis duties on technical supporters: no exemption whatever the
    licence; whether publishing weights makes one a technical supporter is the open question."""
    duty = openness.Part(
        "Deep Synthesis Provisions Art. 15",
        "no_exemption",
        (Rule(Check.APPLIES_WHATEVER_LICENCE, citation="Deep Synthesis Provisions Art. 15"),),
    )
    result = rule(parts=[duty])
    assert (result.outcome, result.confidence) == (openness.NOT_EXEMPT, openness.JUDGEMENT)
    assert result.reason == (
        "No open-source exemption exists; Deep Synthesis Provisions Art. 15 applies whatever the "
        "licence"
    )
    # Even for a model under the most permissive licence.
    assert rule(parts=[duty], licence_name="MIT").outcome == openness.NOT_EXEMPT
