"""The law's own words in the curated dataset (fixtures/texts.json): every published binding
provision carries its checked authentic text, the pages show it verbatim in its language, the
compare-texts view lines the texts up, and search finds their words in English and Chinese.

The fixtures are loaded once for this module in a transaction rolled back at the end.
"""

import html
import json
import re
from pathlib import Path

import pytest

from comparisons.search.engine import search
from provisions.models import EditorialState, Provision, ProvisionText, Verification

PUBLISHED = EditorialState.PUBLISHED
FACTS_2026 = Path("/work/shared/research/facts-2026.md")
# Texts read after the fact base, each passage with the copy it was read in.
TEXTS_READ = Path(__file__).resolve().parents[2] / "docs" / "texts-read-2026-11-30.md"

# Published binding provisions for which the fact base holds no checked verbatim text. They
# say so on their pages; the coordinator decides whether they go back to draft. The test fails
# when one of them gains a text (take it off the list) or another provision loses its text.
AWAITING_TEXT = {
    # facts.md: FR abstract and law-firm notes only; no copy of the ECCN entry found on 30 Nov
    # 2026 either (docs/texts-read-2026-11-30.md, "Not found").
    ("us", "ai-diffusion-rule", "eccn-4e091"),
}


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]


def key(provision: Provision) -> tuple[str, str, str]:
    instrument = provision.instrument
    return (instrument.jurisdiction.code, instrument.slug, provision.slug)


def binding_public_provisions():
    return (
        Provision.objects.public()
        .filter(instrument__binding=True)
        .select_related("instrument__jurisdiction")
        .prefetch_related("texts")
    )


def test_every_published_binding_provision_has_a_checked_authentic_text():
    missing = set()
    for provision in binding_public_provisions():
        authentic = [
            t
            for t in provision.texts.all()
            if t.kind == ProvisionText.Kind.AUTHENTIC and t.state == PUBLISHED
        ]
        if not authentic:
            missing.add(key(provision))
            continue
        for text in authentic:
            assert text.language, key(provision)
            assert text.source_url.startswith("http"), key(provision)
            assert text.verification != Verification.UNVERIFIED, key(provision)
            assert text.checked_on is not None, key(provision)
            assert text.body.strip(), key(provision)
    assert missing == AWAITING_TEXT


def test_chinese_provisions_carry_the_original_and_an_english_translation():
    for provision in Provision.objects.public().filter(instrument__jurisdiction__code="cn"):
        texts = list(provision.texts.published())
        if not texts:
            continue
        languages = {(t.kind, t.language) for t in texts}
        assert ("authentic", "zh-Hans") in languages, provision
        assert any(lang == "en" and kind != "authentic" for kind, lang in languages), provision
        for text in texts:
            if text.kind != "authentic":
                assert text.translator, "a translation names its translator"


def test_fixture_texts_are_verbatim_from_the_fact_base():
    """Every line of every text appears in facts-2026.md section A (bold markers aside), or in
    the note of the texts read after it, which names the copy each passage was read in."""
    if not FACTS_2026.exists():
        pytest.skip("the research notes are not on this machine")
    facts = FACTS_2026.read_text(encoding="utf-8").replace("**", "")
    # The fact base names two hyphenation artefacts of its copy of the GPAI guidelines; a text
    # may read those words whole.
    whole = facts.replace("open- source", "open-source").replace(
        "non- discriminatory", "non-discriminatory"
    )
    later = TEXTS_READ.read_text(encoding="utf-8").splitlines()
    # Texts read on 7 Dec 2026 are checked against their own note (test_texts_read_2026_12.py).
    for text in ProvisionText.objects.exclude(copy_read__contains="docs/texts-read-2026-12-07.md"):
        from_note = False
        for line in text.body.splitlines():
            if line.strip() and line.strip() != "…":
                in_note = line in later
                from_note |= in_note
                found = line.strip() in facts or line.strip() in whole
                assert found or in_note, (text.provision_id, line[:60])
        if from_note:
            # Each passage of the note is introduced by its copy; the record names it too.
            assert "docs/texts-read-2026-11-30.md" in text.copy_read, text.pk


