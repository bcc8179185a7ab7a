"""Official identifiers as data: every EU instrument carries its CELEX number (and its ELI where
one exists), every US federal instrument printed in the Federal Register its FR citation and
document number, each as ../shared/research/identifiers-2026-12.md states it (checked
2026-12-07); and a mistyped identifier is a form error, never a stored typo."""

import pytest
from django.core.exceptions import ValidationError

from provisions.models import Instrument

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]

# EU instruments the fact base gives no CELEX number: Commission documents on soft law are not
# published in the Official Journal, and the Code of Practice has no official number at all.
EU_WITHOUT_CELEX = {
    "gpai-guidelines": "C(2025) 5045 final",
    "gpai-code-of-practice": "",
    "training-content-summary-template": "C(2025) 8311 final",
    "openeurollm-funding": "",
    # The fact base derives 32024L2853 from the CELEX pattern without having read it: left out.
    "product-liability-directive": "",
}
# US federal instruments never printed in the Federal Register (reports, plans, papers).
US_NOT_IN_FEDERAL_REGISTER = {
    "ai-bill-of-rights",
    "ntia-open-weights-report",
    "ai-action-plan",
    "caisi-deepseek-evaluation",
    "kratsios-india-remarks-2026",
    "gao-b-337935",
}


def by_slug(code):
    return {i.slug: i for i in Instrument.objects.filter(jurisdiction__code=code)}


def test_every_eu_instrument_has_its_celex_number_or_the_number_the_fact_base_gives():
    eu = by_slug("eu")
    assert eu["ai-act"].celex == "32024R1689"
    assert eu["ai-act"].eli == "http://data.europa.eu/eli/reg/2024/1689/oj"
    assert eu["digital-omnibus-ai"].celex == "32026R1744"
    assert eu["digital-omnibus-ai"].eli == "http://data.europa.eu/eli/reg/2026/1744/oj"
    for slug, instrument in eu.items():
        if slug in EU_WITHOUT_CELEX:
            assert not instrument.celex, slug
            assert instrument.document_number == EU_WITHOUT_CELEX[slug], slug
        else:
            assert instrument.celex, f"{slug} has no CELEX number"
        # Every act in the Official Journal has an ELI; documents outside it have none.
        if instrument.kind == Instrument.Kind.REGULATION:
            assert instrument.eli.startswith("http://data.europa.eu/eli/"), slug
            assert instrument.published_on, slug


def test_every_us_federal_instrument_in_the_federal_register_has_its_citation():
    us = by_slug("us")
    assert (us["eo-14110"].fr_citation, us["eo-14110"].fr_document_number) == (
        "88 FR 75191",
        "2023-24283",
    )
    assert str(us["eo-14110"].published_on) == "2023-11-01"
    assert (us["eo-14148"].fr_citation, us["eo-14148"].fr_document_number) == (
        "90 FR 8237",
        "2025-01901",
    )
    assert us["ai-diffusion-rule"].fr_citation == "90 FR 4544"
    for slug, instrument in us.items():
        if slug in US_NOT_IN_FEDERAL_REGISTER:
            assert not instrument.fr_citation, slug
            continue
        assert instrument.fr_citation, f"{slug} has no Federal Register citation"
        assert instrument.fr_document_number, slug
        assert instrument.published_on, slug


def test_chinese_document_numbers_and_bill_numbers_are_as_printed():
    cn = by_slug("cn")
    assert cn["ai-plus-opinions"].document_number == "国发〔2025〕11号"  # full-width brackets
    assert cn["ai-content-labelling-measures"].document_number == "国信办通字〔2025〕2号"
    assert cn["genai-interim-measures"].document_number.endswith("国家广播电视总局令 第15号")
    assert Instrument.objects.get(slug="pl-2338-2023").bill_number == "PL 2338/2023"
    assert Instrument.objects.get(slug="sb-1047").bill_number == "SB-1047 (2023–2024)"


@pytest.mark.parametrize(
    ("field", "typo"),
    [
        ("celex", "2024R1689"),
        ("eli", "data.europa.eu/reg/2024/1689"),
        ("fr_citation", "88 Fed. Reg. 75191"),
        ("fr_document_number", "2023–24283"),  # the printed en dash, not the hyphen
    ],
)
def test_a_mistyped_identifier_is_a_form_error_naming_the_expected_form(field, typo):
    instrument = Instrument.objects.get(slug="ai-act")
    setattr(instrument, field, typo)
    with pytest.raises(ValidationError) as error:
        instrument.full_clean()
    assert field in error.value.message_dict
    assert "such as" in error.value.message_dict[field][0]
