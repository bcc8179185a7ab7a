"""The content audit of 7 Dec 2026: each of its findings N1–N15 (and the partly fixed E2 and
E18 of the audit before it) is checked on the shipped data, as a reader of the site would meet
it. Each assertion fails on the value the audit found.
"""

import datetime
import json
import re

import pytest

from provisions.models import (
    EditorialState,
    Instrument,
    InstrumentEvent,
    Jurisdiction,
    ModelProfile,
    Provision,
    ProvisionText,
    Silence,
    StatusBadge,
    Treatment,
    Verification,
)
from provisions.models.texts import LegalValue

PUBLISHED = EditorialState.PUBLISHED
AUDIT_DAY = datetime.date(2026, 12, 7)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]


def diffusion_rule() -> Instrument:
    return Instrument.objects.get(jurisdiction__code="us", slug="ai-diffusion-rule")


def test_diffusion_rule_is_in_force_but_not_enforced_and_never_shown_as_ended(client):
    """N1 / E2: no rescission was published in the Federal Register."""
    rule = diffusion_rule()
    assert rule.ended_on is None
    assert not rule.has_ended
    assert "RIN 0694-AJ90" in rule.identifier
    assert rule.status_note.startswith("In the CFR, not enforced.")
    provision = rule.provisions.get(slug="eccn-4e091")
    assert provision.status_on(AUDIT_DAY) == (StatusBadge.IN_FORCE, None)
    page = client.get(provision.get_absolute_url()).content.decode()
    assert "Ended 13 May 2025" not in page
    assert "Not enforced; rescission announced" in page


def test_no_timeline_event_says_art_6_1_applies_in_2027():
    """N2: Regulation (EU) 2026/1744 moved Art. 6(1) to 2 Aug 2028."""
    in_2027 = InstrumentEvent.objects.filter(
        instrument__slug="ai-act", date=datetime.date(2027, 8, 2)
    )
    for event in in_2027:
        assert not event.description.startswith("Art. 6(1) applies"), event.description
    assert InstrumentEvent.objects.filter(
        instrument__slug="ai-act", date=datetime.date(2028, 8, 2)
    ).exists()


def test_brazil_open_formats_clause_is_a_simplified_regime_not_an_exclusion():
    """N3: Art. 1 §2 I mandates simplified regimes; Art. 30 §1 refuses an open-source carve-out."""
    bill = Instrument.objects.get(jurisdiction__code="br", slug="pl-2338-2023")
    assert "Aguardando Parecer" in bill.status_note
    open_formats = bill.provisions.get(label="Art. 1, § 2, I")
    assert open_formats.state == PUBLISHED
    assert open_formats.treatment != Treatment.EXEMPTS_CONDITIONALLY
    assert "simplified" in open_formats.summary
    art_30 = bill.provisions.get(label="Art. 30, § 1")
    assert art_30.state == PUBLISHED
    assert art_30.treatment == Treatment.NO_EXEMPTION
    authentic = art_30.texts.get(kind=ProvisionText.Kind.AUTHENTIC)
    assert "fornecido sob licenças gratuitas e de código aberto" in authentic.body
    assert not Provision.objects.filter(instrument=bill, label__contains="as reported").exists()


def test_us_approach_no_longer_says_the_executive_orders_promote_open_models():
    """N4: only the (non-binding) Action Plan promotes open models."""
    approach = Jurisdiction.objects.get(code="us").approach
    assert "executive orders and AI Action Plan promote" not in approach
    assert "do not mention open models" in approach


def test_olmo_2_is_not_said_to_meet_the_osi_definition():
    """N10: only the first OLMo passed the OSI's validation (the data part)."""
    analyses = json.dumps(
        list(ModelProfile.objects.filter(slug="olmo-2").values()), default=str, ensure_ascii=False
    )
    assert "It also meets the OSI's definition" not in analyses


def test_llama_user_clause_is_fixed_at_the_release_date():
    """N9 (data part): the clause counts users on the release date, it is no running threshold."""
    profile = ModelProfile.objects.get(slug="llama-2-70b")
    assert "release date" in profile.licence_clauses


