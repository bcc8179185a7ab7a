"""The evaluation of a model against a provision's openness conditions (provisions.openness).

Pure functions over dataclasses: no database. Each test builds the facts it needs from an open
model that meets every condition and changes one thing.
"""

import dataclasses

import pytest

from provisions.models.ai_models import Check
from provisions.openness import (
    FAILS,
    MEETS,
    UNCERTAIN,
    ModelFacts,
    Rule,
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
    assert evaluate(dataclasses.replace(OPEN, provider_in_eu=True), rules).outcome == FAILS
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
