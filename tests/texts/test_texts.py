"""Provision texts as data: the tiny markup and its anchors, hostile input, the editorial workflow,
the text in force on a day, the API and schema, and an exact round trip through the backup."""

import datetime
import io
import json

import pytest
import schemathesis
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from comparisons.search.engine import cjk_tsquery, search
from config.wsgi import application
from provisions.models import EditorialState, Provision, ProvisionText, Verification
from provisions.models.texts import authentic_text, in_force_on
from provisions.textmarkup import parse
from tests.admin_forms import submit
from tests.builders import drafts as make
from tests.builders import published as public
from tests.opendata.test_backup import empty_database, manage  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
PUBLISHED, DRAFT = EditorialState.PUBLISHED, EditorialState.DRAFT
CHECKED = datetime.date(2026, 11, 30)


def text(provision, body="1. Some words.", **fields) -> ProvisionText:
    defaults = {
        "language": "en",
        "kind": ProvisionText.Kind.AUTHENTIC,
        "version_label": "Original",
        "source_url": "https://example.org/oj",
        "checked_on": CHECKED,
        "verification": Verification.OFFICIAL,
        "state": PUBLISHED,
    }
    return ProvisionText.objects.create(provision=provision, body=body, **(defaults | fields))


def amended_translation(provision, body: str, **fields) -> ProvisionText:
    """CASI's unofficial translation, in a version amended from 27 July 2026."""
    defaults = {
        "kind": ProvisionText.Kind.UNOFFICIAL_TRANSLATION,
        "translator": "CASI",
        "applies_from": datetime.date(2026, 7, 27),
        "change_note": "Changed.",
        "verification": Verification.SECONDARY,
    }
    return text(provision, body=body, **defaults | fields)


# The markup ---------------------------------------------------------------------------------


def test_points_and_paragraphs_get_anchors_and_roman_sub_points_nest():
    body = "1. Providers shall:\n(a) one;\n(b) two:\n(i) first\n(ii) second\n(c) three\n2. Next."
    anchors = [b.anchor for b in parse(body)]
    assert anchors == [
        "para-1",
        "point-a",
        "point-b",
        "point-b-i",
        "point-b-ii",
        "point-c",
        "para-2",
    ]
    # (i) after (h) is a letter, not a roman numeral.
    letters = "\n".join(f"({c}) x" for c in "abcdefghij")
    assert [b.anchor for b in parse(letters)][8] == "point-i"


def test_chinese_items_sections_repeats_and_prefixes():
    blocks = parse(
        "第七条 提供者应当：\n（一）使用具有合法来源的数据和基础模型；\n（十二）其他", "zh-"
    )
    assert [b.anchor for b in blocks] == ["", "zh-point-1", "zh-point-12"]
    assert blocks[1].label == "（一）"
    repeated = parse("1. A\n(a) x\n2. B\n(a) y\n(a) z")
    assert [b.anchor for b in repeated] == [
        "para-1",
        "point-a",
        "para-2",
        "para-2-point-a",
        "para-2-point-a-2",
    ]
    assert parse("22757.12. (a) A large developer")[0].anchor == "sec-22757-12"


def test_a_chinese_label_that_is_no_numeral_is_a_plain_paragraph(client):
    # "（一二）" is not a Chinese numeral: the line is printed as typed, the page still answers.
    blocks = parse("（一二）其他\n（十十）又\n（二十一）第二十一项")
    assert [(b.anchor, b.label) for b in blocks] == [("", ""), ("", ""), ("point-21", "（二十一）")]
    assert blocks[0].text == "（一二）其他"
    provision = public.provision()
    text(provision, body="（一二）其他", language="zh")
    response = client.get(provision.get_absolute_url())
    assert response.status_code == 200
    assert "（一二）其他" in response.text


def test_thousands_of_repeated_points_are_told_apart_in_linear_time():
    import time

    started = time.perf_counter()
    blocks = parse("(a) again\n" * 20_000)
    elapsed = time.perf_counter() - started
    assert len({b.anchor for b in blocks}) == 20_000
    assert blocks[-1].anchor == "point-a-20000"
    assert elapsed < 2.0, f"{elapsed:.1f} s"


