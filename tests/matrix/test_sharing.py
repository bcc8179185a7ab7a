"""Sharing: canonical links, Open Graph and Twitter cards, JSON-LD, and citations to download."""

import html
import json
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.builders import published as f

pytestmark = pytest.mark.django_db


def meta(page: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', page)
    assert match, f"no {key}"
    return html.unescape(match.group(1))


def canonical(page: str) -> str:
    match = re.search(r'<link rel="canonical" href="([^"]+)">', page)
    assert match
    return match.group(1)


def json_ld(page: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(b) for b in blocks]


@pytest.fixture
def world():
    world = f.matrix_world()
    world["argument"] = f.argument(
        slug="open-weights-help-research",
        title="Open weights help research",
        summary="Researchers can study models they can run.",
        provisions=[world["art_53"]],
    )
    return world


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_provision_page_has_canonical_open_graph_twitter_and_json_ld(client, world):
    art = world["art_53"]
    body = page(client, art.get_absolute_url() + "?utm_source=x")
    url = f"http://testserver{art.get_absolute_url()}"
    assert canonical(body) == url
    assert meta(body, "og:title") == "AI Act Art. 53(2)"
    assert meta(body, "og:description") == art.summary
    assert meta(body, "og:url") == url
    assert meta(body, "og:type") == "article"
    assert meta(body, "og:site_name") == "Openness Atlas"
    assert meta(body, "twitter:card") == "summary"
    assert meta(body, "twitter:title") == "AI Act Art. 53(2)"
    assert meta(body, "twitter:description") == art.summary

    [ld] = json_ld(body)
    assert ld["@context"] == "https://schema.org"
    assert ld["@type"] == "Legislation"
    assert ld["@id"] == ld["url"] == url
    assert ld["name"] == "AI Act Art. 53(2)"
    assert ld["legislationIdentifier"] == "Regulation (EU) 2024/1689 Art. 53(2)"
    assert ld["legislationJurisdiction"]["name"] == "European Union"
    assert ld["isPartOf"]["@type"] == "Legislation"
    assert ld["isPartOf"]["url"] == "http://testserver/eu/ai-act/"
    assert ld["legislationLegalForce"] == "https://schema.org/InForce"
    assert ld["abstract"] == art.summary


def test_instrument_page_has_meta_and_legislation_json_ld(client, world):
    body = page(client, "/eu/ai-act/")
    assert canonical(body) == "http://testserver/eu/ai-act/"
    assert meta(body, "og:title") == "AI Act: Artificial Intelligence Act"
    assert meta(body, "twitter:title") == "AI Act: Artificial Intelligence Act"
    [ld] = json_ld(body)
    assert ld["@type"] == "Legislation"
    assert ld["legislationIdentifier"] == "Regulation (EU) 2024/1689"
    assert ld["legislationDate"] == "2024-06-13"

    ended = json_ld(page(client, "/us/eo-14110/"))[0]
    assert ended["legislationLegalForce"] == "https://schema.org/NotInForce"


def test_argument_and_comparison_pages_have_meta(client, world):
    argument = world["argument"]
    body = page(client, argument.get_absolute_url())
    assert meta(body, "og:title") == "Open weights help research"
    assert meta(body, "og:description") == "Researchers can study models they can run."
    assert meta(body, "twitter:card") == "summary"
    assert canonical(body) == f"http://testserver{argument.get_absolute_url()}"

    # A filtered matrix is a view of one page: its canonical link is the page itself.
    body = page(client, "/?j=eu&topic=exemptions")
    assert canonical(body) == "http://testserver/"
    assert meta(body, "og:title") == "Open-source AI models"
    assert meta(body, "twitter:title") == "Open-source AI models"


def test_json_ld_cannot_close_its_script_element(client, world):
    art = world["art_53"]
    art.summary = 'Tricky </script><script>alert("x")</script> & <!-- text'
    art.save()
    body = page(client, art.get_absolute_url())
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert json.loads(block)["abstract"] == art.summary
    # Editors' text in meta attributes is escaped, not raw.
    assert 'content="Tricky &lt;/script&gt;' in body


def test_provision_page_offers_plain_bibtex_and_ris_with_permalink_and_access_date(client, world):
    art = world["art_53"]
    body = page(client, art.get_absolute_url())
    today = timezone.localdate()
    permalink = f"http://testserver{art.get_absolute_url()}"
    assert 'id="cite-ris"' in body
    ris = html.unescape(re.search(r'<pre id="cite-ris">(.*?)</pre>', body, re.S).group(1))
    assert f"UR  - {permalink}" in ris
    assert f"Y2  - {today:%Y/%m/%d}" in ris
    for kind in ("txt", "bib", "ris"):
        assert f'href="{art.get_absolute_url()}cite.{kind}"' in body


def test_citation_downloads(client, world):
    art = world["art_53"]
    today = timezone.localdate()
    permalink = f"http://testserver{art.get_absolute_url()}"

    ris = client.get(f"{art.get_absolute_url()}cite.ris")
    assert ris.status_code == 200
    assert ris["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert ris["Content-Disposition"] == 'attachment; filename="atlas-eu-ai-act-art-53-2.ris"'
    lines = ris.content.decode().split("\r\n")
    assert lines[0] == "TY  - STAT"
    assert "TI  - AI Act Art. 53(2): Artificial Intelligence Act" in lines
    assert "AU  - European Union" in lines
    assert "PY  - 2024" in lines
    assert f"UR  - {permalink}" in lines
    assert f"Y2  - {today:%Y/%m/%d}" in lines
    assert lines[-2:] == ["ER  -", ""]

    bib = client.get(f"{art.get_absolute_url()}cite.bib").content.decode()
    assert bib.startswith("@misc{atlas-eu-ai-act-art-53-2,")
    assert f"\\url{{{permalink}}}" in bib and today.isoformat() in bib
    txt = client.get(f"{art.get_absolute_url()}cite.txt").content.decode()
    assert permalink in txt and f"accessed {today.isoformat()}" in txt


def test_citation_download_of_a_draft_or_unknown_format_is_404(client, world):
    assert client.get("/eu/ai-act/art-draft/cite.ris").status_code == 404
    assert client.get("/cn/draft-law/art-1/cite.ris").status_code == 404
    assert client.get("/eu/ai-act/art-53-2/cite.exe").status_code == 404


def test_ris_values_stay_on_one_line(client, world):
    act = world["ai_act"]
    act.title = "Artificial Intelligence Act\r\nTY  - JOUR"
    act.save()
    lines = client.get("/eu/ai-act/art-53-2/cite.ris").content.decode().split("\r\n")
    assert [line for line in lines if line.startswith("TY")] == ["TY  - STAT"]


def test_pages_of_a_jurisdiction_offer_its_feed_and_every_page_the_atlas_feed(client, world):
    feed = (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Openness Atlas: what changed in European Union" href="/feeds/eu.atom">'
    )
    for path in ["/eu/", "/eu/ai-act/", "/eu/ai-act/art-53-2/"]:
        body = page(client, path)
        assert feed in body, path
        assert 'href="/feeds/changes.atom"' in body
    assert 'href="/api/docs/"' in page(client, "/")


class HeadText(HTMLParser):
    """The text a browser would find loose in <head> (outside <title> and <script>)."""

    def __init__(self):
        super().__init__()
        self.open, self.in_head, self.loose = [], False, []

    def handle_starttag(self, tag, attrs):
        self.in_head = self.in_head or tag == "head"
        if tag in ("title", "script", "style"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        elif self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        if self.in_head and not self.open and data.strip():
            self.loose.append(data.strip())


def test_the_head_holds_only_elements_no_stray_text(client, world):
    """Text loose in <head> is moved by browsers to the top of the visible page.

    Found by make mutation: sharing.json_ld__mutmut_15 wrapped the JSON-LD element in "XX…XX".
    """
    art = world["art_53"]
    for path in ("/", art.get_absolute_url(), art.instrument.get_absolute_url()):
        parser = HeadText()
        parser.feed(page(client, path))
        assert parser.loose == [], path