def test_the_note_of_texts_read_names_a_copy_for_every_passage():
    """A passage quoted in the note sits under a heading that names the copy read and a grade."""
    sections = TEXTS_READ.read_text(encoding="utf-8").split("\n## ")[1:]
    quoted = [s for s in sections if not s.startswith("Not found")]
    assert len(quoted) >= 4
    for section in quoted:
        heading = section.splitlines()[0]
        assert heading.endswith(("— official", "— secondary")), heading
        assert "Copy read:" in section or "republished at" in section, heading


def test_korean_art_36_1_shows_the_law_go_kr_wording_in_korean(client):
    page = client.get("/kr/ai-basic-act/art-36-1/").content.decode()
    korean = re.search(
        r'<blockquote class="text-body" lang="ko"[^>]*>(.*?)</blockquote>', page, re.S
    )
    assert korean, "the Korean text is marked as Korean"
    body = html.unescape(korean.group(1))
    assert "제36조(국내대리인 지정)" in body
    assert "국내에 주소 또는 영업소가 없는 인공지능사업자로서 이용자 수, 매출액 등이" in body
    assert "과학기술정보통신부장관에게 신고하여야 한다." in body
    # The three items it acts for are points of their own, linkable.
    assert 'id="para-3"' in korean.group(1)
    assert "The atlas holds no checked copy" not in page
    # The state's English translation beside it, labelled as the state's.
    # law.go.kr's English is a government reference translation without legal effect.
    assert (
        "Official reference translation, no legal effect: Ministry of Government Legislation"
        in page
    )
    assert "shall designate an agent who acts on their behalf" in html.unescape(page)


def test_raise_act_1421_1_quotes_the_re_enacted_section_with_its_weights_point(client):
    """§1421 as re-enacted by S8828 (facts-2026 C-US-9 had only trackers' summaries): the
    framework duty, point (g) on unreleased weights linkable, and not the repealed c.699 text."""
    page = client.get("/us-ny/raise-act/gbl-1421/").content.decode()
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "1. A large frontier developer shall write, implement, comply with" in text
    assert (
        "cybersecurity practices to secure unreleased model weights from unauthorized "
        "modification or transfer by internal or external parties;"
    ) in text
    assert 'id="para-1-point-g"' in page or 'id="point-g"' in page
    assert "safety and security protocol" not in text.lower().split("what it says")[0]
    assert "The atlas holds no checked copy" not in page


def test_eo_14179_secs_4_5_carry_the_federal_register_text(client):
    page = html.unescape(client.get("/us/eo-14179/secs-4-5/").content.decode())
    assert "pursuant to the revoked Executive Order 14110 of October 30, 2023" in page
    assert "revise OMB Memoranda M-24-10 and M-24-18" in page
    assert "The atlas holds no checked copy" not in page
    text = ProvisionText.objects.get(provision__slug="secs-4-5", kind="authentic")
    assert text.verification == Verification.OFFICIAL
    assert text.published_in == "90 Fed. Reg. 8741 (Jan. 31, 2025)"
    assert "Exec. Order No. 14,179, §§ 4–5, 90 Fed. Reg. 8741, 8741 (Jan. 31, 2025)" in page


def test_no_page_of_a_provision_with_a_text_says_it_is_not_quoted(client):
    for provision in binding_public_provisions():
        page = client.get(provision.get_absolute_url()).content.decode()
        assert "not quoted here" not in page
        if key(provision) in AWAITING_TEXT:
            assert "The atlas holds no checked copy of this provision’s text yet" in page
        else:
            assert "The atlas holds no checked copy" not in page


