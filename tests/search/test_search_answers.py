"""What the first searches of a new reader lead to, against the shipped dataset: typos
corrected, partial old labels, ranking that answers the question, Chinese kept precise, and
results grouped with counts."""

import re

import pytest
from django.db.models import Q

from comparisons.search.engine import search
from provisions.models import ModelProfile, Provision
from provisions.models.ai_models import PUBLISHED_WEIGHTS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]


def urls(hits) -> list[str]:
    return [hit.url for hit in hits]


def test_a_partial_old_label_lists_the_provisions_it_may_mean(client):
    found = search("Art 52c")
    assert "/eu/ai-act/art-53-2/" in urls(found.provisions)[:3]
    note = found.provisions[0].note
    assert note.startswith("Art. 52c(-2) in the ") and note.endswith("is now Art. 53(2).")
    html = client.get("/search/", {"q": "52c"}).content.decode()
    assert "is now Art. 53(2)." in html


def test_a_misspelt_query_shows_the_corrected_results(client):
    found = search("open sorce exemption")
    assert found.searched == "open source exemption"
    assert found.provisions and found.provisions[0].jurisdiction == "eu"
    html = client.get("/search/", {"q": "open sorce exemption"}).content.decode()
    assert "Showing results for <strong>open source exemption</strong>." in html
    assert "as_typed=1" in html


def test_systemic_risk_leads_to_the_ai_acts_articles_on_it():
    first = search("systemic risk").provisions[0]
    assert re.fullmatch(r"/eu/ai-act/art-5[1-5](-[0-9a-z]+)*/", first.url), first.url


@pytest.mark.parametrize(
    "query", ["dual-use foundation model weights", "widely available model weights"]
)
def test_eo_14110s_own_words_reach_its_section_4_6(query):
    assert "/us/eo-14110/sec-4-6/" in urls(search(query).provisions)[:3]


def test_a_recital_ranks_below_the_article_its_words_explain():
    ranked = urls(search("systemic risk").provisions)
    assert ranked.index("/eu/ai-act/recital-115/") > ranked.index("/eu/ai-act/art-52-1/")


@pytest.mark.parametrize("query", ["open source exemption", "open source", "open weights"])
def test_no_closed_model_ranks_above_an_open_one(query):
    titles = [hit.title for hit in search(query).models]
    assert titles
    open_ = set(
        ModelProfile.objects.filter(
            name__in=titles, weights_access__in=PUBLISHED_WEIGHTS
        ).values_list("name", flat=True)
    )
    opened = [title in open_ for title in titles]
    assert opened == sorted(opened, reverse=True), titles


def test_a_chinese_query_finds_only_records_holding_its_characters_in_order(client):
    found = search("开源")
    assert found.provisions
    holding = {
        provision.get_absolute_url()
        for provision in Provision.objects.filter(
            Q(texts__body__contains="开源")
            | Q(label__contains="开源")
            | Q(heading__contains="开源")
        ).select_related("instrument__jurisdiction")
    }
    assert {hit.url for hit in found.provisions} <= holding
    assert all("开源" in hit.title for hit in found.instruments)
    assert found.arguments == [] and found.models == []
    # The English equivalent is a group of its own, labelled.
    assert found.equivalents.terms == ["open source"]
    assert found.equivalents.hits
    html = client.get("/search/", {"q": "开源"}).content.decode()
    assert "English equivalents: “open source”" in html


def test_groups_show_their_count_their_first_hits_and_a_link_to_all(client):
    html = client.get("/search/", {"q": "open source"}).content.decode()
    section = re.search(
        r'<section aria-labelledby="results-provisions">(.*?)</section>', html, re.S
    ).group(1)
    count = int(re.search(r"Provisions \((\d+)\+?\)", section).group(1))
    assert count > 5
    assert len(re.findall(r"<li>", section)) == 5
    assert f"Show all {count}" in section and "type=provisions" in section
    whole = client.get("/search/", {"q": "open source", "type": "provisions"}).content.decode()
    section = re.search(
        r'<section aria-labelledby="results-provisions">(.*?)</section>', whole, re.S
    ).group(1)
    assert len(re.findall(r"<li>", section)) == count and "Show all" not in section
