"""The texts entered from the December 2026 fact bases are verbatim from the copies read, and
every text's heading follows from the legal value of the copy that was read."""

from pathlib import Path

import pytest

from provisions.models import EditorialState, ProvisionText, Verification
from provisions.models.texts import OFFICIAL_VALUES, LegalValue

NOTE_NAME = "docs/texts-read-2026-12-07.md"
NOTE = Path(__file__).resolve().parents[2] / NOTE_NAME

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]


def test_every_line_of_the_december_texts_is_in_the_note_of_texts_read():
    note = NOTE.read_text(encoding="utf-8")
    texts = ProvisionText.objects.filter(copy_read__contains=NOTE_NAME)
    assert texts.count() >= 20
    for text in texts:
        for line in text.body.splitlines():
            if line.strip() not in ("", "…", "[…]"):
                assert line.strip() in note, (text.pk, line[:60])


def test_the_december_note_names_a_copy_and_a_grade_for_every_passage():
    sections = NOTE.read_text(encoding="utf-8").split("\n## ")[1:]
    assert len(sections) >= 20
    for section in sections:
        heading = section.splitlines()[0]
        assert heading.endswith(("— official", "— secondary")), heading
        assert "Copy read:" in section, heading


def test_every_published_text_is_labelled_by_the_copy_that_was_read():
    """The heading, the wording and the schema.org value all come from the legal value; a text
    read only in a secondary copy is never "official" or "authentic"."""
    expected_heading = {
        (ProvisionText.Kind.AUTHENTIC, LegalValue.AUTHORITATIVE): "Authentic text",
        (ProvisionText.Kind.AUTHENTIC, LegalValue.FAITHFUL_COPY): "Official text",
        (
            ProvisionText.Kind.AUTHENTIC,
            LegalValue.OFFICIAL_NOT_AUTHORITATIVE,
        ): "Official text, no legal effect",
        (
            ProvisionText.Kind.OFFICIAL_TRANSLATION,
            LegalValue.OFFICIAL_NOT_AUTHORITATIVE,
        ): "Official reference translation, no legal effect",
    }
    texts = ProvisionText.objects.public()
    assert texts.count() >= 60
    for text in texts:
        provenance = text.provenance
        value = LegalValue(text.legal_value)
        if text.kind in (ProvisionText.Kind.UNOFFICIAL_TRANSLATION, ProvisionText.Kind.OURS):
            assert not provenance.is_official, text.pk
            assert provenance.heading == text.get_kind_display(), text.pk
        elif value == LegalValue.SECONDARY:
            assert text.verification != Verification.OFFICIAL or text.kind not in (
                ProvisionText.Kind.AUTHENTIC,
            ), text.pk
            assert provenance.heading == "Quoted from a secondary source", text.pk
            assert "Authentic" not in provenance.heading
            assert "official" not in provenance.heading.lower()
            assert not provenance.is_official
            assert provenance.schema_org == "https://schema.org/UnofficialLegalValue"
        else:
            assert value in OFFICIAL_VALUES
            # An official grade for the record, and the copy it names in the wording.
            assert text.verification == Verification.OFFICIAL, text.pk
            assert provenance.heading == expected_heading[(text.kind, value)], text.pk
            assert provenance.is_official
            if value != LegalValue.AUTHORITATIVE:
                assert text.copy_read[:40] in provenance.wording, text.pk
        assert text.state == EditorialState.PUBLISHED
        # The check date a text shows is backed by the copy it names.
        if text.checked_on:
            assert text.checked_copy, text.pk


def test_a_secondary_copy_of_an_official_text_is_a_quotation_with_its_source():
    text = ProvisionText(
        kind=ProvisionText.Kind.AUTHENTIC,
        legal_value=LegalValue.SECONDARY,
        copy_read="a tracker's verification note",
        source_url="https://www.govinfo.gov/",
    )
    assert text.provenance == (
        "Quoted from a secondary source",
        "Quoted from a tracker's verification note; not yet compared with the official text.",
        False,
        "https://schema.org/UnofficialLegalValue",
    )