def test_art_53_2_shows_the_oj_wording_verbatim(client):
    page = client.get("/eu/ai-act/art-53-2/").content.decode()
    oj = (
        "The obligations set out in paragraph 1, points (a) and (b), shall not apply to "
        "providers of AI models that are released under a free and open-source licence that "
        "allows for the access, usage, modification, and distribution of the model, and whose "
        "parameters, including the weights, the information on the model architecture, and the "
        "information on model usage, are made publicly available. This exception shall not "
        "apply to general-purpose AI models with systemic risks."
    )
    assert oj in html.unescape(re.sub(r"<[^>]+>", "", page))
    assert 'lang="en"' in page
    assert "OJ L, 12.7.2024" in page
    # The law's words come before our reading of them.
    assert page.index(oj[:60]) < page.index("What it says, in our words")
    assert "Regulation (EU) 2024/1689, Art. 53(2), OJ L, 12.7.2024" in page


def test_interim_measures_art_2_para_3_shows_chinese_beside_a_labelled_translation(client):
    page = client.get("/cn/genai-interim-measures/art-2-para-3/").content.decode()
    zh = re.search(
        r'<blockquote class="text-body" lang="zh-Hans"[^>]*>(.*?)</blockquote>', page, re.S
    )
    assert zh and "未向境内公众提供生成式人工智能服务的，不适用本办法的规定。" in zh.group(1)
    en = re.search(r'<blockquote class="text-body" lang="en"[^>]*>(.*?)</blockquote>', page, re.S)
    assert en and "shall not be subject to the provisions of these measures" in en.group(1)
    assert "texts-side-by-side" in page
    assert "Unofficial translation: China Aerospace Studies Institute (CASI)" in page
    assert page.index('lang="zh-Hans"') < page.index("Unofficial translation")


def test_amended_article_shows_the_text_in_force_and_what_changed(client):
    today = client.get("/eu/ai-act/art-25-4/").content.decode()
    assert "supplies an AI system, AI model, tools" in today.split("Other versions")[0]
    assert "What changed: Regulation (EU) 2026/1744 replaced the first subparagraph" in today
    # facts-2026 A2: the new wording is the law's text from 27 Jul 2026 (2026/1744 in force),
    # but Art. 25 (Chapter III Section 3) applies only from 2 Dec 2027 / 2 Aug 2028.
    assert "in force from 27 July 2026" in today
    assert "<dt>Applies from</dt><dd>2 December 2027</dd>" in today
    assert "2 August 2028 (Annex I systems)" in today
    before = client.get("/eu/ai-act/art-25-4/?as_of=2025-01-01").content.decode()
    current = before.split("Other versions")[0]
    assert "supplies an AI system, tools, services" in current
    assert "AI model, tools" not in current
    assert "The law as of 1 January 2025" in before
    garbage = client.get("/eu/ai-act/art-25-4/?as_of=1st%20of%20May")
    assert garbage.status_code == 200
    assert "was not understood" in garbage.content.decode()


def test_compare_texts_for_the_scope_exemption_question_sets_us_eu_and_china_side_by_side(
    client,
):
    response = client.get("/texts/scope-exemption/?jurisdiction=us&jurisdiction=eu&jurisdiction=cn")
    assert response.status_code == 200
    page = response.content.decode()
    columns = re.findall(r'<section class="text-column" aria-labelledby="col-([a-z-]+)">', page)
    assert columns == ["us", "eu", "cn"]
    us, eu, cn = re.split(r'<section class="text-column"', page)[1:4]
    assert "“Deploy” means to make a frontier model available" in us  # SB 53, California
    assert "(California)" in us
    assert "This Regulation does not apply to AI systems released under free and open-source" in eu
    assert 'lang="zh-Hans"' in cn and "不适用本办法的规定" in cn
    assert "Unofficial translation" in cn
    assert 'href="/cn/genai-interim-measures/art-2-para-3/"' in cn
    # Its own URL per set of jurisdictions; an unknown one is reported, not an error.
    only_eu = client.get("/texts/scope-exemption/?jurisdiction=eu&jurisdiction=xx").content.decode()
    assert re.findall(r'aria-labelledby="col-([a-z-]+)"', only_eu) == ["eu"]
    assert "left out: xx" in only_eu
    assert client.get("/texts/no-such-question/").status_code == 404


def text_columns(page: str) -> list[str]:
    return re.findall(r'<section class="text-column" aria-labelledby="col-([a-z-]+)">', page)


