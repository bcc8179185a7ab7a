"""A provision's form leads with its texts; the former single quotation field is gone, its data
moved into texts by a reversible migration."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from tests.builders import drafts as make

BEFORE = [("provisions", "0019_review_comments")]
AFTER = [("provisions", "0020_official_text_into_texts")]


@pytest.mark.django_db
def test_the_form_leads_with_the_texts_and_has_no_quotation_field(client):
    client.force_login(make.staff("Editors", "edith"))
    provision = make.provision()
    for url in (
        reverse("admin:provisions_provision_add"),
        reverse("admin:provisions_provision_change", args=[provision.pk]),
    ):
        response = client.get(url)
        html = response.content.decode()
        form = response.context["adminform"].form
        assert "official_text" not in form.fields and "official_text_url" not in form.fields
        assert 'name="official_text' not in html
        texts = html.index('id="texts-group"')
        assert html.index('name="label"') < texts < html.index('name="summary"')
        assert texts < html.index('id="earlier_labels-group"')


def migrate(to):
    """Migrate to ``to`` and return the models as they are now: with what ``to`` needs and with
    every other branch of the graph that stays applied (other apps' and sibling migrations'
    fields are real columns, so the models must know them)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(to)
    loader = MigrationLoader(connection)
    applied = [node for node in loader.applied_migrations if node in loader.graph.nodes]
    return loader.project_state(applied).apps


@pytest.mark.django_db(transaction=True)
def test_the_quotation_moves_into_a_text_and_back():
    apps = migrate(BEFORE)
    try:
        Provision = apps.get_model("provisions", "Provision")
        Instrument = apps.get_model("provisions", "Instrument")
        Jurisdiction = apps.get_model("provisions", "Jurisdiction")
        ProvisionText = apps.get_model("provisions", "ProvisionText")
        place = Jurisdiction.objects.create(code="xx", name="Testland")
        act = Instrument.objects.create(
            jurisdiction=place, slug="act", title="An act", short_title="Act", kind="law",
            binding=True, status="in_force", summary="An act.",
        )  # fmt: skip
        common = {"instrument": act, "kind": "article", "summary": "S.", "treatment": "exempts"}
        alone = Provision.objects.create(
            label="Art. 1", slug="art-1", official_text="(a) Quoted words only here.",
            official_text_url="https://example.org/oj", checked_on="2026-11-30",
            verification="official", state="published", source_url="https://example.org/oj",
            **common,
        )  # fmt: skip
        duplicate = Provision.objects.create(
            label="Art. 2", slug="art-2", official_text="model's weights - Widely available…",
            official_text_url="https://example.org/oj", **common,
        )  # fmt: skip
        ProvisionText.objects.create(
            provision=duplicate, kind="authentic", language="en", version_label="Original",
            body="1. Every model’s weights — widely available to all.",
        )  # fmt: skip

        apps = migrate(AFTER)
        ProvisionText = apps.get_model("provisions", "ProvisionText")
        Provision = apps.get_model("provisions", "Provision")
        assert not {f.name for f in Provision._meta.get_fields()} & {"official_text"}
        moved = ProvisionText.objects.get(provision_id=alone.pk)
        assert (moved.body, moved.source_url, moved.kind, moved.language) == (
            "(a) Quoted words only here.",
            "https://example.org/oj",
            "authentic",
            "en",
        )
        # Checked words, but a kind and language a reviewer confirms: in review, not public.
        assert (moved.state, moved.verification, str(moved.checked_on)) == (
            "in_review",
            "official",
            "2026-11-30",
        )
        assert ProvisionText.objects.filter(provision_id=duplicate.pk).count() == 1

        apps = migrate(BEFORE)
        Provision = apps.get_model("provisions", "Provision")
        ProvisionText = apps.get_model("provisions", "ProvisionText")
        restored = Provision.objects.get(pk=alone.pk)
        assert restored.official_text == "(a) Quoted words only here."
        assert restored.official_text_url == "https://example.org/oj"
        assert not ProvisionText.objects.filter(provision_id=alone.pk).exists()
    finally:
        migrate(AFTER)