def test_texts_read_in_secondary_copies_are_not_called_authentic():
    """N7: EO 14409 §3(c), the Action Plan, the "AI+" sentence were headed "Authentic text"."""
    for text in ProvisionText.objects.published().filter(kind=ProvisionText.Kind.AUTHENTIC):
        provenance = text.provenance
        if text.legal_value == LegalValue.SECONDARY:
            assert provenance.heading == "Quoted from a secondary source", text.pk
            assert not provenance.is_official, text.pk
    action_plan = ProvisionText.objects.get(provision__instrument__slug="ai-action-plan")
    assert action_plan.provenance.heading == "Quoted from a secondary source"


def test_eo_14110_sec_4_6_now_carries_the_federal_register_wording():
    """N7: the page showed the White House typography under the Federal Register's name."""
    text = ProvisionText.objects.get(
        provision__instrument__slug="eo-14110", provision__slug="sec-4-6"
    )
    assert "widely available—such as when they are publicly posted on the internet—there" in (
        text.body
    )
    assert "Internet" not in text.body
    assert text.legal_value == LegalValue.AUTHORITATIVE
    assert "not yet compared" not in text.copy_read
    assert text.published_in == "88 Fed. Reg. 75191, 75203 (Nov. 1, 2023)"
    assert text.provenance.heading == "Authentic text"


def test_consolidated_versions_and_reference_translations_are_not_authentic():
    """N8 (and the law.go.kr English): official, but without legal effect."""
    consolidated = ProvisionText.objects.filter(copy_read__contains="consolidated text")
    assert consolidated.count() == 3
    for text in consolidated:
        assert text.legal_value == LegalValue.OFFICIAL_NOT_AUTHORITATIVE
        assert text.provenance.heading == "Official text, no legal effect"
    korean_english = ProvisionText.objects.get(
        provision__instrument__slug="ai-basic-act", language="en"
    )
    assert korean_english.provenance.heading == "Official reference translation, no legal effect"


def test_eu_promotion_cell_is_not_a_finding_of_silence():
    """N11: the AI Act's silence does not speak for EU funding of open models."""
    promotion = Silence.objects.published().filter(
        jurisdiction__code="eu", topics__slug="promotion"
    )
    assert not promotion.exists()


def test_omnibus_events_cite_the_secondary_sources_they_rest_on():
    """N12: secondary events cited the OJ; the framework's "completion" cited the June order."""
    for event in InstrumentEvent.objects.filter(pk__in=[1005, 1006, 1007, 1008]):
        assert event.verification == Verification.SECONDARY
        assert "eur-lex.europa.eu" not in event.source_url, event.pk
        assert event.source_url.startswith("https://"), event.pk
    completion = InstrumentEvent.objects.get(pk=1017)
    assert completion.verification == Verification.UNVERIFIED
    assert "govinfo.gov" not in completion.source_url


def test_aisgf_2_links_its_release_page_not_an_experts_commentary():
    """N14 / E18 (second half)."""
    framework = Instrument.objects.get(slug="ai-safety-governance-framework-2")
    assert framework.official_url != "https://www.cac.gov.cn/2025-09/27/c_1760700225736170.htm"
    assert "not opened by us" in framework.status_note


def test_about_page_does_not_promise_that_nothing_unverified_is_shown(client):
    """N15: unverified timeline events and earlier labels are shown, marked."""
    page = client.get("/about/").content.decode()
    assert "is never shown here" not in page
    assert re.search(r"unverified[^.]*shown[^.]*marked", page, re.IGNORECASE)


def test_chinese_binding_rules_the_audit_found_unread_are_now_findings():
    """Coverage (section 4a): "Says nothing" rested on two texts; the Deep Synthesis
    technical-supporter duties were drafts with no text."""
    for slug in ("algorithmic-recommendation", "deep-synthesis"):
        rule = Instrument.objects.get(jurisdiction__code="cn", slug=slug)
        assert rule.state == PUBLISHED
        assert rule.silences.published().exists(), slug
    supporters = Provision.objects.public().filter(
        instrument__slug="deep-synthesis", texts__body__contains="技术支持者"
    )
    assert supporters.distinct().count() >= 3
