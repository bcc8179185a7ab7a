"""On the shipped dataset: model profiles, each law's conditions, the pages and the API.

The curated fixtures are loaded once for this module and rolled back at its end.
"""

import re
from html import unescape

import pytest
from django.db import transaction
from django.urls import reverse

from comparisons.ai_models.grid import build_rows, load_columns
from provisions.models import (
    Check,
    EditorialState,
    ModelProfile,
    Provision,
    Verification,
)
from provisions.openness import FAILS, MEETS, UNCERTAIN
from provisions.queries import public_model_profiles

# The 20 entries of ../shared/research/models.md §1.
MODELS_MD = {
    "llama-2-70b",
    "llama-3-1-405b",
    "llama-4",
    "mistral-7b",
    "mixtral-8x22b",
    "mistral-large-2",
    "gemma-2-and-3-27b",
    "qwen2-5-72b",
    "qwen3",
    "deepseek-v3",
    "deepseek-r1",
    "gpt-oss-120b",
    "olmo-2",
    "bloom-176b",
    "falcon-180b",
    "phi-3-mini-and-phi-4",
    "stable-diffusion-3-5-large",
    "kimi-k2",
    "glm-4-5",
    "gpt-4o",
}
ART_53_2 = "/eu/ai-act/art-53-2/"


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]


def verdicts() -> dict[str, dict[str, object]]:
    """{model slug: {provision URL: verdict}} for the shipped data."""
    rows = build_rows(public_model_profiles(), load_columns())
    return {
        row.profile.slug: {c.column.provision.get_absolute_url(): c.verdict for c in row.cells}
        for row in rows
    }


def reason_kinds(verdict) -> set[str]:
    return {f.rule.kind for f in verdict.reasons}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


# -- acceptance 1: the 20 profiles, sourced, nothing unverified published as fact -------------


def test_the_dataset_has_the_twenty_profiles_of_models_md_with_sources_and_verification():
    published = ModelProfile.objects.published().prefetch_related("sources")
    assert {p.slug for p in published} == MODELS_MD
    for profile in published:
        profile.full_clean()
        assert profile.verification != Verification.UNVERIFIED, profile.slug
        assert profile.source_url.startswith("https://") and profile.checked_on, profile.slug
        sources = list(profile.sources.all())
        assert len(sources) >= 2, profile.slug
        assert all(s.url.startswith("https://") and s.checked_on for s in sources), profile.slug


def test_no_published_profile_states_an_unsourced_fact_as_fact():
    for profile in ModelProfile.objects.published().prefetch_related("sources"):
        assert profile.unsupported_facts() == [], profile.slug


def test_a_fact_no_checked_source_supports_shows_as_not_confirmed(client):
    # gpt-oss: models.md says the Hugging Face gating was not checked.
    profile = ModelProfile.objects.get(slug="gpt-oss-120b")
    assert "access_gate" in profile.uncertain_facts
    page = text_of(client.get(profile.get_absolute_url()))
    assert "not confirmed: what download asks for" in page


def test_the_database_refuses_an_unverified_published_profile():
    from django.db import IntegrityError

    profile = ModelProfile.objects.get(slug="olmo-2")
    profile.verification = Verification.UNVERIFIED
    with pytest.raises(IntegrityError), transaction.atomic():
        profile.save()


def test_a_profile_marked_unverified_stays_a_draft_and_off_the_pages(client):
    profile = ModelProfile.objects.get(slug="kimi-k2")
    with transaction.atomic():
        ModelProfile.objects.filter(pk=profile.pk).update(
            state=EditorialState.DRAFT, verification=Verification.UNVERIFIED
        )
        assert client.get(profile.get_absolute_url()).status_code == 404
        assert "Kimi K2" not in client.get(reverse("comparisons:models")).content.decode()
        assert (
            client.get(reverse("comparisons:api:modelprofile-detail", args=["kimi-k2"])).status_code
            == 404
        )
        transaction.set_rollback(True)


# -- acceptance 2: evaluations on the shipped data ------------------------------------------


def test_olmo_2_meets_the_ai_act_art_53_2_conditions():
    verdict = verdicts()["olmo-2"][ART_53_2]
    assert verdict.outcome == MEETS
    assert all(f.outcome == MEETS for f in verdict.findings)


