"""Renaming a slug in the admin keeps every old URL working, as a single 301 to the new one."""

import re

import pytest
from django.urls import reverse

from provisions.models import Argument, Instrument, Jurisdiction, MovedPath, Provision
from tests.admin_forms import submit
from tests.builders import published as make


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def rename(client, obj, **changes):
    response = submit(client, change_url(obj), {k: str(v) for k, v in changes.items()})
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>|errornote[^>]*>(.*?)</p>", response.content.decode(), re.S
    )
    obj.refresh_from_db()
    return obj


def assert_moved(client, old, new):
    response = client.get(old)
    assert response.status_code == 301, old
    assert response["Location"] == new
    assert client.get(new).status_code == 200, new


@pytest.fixture
def world(db):
    eu = make.jurisdiction(code="eu", name="European Union", short_name="EU")
    act = make.instrument(jurisdiction=eu, slug="ai-act", short_title="AI Act")
    article = make.provision(instrument=act, slug="art-53-2", label="Art. 53(2)")
    argument = make.argument(provisions=[article], slug="open-weights-help-research")
    return {"eu": eu, "act": act, "article": article, "argument": argument}


def test_renaming_an_instrument_redirects_it_and_every_provision_under_it(admin_client, world):
    act = rename(admin_client, world["act"], slug="eu-ai-act")
    assert act.get_absolute_url() == "/eu/eu-ai-act/"
    assert_moved(admin_client, "/eu/ai-act/", "/eu/eu-ai-act/")
    assert_moved(admin_client, "/eu/ai-act/art-53-2/", "/eu/eu-ai-act/art-53-2/")
    # The API links by id: unchanged.
    assert admin_client.get(f"/api/provisions/{world['article'].pk}/").status_code == 200


def test_renaming_a_jurisdiction_code_redirects_everything_below_it(admin_client, world):
    rename(admin_client, world["eu"], code="european-union")
    assert_moved(admin_client, "/eu/", "/european-union/")
    assert_moved(admin_client, "/eu/ai-act/", "/european-union/ai-act/")
    assert_moved(admin_client, "/eu/ai-act/art-53-2/", "/european-union/ai-act/art-53-2/")


def test_renaming_a_provision_or_an_argument_redirects_the_old_url(admin_client, world):
    rename(admin_client, world["article"], slug="art-53-2-a")
    assert_moved(admin_client, "/eu/ai-act/art-53-2/", "/eu/ai-act/art-53-2-a/")
    rename(admin_client, world["argument"], slug="open-weights-aid-research")
    assert_moved(
        admin_client,
        "/arguments/open-weights-help-research/",
        "/arguments/open-weights-aid-research/",
    )


def test_renaming_twice_is_still_one_hop_and_renaming_back_restores_the_page(admin_client, world):
    rename(admin_client, world["act"], slug="act-2")
    rename(admin_client, world["act"], slug="act-3")
    assert_moved(admin_client, "/eu/ai-act/art-53-2/", "/eu/act-3/art-53-2/")
    assert_moved(admin_client, "/eu/act-2/art-53-2/", "/eu/act-3/art-53-2/")
    rename(admin_client, world["act"], slug="ai-act")
    assert admin_client.get("/eu/ai-act/art-53-2/").status_code == 200
    assert_moved(admin_client, "/eu/act-3/art-53-2/", "/eu/ai-act/art-53-2/")
    assert not MovedPath.objects.filter(old_path="/eu/ai-act/art-53-2/").exists()


def test_a_new_record_at_an_old_url_takes_it_over(admin_client, world):
    rename(admin_client, world["act"], slug="eu-ai-act")
    make.instrument(jurisdiction=world["eu"], slug="ai-act", short_title="Another act")
    response = admin_client.get("/eu/ai-act/")
    assert response.status_code == 200  # the new record's page, not a redirect to the old one
    assert "Another act" in response.content.decode()


@pytest.mark.parametrize("model", [Jurisdiction, Instrument, Provision, Argument])
def test_saving_without_a_rename_leaves_no_redirect(admin_client, world, model):
    obj = model.objects.first()
    rename(admin_client, obj)
    assert not MovedPath.objects.exists()


def test_renaming_a_draft_leaves_no_redirect_to_reveal_it(world):
    from provisions.models import EditorialState

    draft = make.provision(
        instrument=world["act"], slug="art-54", label="Art. 54", state=EditorialState.DRAFT
    )
    old = draft.get_absolute_url()
    draft.slug = "unreviewed-editor-slug"
    draft.save()  # as the admin saves it
    draft_law = make.instrument(
        jurisdiction=world["eu"], slug="draft-law", state=EditorialState.DRAFT
    )
    draft_law.slug = "unreviewed-law"
    draft_law.save()
    assert not MovedPath.objects.exists()
    from django.test import Client

    response = Client().get(old)
    assert response.status_code == 404
    assert "unreviewed" not in response.content.decode()
