"""The curated dataset in fixtures/: it loads on an empty database and every record holds up.

The fixtures are loaded once for this module inside a transaction that is rolled back at the end,
so other test modules still start from an empty database.
"""

import datetime
import io
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models, transaction

from comparisons.models import Comparison
from provisions.models import (
    Argument,
    EarlierLabel,
    EditorialState,
    Instrument,
    InstrumentRelation,
    Jurisdiction,
    LegalStatus,
    LinkCheck,
    MovedPath,
    Provision,
    ProvisionText,
    ReviewComment,
    Silence,
    Source,
    Topic,
    Verification,
)

PUBLISHED = EditorialState.PUBLISHED
SOURCED_MODELS = [Instrument, Provision, Silence, Argument]
CURATED_APPS = ["provisions", "comparisons"]


def curated_models():
    """Every concrete model the dataset can fill (history tables excluded)."""
    for label in CURATED_APPS:
        for model in apps.get_app_config(label).get_models():
            # Moved pages are left behind by renames in the admin, link checks by check_links,
            # review comments by editors and reviewers, never by the dataset.
            left_by_work = (MovedPath, LinkCheck, ReviewComment)
            if not model.__name__.startswith("Historical") and model not in left_by_work:
                yield model


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in curated_models()}


@pytest.fixture(scope="module")
def atlas(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        empty = counts()
        call_command("load_atlas", verbosity=0)
        yield empty
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]


def test_load_atlas_fills_an_empty_database_and_atlas_stats_prints_counts(atlas):
    assert set(atlas.values()) == {0}, "the migrated test database must start empty"
    out = io.StringIO()
    call_command("atlas_stats", stdout=out)
    text = out.getvalue()
    for code in ["us", "eu", "cn", "us-ca"]:
        assert f"\n  {code}" in text
    published_instruments = Instrument.objects.published().count()
    assert published_instruments >= 15
    assert f"instruments      {Instrument.objects.count()} (" in text
    assert f"earlier labels   {EarlierLabel.objects.count()}" in text
    assert EarlierLabel.objects.count() == 9


def test_load_atlas_twice_gives_the_same_counts():
    before = counts()
    call_command("load_atlas", verbosity=0)
    assert counts() == before
    assert all(before[name] > 0 for name in ["Instrument", "Provision", "Argument", "Topic"])


@pytest.mark.parametrize("model", list(curated_models()), ids=lambda m: m.__name__)
def test_every_loaded_record_passes_model_validation(model):
    objects = list(model.objects.all())
    assert objects, f"the dataset has no {model.__name__}"
    for obj in objects:
        obj.full_clean()


@pytest.mark.parametrize("model", SOURCED_MODELS, ids=lambda m: m.__name__)
def test_published_records_have_source_check_date_and_real_verification(model):
    published = model.objects.published()
    assert published.exists()
    for obj in published:
        assert obj.source_url, obj
        # The day the record was checked against the copy it names, or, with no check of its
        # own recorded, the day it was entered; never a future day.
        word, day = obj.check_words
        assert day and day <= datetime.date(2026, 12, 7), obj
        assert word == ("Checked on" if obj.checked_on else "Entered on"), obj
        assert obj.verification in (Verification.OFFICIAL, Verification.SECONDARY), obj


@pytest.mark.parametrize("model", SOURCED_MODELS, ids=lambda m: m.__name__)
def test_no_unverified_record_is_published(model):
    unverified = model.objects.filter(verification=Verification.UNVERIFIED)
    assert not unverified.filter(state=PUBLISHED).exists()


def test_published_arguments_rest_on_checked_sources():
    for argument in Argument.objects.published().select_related("source"):
        assert argument.source.verification != Verification.UNVERIFIED, argument
        assert argument.source.url


def test_every_url_field_is_http_or_https():
    checked = 0
    for model in curated_models():
        url_fields = [f.name for f in model._meta.fields if isinstance(f, models.URLField)]
        for obj in model.objects.all():
            for name in url_fields:
                value = getattr(obj, name)
                if value:
                    assert urlsplit(value).scheme in ("http", "https"), (obj, name, value)
                    checked += 1
    assert checked > 100


def test_every_published_provision_has_summary_topic_and_component():
    provisions = Provision.objects.published().prefetch_related("topics", "components")
    assert provisions.count() >= 30
    for provision in provisions:
        assert provision.summary.strip(), provision
        assert provision.topics.all(), f"{provision} has no topic"
        assert provision.components.all(), f"{provision} has no component"