def test_llama_3_1_405b_fails_for_its_user_cap_and_its_presumed_systemic_risk():
    verdict = verdicts()["llama-3-1-405b"][ART_53_2]
    assert verdict.outcome == FAILS
    reasons = {f.rule.kind: f for f in verdict.reasons}
    assert set(reasons) == {Check.NO_USER_SCALE_CAP, Check.COMPUTE_AT_MOST}
    assert "700,000,000 monthly active users" in reasons[Check.NO_USER_SCALE_CAP].fact
    assert "3.8 × 10^25 FLOP" in reasons[Check.COMPUTE_AT_MOST].fact
    assert "systemic risk" in reasons[Check.COMPUTE_AT_MOST].fact
    # Each reason cites the model's source and the text that imposes the condition.
    assert reasons[Check.NO_USER_SCALE_CAP].source.url.endswith("llama3_1/LICENSE")
    assert "GPAI guidelines" in reasons[Check.NO_USER_SCALE_CAP].rule.cited
    assert reasons[Check.COMPUTE_AT_MOST].rule.citation == "AI Act Art. 51(2)"


def test_mistral_large_2_fails_for_its_research_only_licence():
    verdict = verdicts()["mistral-large-2"][ART_53_2]
    assert verdict.outcome == FAILS
    assert Check.NOT_RESEARCH_ONLY in reason_kinds(verdict)


def test_gemma_is_uncertain_because_of_its_updatable_use_policy():
    verdict = verdicts()["gemma-2-and-3-27b"][ART_53_2]
    assert verdict.outcome == UNCERTAIN
    assert reason_kinds(verdict) == {Check.USE_LIMITS_PROPORTIONATE}
    assert "may update" in verdict.reasons[0].fact


def test_a_closed_model_is_not_open_under_any_open_source_provision():
    closed = verdicts()["gpt-4o"]
    exemptions = [
        url
        for url in closed
        if Provision.objects.get(
            instrument__slug=url.split("/")[2], slug=url.split("/")[3]
        ).treatment
        == "exempts_conditionally"
    ]
    assert len(exemptions) >= 3  # Arts. 2(12), 53(2), 54(6)
    for url in exemptions:
        assert closed[url].outcome == FAILS, url
        assert Check.LICENCE_RIGHTS in reason_kinds(closed[url]), url
    assert Check.WEIGHTS_PUBLIC in reason_kinds(closed[ART_53_2])


def test_the_model_page_gives_reasons_the_legal_text_and_says_it_is_not_legal_advice(client):
    response = client.get(reverse("comparisons:model", args=["llama-3-1-405b"]))
    assert response.status_code == 200
    page = text_of(response)
    assert "not legal advice" in page
    assert "Facts about the models as checked on 30 November 2026" in page
    assert "700,000,000 monthly active users" in page
    assert "usage restrictions triggered by user scale thresholds" in page
    html = response.content.decode()
    assert 'href="/eu/gpai-guidelines/open-source-exemptions/"' in html
    assert 'href="/eu/ai-act/art-51-2/"' in html


def test_the_grid_shows_every_model_against_the_key_provisions(client):
    response = client.get(reverse("comparisons:models"))
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<tr id="model-([-a-z0-9]+)"', html)
    assert set(rows) == MODELS_MD
    for citation in ("AI Act Art. 53(2)", "AI Act Art. 54(6)", "AI Act Art. 51(2)", "SB 53"):
        assert citation in html
    assert "not legal advice" in text_of(response)
    # China's Deep Synthesis duties are a column; where no provision sets conditions (Japan),
    # the page says so rather than showing nothing.
    assert "Deep Synthesis Provisions Art. 15" in html
    assert "No provision in the atlas for China" not in text_of(response)
    assert re.search(r"No provision in the atlas for [^.]*Japan", text_of(response))


def test_the_grid_filters_by_outcome_and_ignores_bad_values_with_a_message(client):
    response = client.get(reverse("comparisons:models"), {"provision": "p28", "outcome": "meets"})
    rows = set(re.findall(r'<tr id="model-([-a-z0-9]+)"', response.content.decode()))
    assert rows == {"olmo-2", "qwen3", "deepseek-r1", "glm-4-5", "phi-3-mini-and-phi-4"}
    bad = client.get(reverse("comparisons:models"), {"country": "Atlantis", "page": "x\x00"})
    assert bad.status_code == 200
    assert "This filter is ignored" in text_of(bad)
    assert len(re.findall(r'<tr id="model-', bad.content.decode())) == 20


