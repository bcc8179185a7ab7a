"""Search against the shipped dataset with the queries people type.

Each row: what a reader types, the kind of record and the page it must lead to, and the rank
that page must reach among that kind (1 for an exact citation). The dataset is loaded once for
the module, as tests/dataset/test_dataset.py does, and rolled back at the end.
"""

import json
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comparisons.search.engine import search

P, INS, A = "provisions", "instruments", "arguments"

QUERIES = [
    # Citations, in the forms people write them: exact ones rank first.
    ("Art. 53(2)", P, "/eu/ai-act/art-53-2/", 1),
    ("Article 53(2)", P, "/eu/ai-act/art-53-2/", 1),
    ("art 53 2", P, "/eu/ai-act/art-53-2/", 1),
    ("Art. 53.2", P, "/eu/ai-act/art-53-2/", 1),
    ("53(2)", P, "/eu/ai-act/art-53-2/", 1),
    ("53.2", P, "/eu/ai-act/art-53-2/", 1),
    ("AI Act Art. 53(2)", P, "/eu/ai-act/art-53-2/", 1),
    ("Art 53(1)(a)", P, "/eu/ai-act/art-53-1-a/", 1),
    ("Article 53(1)", P, "/eu/ai-act/art-53-1/", 1),
    ("Arts. 53(2) and 54(6)", P, "/eu/ai-act/art-54-6/", 2),
    ("AI Act Article 54(6)", P, "/eu/ai-act/art-54-6/", 1),
    ("Recital 104", P, "/eu/ai-act/recital-104/", 1),
    ("recital 102", P, "/eu/ai-act/recital-102/", 1),
    ("section 4.6", P, "/us/eo-14110/sec-4-6/", 1),
    ("Sec. 4.6(b)", P, "/us/eo-14110/sec-4-6-b/", 1),
    ("§ 4.6(a)(i)", P, "/us/eo-14110/sec-4-6-a-i/", 1),
    ("EO 14110 section 4.6(a)", P, "/us/eo-14110/sec-4-6-a/", 1),
    ("Executive Order 14110 Sec. 4.6", P, "/us/eo-14110/sec-4-6/", 1),
    ("§22757.12(a)(7)", P, "/us-ca/sb-53/bpc-22757-12-a-7/", 1),
    ("第二条", P, "/cn/genai-interim-measures/art-2-para-3/", 1),
    ("第七条", P, "/cn/genai-interim-measures/art-7-1/", 1),
    # Instruments by their numbers and identifiers.
    ("EO 14110", INS, "/us/eo-14110/", 1),
    ("Executive Order 14110", INS, "/us/eo-14110/", 1),
    ("SB 53", INS, "/us-ca/sb-53/", 1),
    ("SB-1047", INS, "/us-ca/sb-1047/", 1),
    ("Regulation (EU) 2024/1689", INS, "/eu/ai-act/", 1),
    ("COM(2025) 836", INS, "/eu/digital-omnibus-ai/", 1),
    ("FR Doc. 2025-01901", INS, "/us/eo-14148/", 1),
    ("2023-24283", INS, "/us/eo-14110/", 1),
    ("国发〔2025〕11号", INS, "/cn/ai-plus-opinions/", 1),
    # The 2024 draft numbers commentary still uses.
    ("52c(-2)", P, "/eu/ai-act/art-53-2/", 1),
    ("Art. 52c(-2)", P, "/eu/ai-act/art-53-2/", 1),
    ("60i", P, "/eu/ai-act/recital-102/", 1),
    ("Recital 60i+1", P, "/eu/ai-act/recital-103/", 1),
    ("2(5g)", P, "/eu/ai-act/art-2-12/", 1),
    ("Art. 28(2b)", P, "/eu/ai-act/art-25-4/", 1),
    ("Recital 57e", P, "/eu/ai-act/recital-89/", 1),
    # Both spellings, hyphenation, synonyms.
    ("licence", A, "/arguments/llama-2-open-weights-not-open-source/", 1),
    ("license", A, "/arguments/llama-2-open-weights-not-open-source/", 1),
    ("monetized", P, "/eu/ai-act/art-53-2/", 5),
    ("monetised", P, "/eu/ai-act/art-53-2/", 5),
    ("authorized representative", P, "/eu/ai-act/art-54-6/", 1),
    ("authorised representative", P, "/eu/ai-act/art-54-6/", 1),
    # Among a dozen binding open-source provisions since the Cyber Resilience Act's were entered.
    ("open source", P, "/eu/ai-act/art-53-2/", 15),
    ("open-source", P, "/eu/ai-act/art-53-2/", 15),
    ("opensource", P, "/eu/ai-act/art-53-2/", 15),
    ("widely available model weights", INS, "/us/ntia-open-weights-report/", 1),
    ("open weights", INS, "/us/ntia-open-weights-report/", 1),
    # Sources: titles and authors.
    ("BadLlama", A, "/arguments/safety-fine-tuning-can-be-removed/", 2),
    ("Gopal", A, "/arguments/open-weights-could-spread-pandemic-agents/", 1),
    ("Shevlane", A, "/arguments/structured-access/", 1),
    # Chinese terms.
    ("开源", P, "/cn/ai-plus-opinions/open-source-ecosystem/", 1),
    ("生成式人工智能", P, "/cn/genai-interim-measures/art-2-para-3/", 1),
    ("生成式人工智能", INS, "/cn/genai-interim-measures/", 1),
    ("行业组织", P, "/cn/genai-interim-measures/art-2-para-3/", 1),
    ("训练数据处理活动", P, "/cn/genai-interim-measures/art-7-1/", 1),
    ("开源贡献", P, "/cn/ai-plus-opinions/open-source-ecosystem/", 1),
    ("人工智能生成合成内容标识办法", INS, "/cn/ai-content-labelling-measures/", 1),
    # The December 2026 texts: the Deep Synthesis and Algorithmic Recommendation provisions.
    ("深度合成", INS, "/cn/deep-synthesis/", 1),
    ("深度合成技术", P, "/cn/deep-synthesis/art-23/", 1),
    ("训练数据管理", P, "/cn/deep-synthesis/art-14/", 1),
    ("算法推荐", INS, "/cn/algorithmic-recommendation/", 1),
    # Japanese and Portuguese titles, Korean texts.
    ("人工知能関連技術", INS, "/jp/ai-promotion-act/", 1),
    ("研究開発及び活用の推進", INS, "/jp/ai-promotion-act/", 1),
    ("Marco Legal da Inteligência Artificial", INS, "/br/pl-2338-2023/", 1),
    ("inteligência artificial", INS, "/br/pl-2338-2023/", 1),
    ("Projeto de Lei 2338", INS, "/br/pl-2338-2023/", 1),
    # PL 2338/2023's authentic Portuguese text, by its own words.
    ("propósito geral", P, "/br/pl-2338-2023/art-30-para-1/", 1),
    ("código aberto", P, "/br/pl-2338-2023/art-30-para-1/", 1),
    ("desenvolvimento tecnológico nacional", P, "/br/pl-2338-2023/art-1-para-2-i/", 1),
    ("국내대리인", P, "/kr/ai-basic-act/art-36-1/", 1),
    # Partial old labels: the provisions they may mean.
    ("Art 52c", P, "/eu/ai-act/art-53-2/", 3),
    ("52c", P, "/eu/ai-act/art-53-2/", 3),
    ("Art. 52ca", P, "/eu/ai-act/art-54-6/", 3),
    # Typos, corrected: the corrected query's results.
    ("open sorce exemption", P, "/eu/gpai-guidelines/open-source-exemptions/", 1),
    ("sytemic risk", P, "/eu/ai-act/art-52-1/", 1),
    ("licnese", A, "/arguments/llama-2-open-weights-not-open-source/", 1),
    ("authorised represntative", P, "/eu/ai-act/art-54-6/", 1),
    ("exemptoin", P, "/eu/ai-act/art-53-2/", 5),
    # The law's own words rank the law that says them first.
    ("systemic risk", P, "/eu/ai-act/art-52-1/", 1),
    ("systemic risks", P, "/eu/ai-act/art-52-1/", 1),
    ("dual-use foundation model weights", P, "/us/eo-14110/sec-4-6/", 3),
    ("widely available model weights", P, "/us/eo-14110/sec-4-6/", 3),
    ("free and open-source licence", P, "/eu/ai-act/art-53-2/", 5),
    ("training compute threshold", P, "/kr/ai-basic-act/art-32-1/", 1),
    ("copyright policy", P, "/eu/ai-act/art-53-1-c/", 3),
    ("technical documentation", P, "/eu/ai-act/art-53-1-a/", 3),
]


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]


