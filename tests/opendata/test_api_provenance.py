"""The API says of every text what the pages say: its legal value, the heading that follows from
the copy that was read, and, for every record, whether its date is a check or only an entry."""

import pytest

from comparisons.matrix.filters import BADGE_CHOICES
from provisions.models import Instrument, ProvisionText
from provisions.models.texts import LegalValue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]


def every_page(client, url):
    while url:
        body = client.get(url).json()
        yield from body["results"]
        url = body["next"]


def test_every_published_text_in_the_api_carries_the_label_its_copy_earns(client):
    texts = {text.pk: text for text in ProvisionText.objects.public()}
    seen = 0
    # Every standing, ended provisions too (the API leaves those out by default, as the matrix).
    statuses = "&".join(f"status={badge}" for badge, _ in BADGE_CHOICES)
    for provision in every_page(client, f"/api/provisions/?page_size=100&{statuses}"):
        for shown in provision["texts"]:
            text = texts[shown["id"]]
            provenance = text.provenance
            assert (shown["legal_value"], shown["heading"], shown["provenance"]) == (
                text.legal_value,
                provenance.heading,
                provenance.wording,
            )
            if shown["legal_value"] == LegalValue.SECONDARY:
                # A quotation, or a translation by others: never the law's official words.
                assert shown["heading"] in (
                    "Quoted from a secondary source",
                    text.get_kind_display(),
                )
                assert shown["kind"] != ProvisionText.Kind.OFFICIAL_TRANSLATION or (
                    shown["heading"] == "Quoted from a secondary source"
                )
            seen += 1
    assert seen == len(texts)


def test_an_unchecked_record_has_no_check_date_in_the_api_only_its_entry(client):
    """Records the fact bases did not re-read say when they were entered, and no check date."""
    unchecked = Instrument.objects.published().filter(checked_on__isnull=True).first()
    assert unchecked is not None, "every instrument has a check of its own: test something else"
    shown = client.get(f"/api/instruments/{unchecked.pk}/").json()
    assert shown["checked_on"] is None
    assert shown["entered_on"] == unchecked.entered_on.isoformat()
    checked = Instrument.objects.published().filter(checked_on__isnull=False).first()
    shown = client.get(f"/api/instruments/{checked.pk}/").json()
    assert (shown["checked_on"], shown["checked_against"]) == (
        checked.checked_on.isoformat(),
        checked.checked_against,
    )