def test_downloads_hold_the_grid(client):
    csv_text = client.get(reverse("comparisons:models-csv")).content.decode()
    lines = csv_text.strip().splitlines()
    assert len(lines) == 21
    assert "AI Act Art. 53(2)" in lines[0]
    olmo = next(line for line in lines if line.startswith("OLMo 2,"))
    assert "meets" in olmo
    data = client.get(reverse("comparisons:models-json"), {"q": "llama"}).json()
    assert "not legal advice" in data["note"]
    assert {m["slug"] for m in data["models"]} == {"llama-2-70b", "llama-3-1-405b", "llama-4"}


def test_the_models_csv_never_hands_a_spreadsheet_a_formula(client):
    import csv
    import io

    olmo = ModelProfile.objects.get(slug="olmo-2")
    ModelProfile.objects.filter(pk=olmo.pk).update(
        name='=HYPERLINK("https://evil.example","OLMo")', provider="+cmd|' /C calc'!A0"
    )
    rows = list(csv.reader(io.StringIO(client.get(reverse("comparisons:models-csv")).text)))
    row = next(row for row in rows if "HYPERLINK" in row[0])
    # A leading quote: the spreadsheet shows the text and runs nothing.
    assert row[:2] == ['\'=HYPERLINK("https://evil.example","OLMo")', "'+cmd|' /C calc'!A0"]


def test_the_provision_page_says_which_models_it_reaches(client):
    page = text_of(client.get(ART_53_2))
    assert "Which models does this reach?" in page
    section = page[page.index("Which models does this reach?") :]
    assert "Meet the conditions (5)" in section
    assert "OLMo 2" in section and "Llama 3.1 405B" in section
    # A provision that sets no condition has no such section.
    assert "Which models does this reach?" not in text_of(client.get("/eu/ai-act/recital-89/"))


def test_models_in_the_api_with_their_evaluations_and_in_the_schema(client):
    listing = client.get("/api/models/", {"page_size": 50}).json()
    assert listing["count"] == 20
    olmo = client.get("/api/models/olmo-2/").json()
    art_53_2 = next(e for e in olmo["evaluations"] if e["provision"] == "AI Act Art. 53(2)")
    assert art_53_2["outcome"] == "meets"
    assert olmo["sources"] and "not legal advice" in olmo["evaluation_note"]
    schema = client.get("/api/schema/").content.decode()
    assert "/api/models/{slug}/" in schema


def test_the_sitemap_lists_the_models_pages(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/models/</loc>" in sitemap
    assert "/models/olmo-2/</loc>" in sitemap
    assert "/models/check/</loc>" in sitemap


def test_search_finds_models(client):
    response = client.get("/search/", {"q": "llama"})
    page = text_of(response)
    assert "Models (3)" in page
    assert 'href="/models/llama-3-1-405b/"' in response.content.decode()


def test_the_admin_refuses_to_publish_a_fact_no_checked_source_supports(admin_client):
    from tests.admin_forms import submit

    profile = ModelProfile.objects.get(slug="gpt-oss-120b")
    url = reverse("admin:provisions_modelprofile_change", args=[profile.pk])
    # Unmark "what downloading asks for" (and OSI approval): no checked source supports them.
    response = submit(admin_client, url, {"uncertain_facts": "code_of_practice"})
    assert response.status_code == 200
    assert "Add a source for, or mark as uncertain" in response.content.decode()
    profile.refresh_from_db()
    assert "access_gate" in profile.uncertain_facts
    # With the facts marked uncertain again, the same form saves (and the history records it).
    before = profile.history.count()
    response = submit(admin_client, url, {"analysis": "Re-read on 30 November 2026."})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert profile.history.count() == before + 1


def test_the_whole_atlas_export_and_the_feed_carry_the_models(client):
    document = client.get("/export/atlas.json").json()
    olmo = next(m for m in document["models"] if m["slug"] == "olmo-2")
    assert olmo["url"].endswith("/models/olmo-2/") and olmo["sources"]
    assert any(e["outcome"] == "meets" for e in olmo["evaluations"])
    feed = client.get("/feeds/models.atom").content.decode()
    assert feed.count("<entry>") == 20
    assert "/models/gpt-4o/" in feed


def test_a_renamed_profile_keeps_its_old_url_as_a_redirect(client):
    with transaction.atomic():
        profile = ModelProfile.objects.get(slug="olmo-2")
        profile.slug = "olmo-2-family"
        profile.save()
        response = client.get("/models/olmo-2/")
        assert response.status_code == 301
        assert response["Location"] == "/models/olmo-2-family/"
        transaction.set_rollback(True)