def test_the_table_has_enough_queries_of_every_sort():
    assert len(QUERIES) >= 60
    assert len({query for query, *_ in QUERIES}) >= 60
    scripts = {
        "Chinese": r"[\u4e00-\u9fff]",
        "Japanese kana": r"[\u3040-\u30ff]",
        "Portuguese": r"[ãçêí]",
        "Korean": r"[\uac00-\ud7af]",
    }
    for name, script in scripts.items():
        assert any(re.search(script, query) for query, *_ in QUERIES), name


@pytest.mark.parametrize(("query", "kind", "url", "rank"), QUERIES)
def test_query_leads_to_its_page(query, kind, url, rank):
    urls = [hit.url for hit in getattr(search(query), kind)]
    assert url in urls, f"{query!r} does not find {url} among {kind}: {urls[:5]}"
    assert urls.index(url) + 1 <= rank, f"{query!r}: {url} ranks {urls.index(url) + 1}"


def test_an_earlier_label_says_what_it_is_now():
    hit = search("52c(-2)").provisions[0]
    assert hit.note.startswith("Art. 52c(-2) in the ")
    assert "2 Feb 2024" in hit.note
    assert hit.note.endswith("is now Art. 53(2).")


def test_exact_citation_outranks_prose_and_binding_outranks_guidance():
    hits = search("Art. 53(2)").provisions
    # The GPAI guidelines' section also cites Art. 53(2) in its label: the law comes first.
    assert [h.url for h in hits[:2]] == [
        "/eu/ai-act/art-53-2/",
        "/eu/gpai-guidelines/open-source-exemptions/",
    ]
    assert hits[0].exact and hits[0].rank > hits[2].rank * 10