def test_the_laws_words_are_only_in_texts_and_each_names_its_source():
    # The former single quotation on the provision is gone (moved into texts by a migration).
    assert not {f.name for f in Provision._meta.get_fields()} & {
        "official_text",
        "official_text_url",
    }
    for text in ProvisionText.objects.all():
        assert text.source_url, text


def test_every_earlier_label_resolves_to_exactly_one_provision():
    current = set(Provision.objects.values_list("instrument_id", "slug"))
    for label in EarlierLabel.objects.select_related("provision"):
        assert label.instrument_id == label.provision.instrument_id
        matches = EarlierLabel.objects.filter(instrument_id=label.instrument_id, slug=label.slug)
        assert matches.count() == 1, label
        assert (label.instrument_id, label.slug) not in current, (
            f"{label} is also the current slug of a provision"
        )
        assert label.text_version and label.source_url


def test_earlier_labels_keep_the_verification_facts_md_gives_them():
    ai_act = Provision.objects.filter(instrument__slug="ai-act")
    expected = {
        # The audit (E11): the page cited for these concerns Art. 52ca only, so unverified.
        "art-2-5g": ("art-2-12", Verification.UNVERIFIED),
        "art-28-2b": ("art-25-4", Verification.UNVERIFIED),
        "art-52c-minus-2": ("art-53-2", Verification.UNVERIFIED),
        "art-52ca-5": ("art-54-6", Verification.UNVERIFIED),
        "recital-57e": ("recital-89", Verification.SECONDARY),
        "recital-60i": ("recital-102", Verification.UNVERIFIED),
        "recital-60i-plus-1": ("recital-103", Verification.UNVERIFIED),
        "recital-60f": ("recital-104", Verification.UNVERIFIED),
        "recital-60o": ("recital-112", Verification.UNVERIFIED),
    }
    labels = EarlierLabel.objects.filter(provision__in=ai_act).select_related("provision")
    assert {label.slug: (label.provision.slug, label.verification) for label in labels} == expected
    for label in labels:
        # The draft numbers belong to the Coreper text, not the March 2024 Parliament text.
        assert "2 Feb 2024" in label.text_version
        assert "not the 13 March 2024" in label.text_version


def test_key_facts_are_as_the_fact_base_says():
    eo_14110 = Instrument.objects.get(jurisdiction__code="us", slug="eo-14110")
    assert eo_14110.status == LegalStatus.REVOKED
    assert eo_14110.ended_on == datetime.date(2025, 1, 20)
    assert eo_14110.ended_by.identifier.startswith("Executive Order 14148,")
    assert InstrumentRelation.objects.filter(
        source=eo_14110.ended_by, kind="revokes", target=eo_14110
    ).exists()
    # The revoking order is settled (EO 14148 Sec. 2(ggg)); the earlier conflicting reports stay
    # on record rather than vanish.
    assert "2(ggg)" in eo_14110.status_note and "EO 14145" in eo_14110.status_note

    section = Provision.objects.get(instrument=eo_14110, slug="sec-4-6-a-i")
    assert [section.parent.label, section.parent.parent.label] == ["Sec. 4.6(a)", "Sec. 4.6"]

    art_53_2 = Provision.objects.get(instrument__slug="ai-act", slug="art-53-2")
    assert art_53_2.earlier_labels.get().label == "Art. 52c(-2)"
    assert art_53_2.treatment == "exempts_conditionally"
    assert art_53_2.applies_from == datetime.date(2025, 8, 2)
    assert art_53_2.conditions.filter(slug="systemic-risk").exists()

    ai_act = Instrument.objects.get(slug="ai-act")
    assert ai_act.in_force_on == datetime.date(2024, 8, 1)
    assert {e.date for e in ai_act.events.all()} >= {
        datetime.date(2025, 2, 2),
        datetime.date(2025, 8, 2),
        datetime.date(2026, 8, 2),
    }

    sb_1047 = Instrument.objects.get(jurisdiction__code="us-ca", slug="sb-1047")
    assert sb_1047.status == LegalStatus.VETOED
    assert sb_1047.ended_on == datetime.date(2024, 9, 29)
    assert sb_1047.jurisdiction.parent.code == "us"

    bis = Instrument.objects.get(slug="ai-diffusion-rule")
    assert bis.provisions.get(slug="eccn-4e091").treatment == "exempts"

    # Resolved by facts-2026 (E16): both numbers are right, for different documents.
    guidelines = Instrument.objects.get(slug="gpai-guidelines")
    assert "C(2025) 5045" in guidelines.identifier and "C(2025) 7719" in guidelines.identifier
    assert "5045" in guidelines.status_note and "7719" in guidelines.status_note