def test_the_texts_take_j_as_the_matrix_does_and_default_to_its_columns(client):
    """The matrix's selection carries over (``j=``), the older ``jurisdiction=`` still works,
    and with none the columns are the home matrix's: US, EU, China, not every jurisdiction."""
    assert text_columns(client.get("/texts/scope-exemption/").content.decode()) == [
        "us",
        "eu",
        "cn",
    ]
    assert text_columns(client.get("/texts/scope-exemption/?j=eu&j=us").content.decode()) == [
        "eu",
        "us",
    ]
    assert text_columns(client.get("/texts/scope-exemption/?jurisdiction=cn").content.decode()) == [
        "cn"
    ]
    both = client.get("/texts/scope-exemption/?j=eu&jurisdiction=cn").content.decode()
    assert text_columns(both) == ["eu", "cn"]
    # The form asks with the matrix's name, and its link back keeps the columns.
    assert 'name="j" value="eu"' in both
    assert 'href="/?topic=scope-exemption&amp;j=eu&amp;j=cn#row-scope-exemption"' in both


def test_the_provision_that_answers_the_question_heads_its_column(client):
    """The EU's first text on "Scope exemption" is the open-source exclusion, not the deepfake
    ban; the ban and the Act's dates, which cover every model, come last and say so."""
    page = client.get("/texts/scope-exemption/?j=eu").content.decode()
    column = page.split('<section class="text-column"')[1]
    citations = re.findall(r'<h3><a href="[^"]+">([^<]+)</a>', column)
    assert citations[0] == "AI Act Art. 2(12)", citations
    assert set(citations[-2:]) == {"AI Act Art. 5(1)(ba)–(bb), (1a), (1b)", "AI Act Art. 113"}
    assert column.count("Applies regardless of openness") == 2


def test_no_column_is_empty_a_jurisdiction_not_yet_reviewed_is_named_instead(client):
    page = client.get("/texts/scope-exemption/?j=us&j=eu&j=cn&j=jp").content.decode()
    assert text_columns(page) == ["us", "eu", "cn"]
    note = re.search(r'<p class="not-reviewed" id="not-reviewed">(.*?)</p>', page, re.S)
    assert note and "Japan" in note.group(1), page
    assert 'name="j" value="jp" checked' in page  # still ticked: the reader asked for it
    for column in page.split('<section class="text-column"')[1:]:
        assert "<article" in column or "Silent after review" in column


def test_matrix_rows_and_provision_pages_link_to_the_compare_view(client):
    home = client.get("/").content.decode()
    assert 'href="/texts/scope-exemption/?j=us&amp;j=eu&amp;j=cn"' in home
    page = client.get("/eu/ai-act/art-2-12/").content.decode()
    assert 'href="/texts/scope-exemption/"' in page


def test_search_for_the_chinese_term_lists_the_interim_measures_first():
    results = search("生成式人工智能")
    assert results.provisions
    assert results.provisions[0].url.startswith("/cn/genai-interim-measures/")
    assert "<mark>生成式人工智能</mark>" in results.provisions[0].snippet
    assert results.provisions[0].lang == "zh-Hans"


def test_search_page_marks_a_chinese_snippet_with_its_language(client):
    page = client.get("/search/?q=生成式人工智能").content.decode()
    assert '<p class="snippet" lang="zh-Hans">' in page