def test_ties_are_stable():
    first = [h.url for h in search("open source").provisions]
    assert first == [h.url for h in search("open source").provisions]


def test_revoked_provisions_are_marked_on_the_page(client):
    html = client.get("/search/", {"q": "section 4.6"}).content.decode()
    first = re.search(r'<ol class="results">\s*<li>(.*?)</li>', html, re.S).group(1)
    assert "/us/eo-14110/sec-4-6/" in first
    assert '<span class="badge badge-ended">Revoked</span>' in first
    assert "In force" in client.get("/search/", {"q": "Art. 53(2)"}).content.decode()


def test_results_show_status_and_treatment_badges(client):
    html = client.get("/search/", {"q": "Art. 53(2)"}).content.decode()
    first = re.search(r'<ol class="results">\s*<li>(.*?)</li>', html, re.S).group(1)
    assert '<span class="badge badge-in_force">In force</span>' in first
    assert '<span class="treatment">Exempts, with conditions</span>' in first
    assert "Cited exactly" not in html or "AI Act Art. 53(2)" in html


def test_the_page_leads_to_the_earlier_label_with_its_note(client):
    html = client.get("/search/", {"q": "Art. 52c(-2)"}).content.decode()
    assert 'class="search-exact">Cited exactly: <a href="/eu/ai-act/art-53-2/">' in html
    assert "is now Art. 53(2)." in html


def test_json_api_gives_the_same_results(client):
    response = client.get("/api/search", {"q": "Art. 53(2)"})
    assert response.status_code == 200
    body = json.loads(response.content)
    page = [h.url for h in search("Art. 53(2)").provisions]
    assert [h["url"] for h in body["provisions"]] == page
    assert body["provisions"][0]["status"] == "In force"
    assert body["provisions"][0]["exact_citation"] is True
    chinese = client.get("/api/search", {"q": "国发〔2025〕11号"}).json()
    assert chinese["instruments"][0]["url"] == "/cn/ai-plus-opinions/"
    assert client.get("/api/search", {"q": "x" * 500}).status_code == 400


def test_facets_narrow_by_jurisdiction_and_type_without_javascript(client):
    html = client.get("/search/", {"q": "open source", "jurisdiction": "cn"}).content.decode()
    results = html.split('class="matrix-summary"', 1)[1].split("</main>", 1)[0]
    urls = re.findall(r'<li><a href="(/[^"]+)">', results)
    assert urls and all(url.startswith("/cn/") for url in urls)
    assert 'id="results-arguments"' not in html
    assert '<strong aria-current="true">China</strong>' in html
    html = client.get("/search/", {"q": "open source", "type": "arguments"}).content.decode()
    assert 'id="results-arguments"' in html and 'id="results-provisions"' not in html
    # The facet links keep the query in the URL.
    assert "?q=open+source&amp;type=arguments&amp;jurisdiction=eu" in html