def test_mozilla_signatory_count_is_not_stated_as_fact():
    argument = Argument.objects.get(slug="openness-makes-ai-safer")
    assert "1,800" not in argument.summary
    assert "unverified" in argument.source.note


def test_china_silence_is_published_only_where_it_was_checked():
    checked = Silence.objects.get(
        jurisdiction__code="cn", instruments__slug="genai-interim-measures", state=PUBLISHED
    )
    assert checked.verification == Verification.OFFICIAL
    assert checked.reviewed_on == datetime.date(2026, 11, 30)
    broad = Silence.objects.get(jurisdiction__code="cn", period_start=datetime.date(2019, 1, 1))
    assert broad.state == EditorialState.DRAFT
    assert broad.verification == Verification.UNVERIFIED
    blueprint = Silence.objects.get(instruments__slug="ai-bill-of-rights")
    assert blueprint.state == EditorialState.DRAFT


def matrix_cells(jurisdiction: Jurisdiction) -> dict:
    """What each topic's cell holds for one jurisdiction: provisions, silence, or nothing."""
    provided = set(
        Provision.objects.public()
        .filter(instrument__jurisdiction=jurisdiction)
        .values_list("topics", flat=True)
    )
    silent = set()
    for silence in Silence.objects.published().filter(jurisdiction=jurisdiction):
        topics = set(silence.topics.values_list("pk", flat=True))
        silent |= topics or set(Topic.objects.values_list("pk", flat=True))
    cells = {}
    for topic in Topic.objects.all():
        if topic.pk in provided:
            cells[topic.slug] = "provisions"
        elif topic.pk in silent:
            cells[topic.slug] = "silent, reviewed"
        else:
            cells[topic.slug] = "not yet reviewed"
    return cells


@pytest.mark.parametrize("code", ["us", "cn"])
def test_home_matrix_shows_silence_and_provisions_and_no_unreviewed_cell(code):
    # Since the 30 Nov 2026 review every home cell has provisions or a finding of
    # silence; tests/dataset/test_dataset_2026.py checks the rendered page too.
    cells = matrix_cells(Jurisdiction.objects.get(code=code))
    assert "silent, reviewed" in cells.values()
    assert "not yet reviewed" not in cells.values()
    assert "provisions" in cells.values()


def test_eu_matrix_answers_the_articles_questions():
    cells = matrix_cells(Jurisdiction.objects.get(code="eu"))
    for topic in [
        "scope-exemption",
        "open-source-definition",
        "monetisation",
        "documentation",
        "training-data-copyright",
        "authorised-representative",
        "value-chain",
        "systemic-risk",
    ]:
        assert cells[topic] == "provisions", topic
    # The AI Act's silence does not speak for EU funding of open models (the 7 Dec 2026 audit):
    # that question is not yet reviewed until a Commission text on it is read.
    assert [t for t, cell in cells.items() if cell == "not yet reviewed"] == ["promotion"]


def test_topics_are_between_8_and_15_and_ordered():
    topics = list(Topic.objects.all())
    assert 8 <= len(topics) <= 15
    assert [t.order for t in topics] == sorted(t.order for t in topics)
    assert all(t.question.endswith("?") for t in topics)


def test_home_comparison_has_us_eu_china_in_that_order():
    home = Comparison.objects.get(is_home=True)
    assert home.slug == "open-source-ai-models"
    assert home.state == PUBLISHED
    assert home.rows == Comparison.Rows.TOPICS
    codes = [c.jurisdiction.code for c in home.columns.select_related("jurisdiction")]
    assert codes == ["us", "eu", "cn"]
    components = Comparison.objects.get(slug="open-weights-and-components")
    assert components.rows == Comparison.Rows.COMPONENTS
    assert components.state == PUBLISHED


def test_every_source_has_a_url_and_arxiv_ids_match_their_urls():
    for source in Source.objects.all():
        assert source.url
        if source.arxiv_id and "arxiv.org" in source.url:
            assert source.url.endswith(source.arxiv_id)
