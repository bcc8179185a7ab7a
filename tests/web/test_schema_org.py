"""Provision and instrument pages carry schema.org ``Legislation`` metadata as JSON-LD: it
parses, uses only schema.org terms, and states the official identifiers, the dates and the
amending act a version is based on, from the stored data."""

import json
import re

import pytest

from tests.builders import published as make

pytestmark = pytest.mark.django_db

# Every term the atlas may write, each checked on its schema.org page (schema.org/<Term>,
# read 2026-12-07): the types, then the properties. A term outside this list fails the test, so
# a typo ("legislationIdentifer") or an invented property never reaches a harvester.
SCHEMA_ORG_TYPES = {"AdministrativeArea", "Legislation", "LegislationObject"}
SCHEMA_ORG_PROPERTIES = {
    "abstract",
    "alternateName",
    "contentUrl",
    "dateModified",
    "datePublished",
    "headline",
    "inLanguage",
    "isBasedOn",
    "isPartOf",
    "legislationChanges",
    "legislationDate",
    "legislationDateVersion",
    "legislationIdentifier",
    "legislationJurisdiction",
    "legislationLegalForce",
    "legislationLegalValue",
    "legislationType",
    "name",
    "sameAs",
    "url",
    "version",
    "workExample",
}
JSON_LD_KEYWORDS = {"@context", "@id", "@type"}


def jsonld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, "one JSON-LD block per page"
    return json.loads(blocks[0])


def terms(node, found=None):
    """Every key and every @type in a JSON-LD tree."""
    found = set() if found is None else found
    if isinstance(node, list):
        for item in node:
            terms(item, found)
    elif isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key == "@type":
                found.add(f"type:{value}")
            terms(value, found)
    return found


def assert_schema_org_only(data: dict):
    assert data["@context"] == "https://schema.org"
    used = terms(data)
    types = {t.removeprefix("type:") for t in used if t.startswith("type:")}
    assert types <= SCHEMA_ORG_TYPES, types - SCHEMA_ORG_TYPES
    keys = {t for t in used if not t.startswith("type:")}
    assert keys <= SCHEMA_ORG_PROPERTIES | JSON_LD_KEYWORDS, keys - SCHEMA_ORG_PROPERTIES


@pytest.mark.usefixtures("atlas")
class TestTheDataset:
    def test_art_53_2_is_legislation_part_of_the_ai_act_with_its_celex_and_eli(self, client):
        data = jsonld(client.get("/eu/ai-act/art-53-2/").content.decode())
        assert_schema_org_only(data)
        assert data["@type"] == "Legislation"
        assert data["@id"] == data["url"] == "http://testserver/eu/ai-act/art-53-2/"
        act = data["isPartOf"]
        assert act["@type"] == "Legislation"
        assert act["legislationIdentifier"] == [
            "Regulation (EU) 2024/1689",
            "http://data.europa.eu/eli/reg/2024/1689/oj",
            "CELEX:32024R1689",
        ]
        assert act["legislationDate"] == "2024-06-13"
        assert act["datePublished"] == "2024-07-12"
        assert "isBasedOn" not in data  # the original text: no amendment to name

    def test_the_amended_art_25_4_is_based_on_the_omnibus(self, client):
        data = jsonld(client.get("/eu/ai-act/art-25-4/?as_of=2026-12-07").content.decode())
        assert_schema_org_only(data)
        assert data["legislationDateVersion"] == "2026-07-27"
        assert data["isBasedOn"] == [
            {
                "@type": "Legislation",
                "@id": "http://testserver/eu/digital-omnibus-ai/",
                "name": "Regulation (EU) 2026/1744",
            }
        ]
        [text] = data["workExample"]
        assert text["@type"] == "LegislationObject" and text["inLanguage"] == "en"
        assert text["version"].startswith("As amended by Regulation (EU) 2026/1744")
        # Read in the EUR-Lex consolidated version: official, without legal effect.
        assert text["legislationLegalValue"] == "https://schema.org/OfficialLegalValue"
        before = jsonld(client.get("/eu/ai-act/art-25-4/?as_of=2025-01-01").content.decode())
        assert "isBasedOn" not in before and "legislationDateVersion" not in before

    def test_eo_14110_carries_its_federal_register_citation(self, client):
        data = jsonld(client.get("/us/eo-14110/sec-4-6/").content.decode())
        assert_schema_org_only(data)
        assert data["isPartOf"]["legislationIdentifier"][1:] == [
            "88 FR 75191",
            "FR Doc. 2023-24283",
        ]
        assert data["isPartOf"]["datePublished"] == "2023-11-01"

    def test_the_omnibus_page_says_which_act_it_changes(self, client):
        data = jsonld(client.get("/eu/digital-omnibus-ai/").content.decode())
        assert_schema_org_only(data)
        assert data["legislationChanges"] == [{"@id": "http://testserver/eu/ai-act/"}]
        assert "CELEX:32026R1744" in data["legislationIdentifier"]

    def test_eo_14148_changes_the_order_it_revokes(self, client):
        data = jsonld(client.get("/us/eo-14148/").content.decode())
        assert_schema_org_only(data)
        assert {"@id": "http://testserver/us/eo-14110/"} in data["legislationChanges"]


def test_a_version_label_cannot_close_the_script_element(client):
    provision = make.provision()
    make.text(
        provision=provision,
        version_label="</script><script>alert(1)</script> & more",
        **make.editorial,
    )
    html = client.get(provision.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    [text] = jsonld(html)["workExample"]
    assert text["version"] == "</script><script>alert(1)</script> & more"
