"""How much of the world the atlas has reviewed: ``atlas_stats``'s coverage lines and the
jurisdictions that default views may show as columns."""

import io
import re

import pytest
from django.core.management import call_command

from provisions.models import (
    EditorialState,
    Instrument,
    Jurisdiction,
    ProvisionText,
    Silence,
    Verification,
)
from tests.builders import published as make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]


def stats() -> str:
    out = io.StringIO()
    call_command("atlas_stats", stdout=out)
    return out.getvalue()


def test_atlas_stats_shows_ten_reviewed_jurisdictions_fifty_instruments_and_every_binding_finding():
    text = stats()
    reviewed = re.search(r"jurisdictions with a reviewed finding\s+(\d+) \(([^)]*)\)", text)
    assert int(reviewed.group(1)) >= 10
    assert reviewed.group(2) == "us, eu, cn, us-ca, us-ny, kr, uk, jp, br, ca"
    assert re.search(r"being reviewed\s+in, sg\n", text)
    published = int(re.search(r"published instruments\s+(\d+)", text).group(1))
    assert published == Instrument.objects.published().count() >= 50
    assert "binding instruments read in Dec 2026   15, 15 published with a finding\n" in text


def test_atlas_stats_prints_texts_by_legal_value_and_the_oldest_check_per_jurisdiction():
    text = stats()
    korea = text.split("\n  kr\n")[1].split("\n  uk\n")[0]
    assert "texts        3 (1 official_not_authoritative, 2 faithful_copy)" in korea
    assert "oldest check 2026-11-30" in korea
    # India: nothing checked of its own; its one instrument says "entered on".
    india = text.split("\n  in\n")[1].split("\n  ca\n")[0]
    assert "oldest check none recorded; oldest entry without a check 2026-11-30" in india
    texts = ProvisionText.objects.public()
    total = sum(int(n) for n in re.findall(r"\n    texts +(\d+)", text))
    assert total == texts.count()


def test_only_jurisdictions_with_a_reviewed_finding_are_default_columns():
    codes = list(Jurisdiction.objects.with_reviewed_findings().values_list("code", flat=True))
    assert codes == ["us", "eu", "cn", "us-ca", "us-ny", "kr", "uk", "jp", "br", "ca", "reference"]
    assert list(Jurisdiction.objects.being_reviewed().values_list("code", flat=True)) == [
        "in",
        "sg",
    ]


def test_a_published_finding_of_silence_is_enough_and_a_draft_is_not():
    singapore = Jurisdiction.objects.get(code="sg")
    framework = singapore.instruments.get()
    draft = Silence.objects.create(
        jurisdiction=singapore,
        statement="The framework says nothing about open weights.",
        scope="Texts searched: the whole framework. Terms searched: open.",
        reviewed_on="2026-12-07",
        source_url=framework.official_url,
        verification=Verification.OFFICIAL,
        checked_on="2026-12-07",
    )
    assert singapore not in Jurisdiction.objects.with_reviewed_findings()
    draft.state = EditorialState.PUBLISHED
    draft.save()
    assert singapore in Jurisdiction.objects.with_reviewed_findings()


def test_a_provision_of_an_unpublished_instrument_is_no_reviewed_finding():
    india = Jurisdiction.objects.get(code="in")
    guidelines = india.instruments.get()
    guidelines.state = EditorialState.DRAFT
    guidelines.save()
    make.provision(instrument=guidelines)  # published, but its instrument is not
    assert india not in Jurisdiction.objects.with_reviewed_findings()