def test_search_for_kaiyuan_lists_the_chinese_texts_that_use_it_and_never_the_interim_measures():
    """开源 finds the Chinese provisions whose official text uses the word: the "AI+" Opinions'
    open-source passage, through its text. The Interim Measures never use it (facts-2026 A5:
    0 hits)."""
    uses_it = {
        text.provision.get_absolute_url()
        for text in ProvisionText.objects.public()
        .filter(language="zh-Hans", kind="authentic", body__contains="开源")
        .select_related("provision__instrument__jurisdiction")
    }
    assert uses_it == {"/cn/ai-plus-opinions/open-source-ecosystem/"}
    hits = search("开源").provisions
    chinese = [h for h in hits if h.url.startswith("/cn/")]
    # Besides the texts, only provisions whose own Chinese heading uses the word (policy items
    # known from secondary copies, with no text of their own).
    headed = {
        p.get_absolute_url()
        for p in Provision.objects.public().filter(
            instrument__jurisdiction__code="cn", heading__contains="开源"
        )
    }
    assert uses_it <= {h.url for h in chinese} <= uses_it | headed
    assert hits[0].url == "/cn/ai-plus-opinions/open-source-ecosystem/"
    # The snippet is the official Chinese text, marked, and says so to the browser.
    assert "<mark>开源</mark>贡献评价和激励机制" in hits[0].snippet
    assert hits[0].lang == "zh-Hans"
    assert not any(h.url.startswith("/cn/genai-interim-measures/") for h in hits)
    for hit in hits:
        assert "开源" in hit.snippet


def test_ai_plus_opinions_page_sets_the_chinese_sentence_beside_its_labelled_translation(client):
    page = client.get("/cn/ai-plus-opinions/open-source-ecosystem/").content.decode()
    zh = re.search(
        r'<blockquote class="text-body" lang="zh-Hans"[^>]*>(.*?)</blockquote>', page, re.S
    )
    assert zh and "鼓励高校将开源贡献纳入学生学分认证和教师成果认定" in zh.group(1)
    en = re.search(r'<blockquote class="text-body" lang="en"[^>]*>(.*?)</blockquote>', page, re.S)
    assert en and "student credit certification and teacher achievement recognition" in en.group(1)
    assert "Unofficial translation: GMTEight" in page
    # A news report's quotation, not the State Council's page: graded so, and it says so.
    text = ProvisionText.objects.get(provision__slug="open-source-ecosystem", language="zh-Hans")
    assert text.verification == Verification.SECONDARY
    assert "the gov.cn text itself was not read" in text.copy_read


def test_a_phrase_only_in_an_official_text_finds_its_provision():
    phrase = "voluntary model terms"
    assert not Provision.objects.filter(summary__icontains=phrase).exists()
    assert not Provision.objects.filter(openness_note__icontains=phrase).exists()
    hits = search(f'"{phrase}"').provisions
    assert [h.url for h in hits] == ["/eu/ai-act/art-25-4/"]
    assert "<mark>voluntary</mark>" in hits[0].snippet


def test_citations_in_every_style_carry_the_official_reference(client):
    page = html.unescape(client.get("/us/eo-14110/sec-4-6/").content.decode())
    assert "Exec. Order No. 14,110, § 4.6, 88 Fed. Reg. 75,191, 75,203 (Nov. 1, 2023)" in page
    assert "Safe, Secure, and Trustworthy Development and Use of Artificial Intelligence" in page
    eu = html.unescape(client.get("/eu/ai-act/art-53-2/").content.decode())
    assert "Regulation (EU) 2024/1689, art 53(2) <http://testserver/eu/ai-act/art-53-2/>" in eu
    assert "Regulation 2024/1689, art. 53(2), 2024 O.J. (L 2024/1689)" in eu
    bib = client.get("/eu/ai-act/art-53-2/cite.bib").content.decode()
    assert "Official citation: Regulation (EU) 2024/1689, Art. 53(2), OJ L, 12.7.2024" in bib
    ris = client.get("/eu/ai-act/art-53-2/cite.ris").content.decode()
    assert "M2  - Official citation: Regulation (EU) 2024/1689, Art. 53(2), OJ L, 12.7.2024" in ris
    oscola = client.get("/eu/ai-act/art-53-2/cite.oscola")
    assert oscola.status_code == 200 and "art 53(2)" in oscola.content.decode()


def test_the_full_export_carries_the_texts(client):
    body = json.loads(client.get("/export/atlas.json").content)
    by_url = {p["url"]: p for p in body["provisions"]}
    texts = by_url["http://testserver/cn/genai-interim-measures/art-2-para-3/"]["texts"]
    assert {(t["kind"], t["language"]) for t in texts} == {
        ("authentic", "zh-Hans"),
        ("unofficial_translation", "en"),
    }