def test_unknown_jurisdictions_in_the_query_never_fill_the_page_cache(
    client, django_assert_num_queries, version_held
):
    from django.core.cache import cache

    topic = public.topic(slug="exemptions")
    public.provision(topics=[topic])
    url = "/texts/exemptions/"
    client.get(url)
    with django_assert_num_queries(0):  # the whole query understood: stored, then a hit
        assert client.get(url).status_code == 200
    stored = len(cache._cache)
    for n in range(20):
        response = client.get(url, {"jurisdiction": f"junk{n}"})
        assert "left out: junk" in response.text
    # A page that left part of its query out is rendered each time, never stored.
    assert len(cache._cache) == stored


def test_superscripts_are_the_only_markup_and_everything_else_is_escaped():
    [block] = parse("greater than 10^25 <b>bold</b> & “quotes”")
    assert block.text == "greater than 10<sup>25</sup> &lt;b&gt;bold&lt;/b&gt; &amp; “quotes”"


PAYLOADS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    '(a) <a href="javascript:alert(1)">point</a>',
    "10^<script>",
    "</blockquote><iframe src=//evil.example>",
]


def test_editors_text_cannot_inject_markup_into_the_page(client):
    provision = public.provision()
    text(
        provision,
        body="\n".join(PAYLOADS),
        translator='<script>alert("t")</script>',
        kind=ProvisionText.Kind.UNOFFICIAL_TRANSLATION,
        version_label="<i>v</i>",
        change_note='<img src=x onerror="alert(2)">',
        extent="<svg onload=alert(3)>",
        copy_read='<a href="javascript:alert(4)">copy</a> https://example.org/copy',
        source_url="javascript:alert(5)",
        verification=Verification.SECONDARY,
        language="en",
    )
    page = client.get(provision.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "<svg" not in page
    assert "<iframe" not in page
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert 'cite="javascript' not in page
    assert '<a href="https://example.org/copy"' in page  # urlize links only real URLs
    # The compare view renders the same partial.
    provision.topics.add(public.topic(slug="scope"))
    compared = client.get("/texts/scope/").content.decode()
    assert "<script>alert" not in compared and "<img src=x" not in compared


def test_bad_language_tag_and_nameless_translation_are_refused():
    provision = public.provision()
    bad = ProvisionText(
        provision=provision,
        body="x",
        language="Chinese",
        kind=ProvisionText.Kind.UNOFFICIAL_TRANSLATION,
        version_label="v",
    )
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert {"language", "translator"} <= set(error.value.message_dict)
    with pytest.raises(IntegrityError), transaction.atomic():
        text(provision, kind=ProvisionText.Kind.UNOFFICIAL_TRANSLATION, translator="")


def test_the_database_refuses_a_published_unsourced_text():
    provision = public.provision()
    with pytest.raises(IntegrityError), transaction.atomic():
        text(provision, source_url="", verification=Verification.UNVERIFIED)
    draft = text(provision, source_url="", verification=Verification.UNVERIFIED, state=DRAFT)
    assert draft.pk


# The text in force -------------------------------------------------------------------------


def test_the_text_in_force_is_the_latest_version_that_applies_on_the_day():
    provision = public.provision()
    original = text(provision, body="4. Old words.", version_label="OJ")
    amended = text(
        provision,
        body="4. New words.",
        version_label="As amended",
        applies_from=datetime.date(2026, 7, 27),
        change_note="Words changed.",
    )
    translation = text(
        provision,
        body="4. Neue Worte.",
        language="de",
        kind=ProvisionText.Kind.OURS,
        version_label="OJ",
    )
    texts = [original, amended, translation]
    assert in_force_on(texts, datetime.date(2026, 1, 1)) == [original, translation]
    assert in_force_on(texts, datetime.date(2026, 7, 27)) == [amended, translation]
    assert authentic_text(texts, datetime.date(2027, 1, 1)) == amended
    only_later = in_force_on([amended], datetime.date(2020, 1, 1))
    assert only_later == [amended]  # shown, with the date it applies from


def test_drafts_are_never_shown_nor_listed(client):
    provision = public.provision()
    text(provision, body="Hidden draft wording.", state=DRAFT)
    page = client.get(provision.get_absolute_url()).content.decode()
    assert "Hidden draft wording" not in page
    assert "The atlas holds no checked copy" in page
    detail = client.get(reverse("comparisons:api:provision-detail", args=[provision.pk])).json()
    assert detail["texts"] == []
    assert not search("Hidden draft wording").provisions


@pytest.mark.parametrize("size", [1, 4])
def test_provision_and_compare_pages_query_counts_do_not_grow_with_texts(
    client, django_assert_num_queries, size
):
    topic = public.topic(slug="scope")
    provision = public.provision(topics=[topic])
    for n in range(size):
        text(provision, body=f"({chr(97 + n)}) words", version_label=f"v{n}", language="en")
        other = public.provision(topics=[topic])
        text(other, body="Other words.")
        silence = public.silence(jurisdiction=public.jurisdiction(), topics=[topic])
        silence.instruments.add(public.instrument())
    # 10 of the page's own + the data version (the conditions' names come with the provision;
    # the acts amending its instrument, for the JSON-LD, and the instrument's contents, for the
    # previous and next links, are one query each).
    with django_assert_num_queries(11):
        assert client.get(provision.get_absolute_url()).status_code == 200
    # data version, topic, jurisdictions, the home matrix's columns (the default), provisions,
    # texts, silences, their instruments
    with django_assert_num_queries(8):
        assert client.get("/texts/scope/").status_code == 200


# Search -------------------------------------------------------------------------------------


def test_chinese_query_becomes_a_phrase_of_character_pairs():
    assert cjk_tsquery("生成式") == "('生成' <-> '成式')"
    assert cjk_tsquery("开源 AI") == "('开源') & ('ai')"
    assert cjk_tsquery("开") == "('开':*)"
    assert cjk_tsquery("'); DROP") == "('drop')"  # quotes never reach the tsquery


def test_chinese_text_is_found_by_any_word_inside_it_and_only_as_a_phrase():
    provision = public.provision()
    text(provision, body="（一）支持人工智能开源社区建设，培育优质开源项目。", language="zh-Hans")
    assert [h.url for h in search("开源").provisions] == [provision.get_absolute_url()]
    assert [h.url for h in search("开源社区").provisions] == [provision.get_absolute_url()]
    assert search("社区开源").provisions == []  # the pairs must be adjacent, in order
    assert "<mark>开源</mark>" in search("开源").provisions[0].snippet


@pytest.mark.parametrize("size", [1, 4])
def test_search_query_count_does_not_grow_with_texts(django_assert_max_num_queries, size):
    for _ in range(size):
        provision = public.provision()
        text(provision, body="生成式人工智能 open weights")
    # Search reads its lexicon (synonyms, jurisdictions) first, then one query per
    # kind of record: at most five, whatever the number of texts.
    with django_assert_max_num_queries(5):
        search("生成式人工智能")
    with django_assert_max_num_queries(5):
        search("weights")


# Admin workflow -----------------------------------------------------------------------------


@pytest.fixture
def editor(client):
    user = make.staff("Editors", "edith")
    client.force_login(user)
    return user


def change_url(provision):
    return reverse("admin:provisions_provision_change", args=[provision.pk])


def test_editor_adds_a_text_inline_as_a_draft_and_cannot_publish_it(client, editor):
    provision = make.provision(state=DRAFT)
    page = client.get(change_url(provision)).content.decode()
    assert "texts of this provision" in page.lower()
    fields = {
        "texts-TOTAL_FORMS": "1",
        "texts-0-kind": "authentic",
        "texts-0-language": "zh-Hans",
        "texts-0-order": "0",
        "texts-0-body": "第二条 适用本办法。",
        "texts-0-version_label": "As published",
        "texts-0-source_url": "https://example.org/cac",
        "texts-0-checked_on": "2026-11-30",
        "texts-0-verification": "official",
        "texts-0-state": "published",
    }
    response = submit(client, change_url(provision), fields)
    assert response.status_code == 200  # the form comes back with an error
    assert not ProvisionText.objects.exists()
    response = submit(client, change_url(provision), fields | {"texts-0-state": "in_review"})
    assert response.status_code == 302
    added = ProvisionText.objects.get()
    assert added.state == EditorialState.IN_REVIEW
    assert added.history.latest().history_user == editor


def test_editor_cannot_change_a_published_text_of_a_draft_provision(client, editor):
    provision = make.provision(state=DRAFT)
    published = text(provision, body="Checked words.")
    response = submit(client, change_url(provision), {"texts-0-body": "Changed words."})
    assert response.status_code == 200
    assert (
        "Only reviewers change, publish or withdraw a published text." in response.content.decode()
    )
    published.refresh_from_db()
    assert published.body == "Checked words."
    response = submit(client, change_url(provision), {"texts-0-DELETE": "on"})
    assert response.status_code == 200
    assert ProvisionText.objects.filter(pk=published.pk).exists()


# Open data ----------------------------------------------------------------------------------


def test_api_detail_carries_the_texts_and_their_sources(client):
    provision = public.provision()
    text(provision, body="第二条", language="zh-Hans")
    text(
        provision,
        body="Article 2",
        kind=ProvisionText.Kind.UNOFFICIAL_TRANSLATION,
        translator="CASI",
        verification=Verification.SECONDARY,
        order=1,
    )
    body = client.get(reverse("comparisons:api:provision-detail", args=[provision.pk])).json()
    assert [(t["language"], t["kind"], t["translator"]) for t in body["texts"]] == [
        ("zh-Hans", "authentic", ""),
        ("en", "unofficial_translation", "CASI"),
    ]
    assert body["texts"][1]["verification"] == "secondary"
    schema = client.get("/api/schema/?format=json").json()
    props = schema["components"]["schemas"]["ProvisionText"]["properties"]
    assert {"language", "kind", "body", "source_url", "version_label"} <= set(props)


def test_texts_round_trip_exactly_through_export_and_import(tmp_path, empty_database):  # noqa: F811
    provision = public.provision()
    zh = text(provision, body="第二条 行业组织……不适用本办法的规定。", language="zh-Hans")
    amended_translation(provision, body="(a) Industry organizations … 10^25\n(i) nested")
    zh.body += "\n行业组织。"
    zh.save()
    exported = tmp_path / "atlas.json"
    call_command("export_atlas", output=str(exported), stderr=io.StringIO())
    first = json.loads(exported.read_text())
    tables = {t["model"]: t for t in first["tables"]}
    assert len(tables["provisions.provisiontext"]["rows"]) == 2
    assert len(tables["provisions.historicalprovisiontext"]["rows"]) == 3
    assert manage("import_atlas", str(exported), database=empty_database).returncode == 0
    again = tmp_path / "again.json"
    result = manage("export_atlas", "-o", str(again), database=empty_database)
    assert result.returncode == 0, result.stderr
    second = {t["model"]: t for t in json.loads(again.read_text())["tables"]}
    for model in ("provisions.provisiontext", "provisions.historicalprovisiontext"):
        assert second[model] == tables[model]
    # The restored texts are searchable: the trigger filled their vectors on insert.
    probe = manage(
        "shell",
        "-c",
        "from comparisons.search.engine import search; print(len(search('行业组织').provisions))",
        database=empty_database,
    )
    assert probe.stdout.strip().endswith("1"), probe.stderr


# The API schema, checked with texts in the data (schemathesis, as opendata/test_api.py does) --

api_schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).include(
    path_regex=r"^/api/provisions/"
)


@pytest.fixture
def atlas_with_texts(wsgi_keeps_the_connection):
    public.world(2)
    for provision in Provision.objects.all():
        text(provision, body="第二条 生成式人工智能\n（一）使用", language="zh-Hans")
        amended_translation(provision, body="(a) Article 2\n(i) point", extent="Excerpt")
        text(provision, body="Draft words.", language="de", state=DRAFT)


@api_schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_provisions_api_with_texts_conforms_to_its_schema(atlas_with_texts, case):
    excluded = [negative_data_rejection] if case.operation.path == "/api/provisions/" else []
    response = case.call_and_validate(excluded_checks=excluded)
    assert response.status_code < 500
