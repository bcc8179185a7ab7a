"""Citations lead with the official citation, built from the identifiers stored as data, then
the atlas permalink: OSCOLA and Bluebook for the AI Act's Art. 53(2) and EO 14110 Sec. 4.6,
compared whole (forms from ../shared/research/identifiers-2026-12.md)."""

import datetime
import html

import pytest

from comparisons.records.citations import bluebook_citation, oscola_citation
from provisions.models import Provision
from provisions.models.texts import authentic_text
from provisions.queries import published_texts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]

ACCESSED = datetime.date(2026, 12, 7)


def provision(instrument, slug):
    found = (
        Provision.objects.public()
        .select_related("instrument__jurisdiction")
        .prefetch_related(published_texts())
        .get(instrument__slug=instrument, slug=slug)
    )
    return found, authentic_text(found.public_texts, ACCESSED)


def test_oscola_for_art_53_2_leads_with_the_regulation_number():
    found, text = provision("ai-act", "art-53-2")
    permalink = "https://atlas.example.org/eu/ai-act/art-53-2/"
    assert oscola_citation(found, permalink, ACCESSED, text) == (
        "Regulation (EU) 2024/1689, art 53(2) "
        "<https://atlas.example.org/eu/ai-act/art-53-2/> accessed 7 December 2026"
    )


def test_bluebook_for_eo_14110_sec_4_6_pins_the_federal_register_page():
    found, text = provision("eo-14110", "sec-4-6")
    permalink = "https://atlas.example.org/us/eo-14110/sec-4-6/"
    assert bluebook_citation(found, permalink, ACCESSED, text) == (
        "Exec. Order No. 14,110, § 4.6, 88 Fed. Reg. 75,191, 75,203 (Nov. 1, 2023), "
        "https://atlas.example.org/us/eo-14110/sec-4-6/ (last visited Dec. 7, 2026)"
    )


def test_oscola_for_eo_14110_sec_4_6_cites_it_as_the_home_jurisdiction_does():
    found, text = provision("eo-14110", "sec-4-6")
    permalink = "https://atlas.example.org/us/eo-14110/sec-4-6/"
    assert oscola_citation(found, permalink, ACCESSED, text) == (
        "Executive Order 14110 of 30 October 2023, Safe, Secure, and Trustworthy Development "
        "and Use of Artificial Intelligence, 88 Fed Reg 75191 (1 November 2023) s 4.6 "
        "<https://atlas.example.org/us/eo-14110/sec-4-6/> accessed 7 December 2026"
    )


def test_a_provision_without_a_known_page_cites_the_first_page_only():
    # Only Sec. 4.6 itself has a page in the fact base; its paragraphs get none invented.
    found, text = provision("eo-14110", "sec-4-6-b")
    cited = bluebook_citation(found, "https://x/", ACCESSED, text)
    assert cited.startswith("Exec. Order No. 14,110, § 4.6(b), 88 Fed. Reg. 75,191 (Nov. 1, 2023),")


def test_the_provision_page_and_the_download_carry_the_same_strings(client):
    page = html.unescape(client.get("/us/eo-14110/sec-4-6/").content.decode())
    expected = (
        "Exec. Order No. 14,110, § 4.6, 88 Fed. Reg. 75,191, 75,203 (Nov. 1, 2023), "
        "http://testserver/us/eo-14110/sec-4-6/ "
    )
    assert expected in page
    download = client.get("/us/eo-14110/sec-4-6/cite.bluebook").content.decode()
    assert download.startswith(expected)
    eu = client.get("/eu/ai-act/art-53-2/cite.oscola").content.decode()
    assert eu.startswith(
        "Regulation (EU) 2024/1689, art 53(2) <http://testserver/eu/ai-act/art-53-2/> accessed "
    )