def test_htmx_gets_the_results_fragment(client):
    html = client.get(
        "/search/", {"q": "open source", "type": "provisions"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in html and 'id="results-provisions"' in html


def test_unknown_facets_are_ignored_with_a_message(client):
    response = client.get("/search/", {"q": "open source", "jurisdiction": "zz", "type": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unknown jurisdiction ignored." in html and "Unknown record type ignored." in html
    assert 'id="results-provisions"' in html


def test_a_typo_shows_the_corrected_results(client):
    html = client.get("/search/", {"q": "licnese"}).content.decode()
    assert "Showing results for <strong>license</strong>." in html
    assert '<a href="?q=licnese&amp;as_typed=1">Search for “licnese” as typed</a>' in html
    assert "/arguments/llama-2-open-weights-not-open-source/" in html


def test_snippets_say_where_text_was_left_out():
    for hit in search("monetised").provisions:
        plain = re.sub(r"</?mark>", "", str(hit.snippet))
        assert plain[:1].isupper() or plain.startswith("…") or not plain[:1].isalpha()
        assert plain[-1:] in '.!?)”"’;:。…'


@pytest.mark.parametrize(
    ("path", "to"),
    [
        ("/eu/ai-act/art-52c-2/", "/eu/ai-act/art-53-2/"),
        ("/eu/ai-act/art-52c-minus-2/", "/eu/ai-act/art-53-2/"),
        ("/eu/ai-act/article-53-2/", "/eu/ai-act/art-53-2/"),
        ("/eu/ai-act/art53-2/", "/eu/ai-act/art-53-2/"),
        ("/eu/ai-act/article-2-5g/", "/eu/ai-act/art-2-12/"),
        ("/eu/ai-act/recital-60i/", "/eu/ai-act/recital-102/"),
        ("/us/eo-14110/section-4-6/", "/us/eo-14110/sec-4-6/"),
    ],
)
def test_natural_variants_of_labels_redirect_permanently(client, path, to):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == to


@pytest.mark.parametrize(
    ("path", "suggested"),
    [
        ("/eu/ai-act/art-53-3/", "/eu/ai-act/art-53-2/"),
        ("/eu/ai-akt/art-53-2/", "/eu/ai-act/art-53-2/"),
        ("/us/eo-14110/sec-4-7/", "/us/eo-14110/sec-4-6/"),
    ],
)
def test_an_unknown_provision_path_suggests_the_nearest(client, path, suggested):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    suggestions = re.search(r'<ul class="suggestions">(.*?)</ul>', html, re.S).group(1)
    assert f'href="{suggested}"' in suggestions


# Hostile queries: never a 500, on the page, the fragment and the JSON -----------

HOSTILE = [
    "x" * 10_000,
    "Art. " + "53(" * 3000,
    "\ud800",
    "a\udfffb",
    "open & !source | (weights <-> model):*",
    "'' & | ! <-> <2> :* :A",
    "!!!",
    "第" * 500 + "条",
    "第一百零五条",
    "§§§§",
    "52c(-" * 40,
    "EO 99999 Sec. 4.6(a)(i)(ii)(iii)(iv)(v)",
    "Arts. 1 and 2 and 3 and 4 and 5 and 6 and 7 and 8 and 9",
    "[[:alpha:]]+ (a|b)* \\1",
    "\x00",
    "国发〔",
    "〔2025〕",
]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("path", ["/search/", "/api/search"])
def test_hostile_queries_never_break_search(client, query, path):
    # Lone surrogates travel as the bytes a browser would send: invalid UTF-8.
    value = quote(query.encode("utf-8", "surrogatepass"), safe="")
    short = quote(query[:200].encode("utf-8", "surrogatepass"), safe="")
    for target in (f"{path}?q={value}", f"{path}?q={value}&type={value}&jurisdiction={value}"):
        response = client.get(target)
        assert response.status_code in (200, 400), (query, response.status_code)
    response = client.get(f"{path}?q={short}", headers={"HX-Request": "true"})
    assert response.status_code in (200, 400)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=st.one_of(
        st.text(st.characters(codec="utf-8"), max_size=200),
        st.text(st.sampled_from("Art.§()第条-0123456789 abcx&|!<>:*'\"国发〔〕号"), max_size=60),
    )
)
def test_search_function_takes_any_text(text):
    search(" ".join(text.replace("\x00", " ").split()))  # the form's cleaning, then search
