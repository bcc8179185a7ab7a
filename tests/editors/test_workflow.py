"""Draft → in review → published (→ withdrawn): who may move a record, and what the public sees."""

import io
import os

import pytest
from django.contrib.admin.sites import site
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from comparisons.models import Comparison
from provisions.models import Argument, EditorialState, Instrument, Provision, Silence
from tests.admin_forms import form_data
from tests.builders import drafts as make

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW = EditorialState.DRAFT, EditorialState.IN_REVIEW
PUBLISHED, WITHDRAWN = EditorialState.PUBLISHED, EditorialState.WITHDRAWN


def url(obj, view="change", *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.fixture
def editor(client):
    user = make.staff("Editors", "edith")
    client.force_login(user)
    return user


@pytest.fixture
def reviewer(client):
    user = make.staff("Reviewers", "rita")
    client.force_login(user)
    return user


def ready_draft() -> Provision:
    """A draft that has everything a published provision needs."""
    return make.provision(
        instrument=make.instrument(state=PUBLISHED, **make.SOURCED), **make.SOURCED
    )


def state_of(obj) -> str:
    return type(obj).objects.values_list("state", flat=True).get(pk=obj.pk)


# Editors


def test_editor_is_offered_only_draft_and_in_review(client, editor):
    response = client.get(reverse("admin:provisions_provision_add"))
    assert response.status_code == 200
    state = response.context["adminform"].form.fields["state"]
    assert [value for value, _label in state.choices] == [DRAFT, IN_REVIEW]


def test_editor_cannot_publish_with_a_crafted_post(client, editor):
    provision = ready_draft()
    page = client.get(url(provision))
    response = client.post(url(provision), form_data(page, state=PUBLISHED, _save="Save"))
    assert response.status_code == 200
    assert "Select a valid choice" in " ".join(response.context["adminform"].form.errors["state"])
    assert state_of(provision) == DRAFT
    # The same form, left a draft, saves: the refusal was about publishing, nothing else.
    response = client.post(url(provision), form_data(page, summary="Clearer words."))
    assert response.status_code == 302
    provision.refresh_from_db()
    assert provision.summary == "Clearer words."


def test_editor_has_no_publish_action_and_cannot_post_one(client, editor):
    provision = ready_draft()
    response = client.get(changelist(Provision))
    actions = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert "submit_for_review" in actions
    assert "publish" not in actions and "withdraw" not in actions
    for action in ("publish", "withdraw"):
        client.post(changelist(Provision), {"action": action, "_selected_action": [provision.pk]})
        assert state_of(provision) == DRAFT


def test_editor_submits_drafts_for_review(client, editor):
    draft, other = ready_draft(), ready_draft()
    response = client.post(
        changelist(Provision), {"action": "submit_for_review", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    assert state_of(draft) == IN_REVIEW
    assert state_of(other) == DRAFT
    assert draft.history.latest().history_user == editor


def test_editor_cannot_change_a_published_record(client, editor):
    provision = make.provision(
        state=PUBLISHED, summary="What it says, in our words.", **make.SOURCED
    )
    page = client.get(url(provision))
    assert page.status_code == 200  # shown read-only
    assert b'name="_save"' not in page.content
    response = client.post(url(provision), {"summary": "Rewritten", "state": DRAFT})
    assert response.status_code == 403
    provision.refresh_from_db()
    assert (provision.state, provision.summary) == (PUBLISHED, "What it says, in our words.")


@pytest.mark.parametrize("before", [PUBLISHED, WITHDRAWN, DRAFT])
def test_save_model_refuses_editors_entering_or_leaving_a_locked_state(editor, before):
    # The last line of defence, behind the form: whatever path reaches save_model.
    provision = make.provision(state=before, **make.SOURCED)
    request = RequestFactory().post("/")
    request.user = editor
    model_admin = site._registry[Provision]
    provision.state = PUBLISHED if before == DRAFT else DRAFT
    with pytest.raises(PermissionDenied):
        model_admin.save_model(request, provision, form=None, change=True)
    assert state_of(provision) == before


def test_editor_cannot_revert_a_published_record_to_an_old_draft(client, editor):
    provision = ready_draft()
    draft_version = provision.history.latest()
    provision.state = PUBLISHED
    provision.save()
    page = client.get(url(provision, "simple_history", draft_version.history_id))
    assert page.status_code == 200
    response = client.post(
        url(provision, "simple_history", draft_version.history_id), form_data(page)
    )
    assert response.status_code == 403
    assert state_of(provision) == PUBLISHED


def test_editor_inlines_of_a_published_record_are_locked_too(client, editor):
    provision = make.provision(state=PUBLISHED, **make.SOURCED)
    make.earlier_label(provision=provision)
    page = client.get(url(provision))
    formset = next(
        f for f in page.context["inline_admin_formsets"] if f.opts.model.__name__ == "EarlierLabel"
    )
    assert not formset.has_change_permission
    assert not formset.has_add_permission


# Reviewers


def test_reviewer_publishes_from_the_form(client, reviewer):
    provision = ready_draft()
    page = client.get(url(provision))
    response = client.post(url(provision), form_data(page, state=PUBLISHED))
    assert response.status_code == 302
    assert state_of(provision) == PUBLISHED
    assert provision.history.latest().history_user == reviewer


def test_reviewer_is_told_why_an_unsourced_draft_cannot_be_published(client, reviewer):
    provision = make.provision()
    page = client.get(url(provision))
    response = client.post(url(provision), form_data(page, state=PUBLISHED))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "URL of its source" in " ".join(errors["source_url"])
    # No check of its own yet, but the day it was entered stands ("Entered on"), never a check.
    assert "checked_on" not in errors
    assert state_of(provision) == DRAFT


@pytest.mark.parametrize("model", [Instrument, Provision, Silence, Argument, Comparison])
def test_reviewer_publishes_and_withdraws_with_the_actions(client, reviewer, model):
    builder = getattr(make, model._meta.model_name)
    extra = {} if model is Comparison else make.SOURCED
    ready, unsourced = builder(**extra), builder()
    response = client.post(
        changelist(model),
        {"action": "publish", "_selected_action": [ready.pk, unsourced.pk]},
        follow=True,
    )
    assert state_of(ready) == PUBLISHED
    said = [str(m) for m in get_messages(response.wsgi_request)]
    if model is Comparison:
        assert state_of(unsourced) == PUBLISHED  # a comparison cites no source of its own
    else:
        assert state_of(unsourced) == DRAFT
        assert any(f"“{unsourced}” stays as it was" in m for m in said), said
    assert ready.history.latest().history_user == reviewer

    client.post(changelist(model), {"action": "withdraw", "_selected_action": [ready.pk]})
    assert state_of(ready) == WITHDRAWN


# What the public sees


@pytest.mark.parametrize("model", [Instrument, Provision, Silence, Argument, Comparison])
def test_only_published_records_reach_the_public_queryset(model):
    builder = getattr(make, model._meta.model_name)
    extra = {} if model is Comparison else make.SOURCED
    records = {state: builder(state=state, **extra) for state in EditorialState.values}
    assert list(model.objects.published()) == [records[PUBLISHED]]


def test_public_provisions_need_a_published_instrument_too():
    draft_instrument = make.instrument()
    hidden = make.provision(instrument=draft_instrument, state=PUBLISHED, **make.SOURCED)
    shown = make.provision(state=PUBLISHED, **make.SOURCED)
    Instrument.objects.filter(pk=shown.instrument_id).update(state=PUBLISHED, **make.SOURCED)
    make.provision(instrument=shown.instrument)  # a draft in a published instrument
    assert list(Provision.objects.public()) == [shown]
    assert hidden not in Provision.objects.public()


def test_a_draft_provision_page_is_not_found_but_its_published_twin_is(client):
    provision = ready_draft()
    assert client.get(provision.get_absolute_url()).status_code == 404
    Provision.objects.filter(pk=provision.pk).update(state=PUBLISHED)
    response = client.get(provision.get_absolute_url())
    assert response.status_code == 200
    assert provision.summary in response.content.decode()


# History


def test_a_change_is_recorded_with_its_author_and_can_be_restored(client, editor):
    provision = ready_draft()
    original = provision.summary
    page = client.get(url(provision))
    client.post(url(provision), form_data(page, summary="A second wording."))
    provision.refresh_from_db()
    assert provision.summary == "A second wording."
    latest = provision.history.latest()
    assert latest.history_user == editor
    assert latest.history_type == "~"

    history_page = client.get(url(provision, "history"))
    assert history_page.status_code == 200
    assert b"edith" in history_page.content

    first = provision.history.earliest()
    revert_page = client.get(url(provision, "simple_history", first.history_id))
    assert revert_page.status_code == 200
    response = client.post(
        url(provision, "simple_history", first.history_id), form_data(revert_page)
    )
    assert response.status_code == 302
    provision.refresh_from_db()
    assert provision.summary == original
    assert provision.history.count() == 3
    assert provision.history.latest().history_user == editor
    # The history says what happened, not "None".
    restored = provision.history.latest().history_change_reason
    assert restored == f"Restored the version of {first.history_date:%Y-%m-%d %H:%M}"
    second = provision.history.order_by("history_id")[1]
    assert second.history_change_reason == "Changed Summary (our words)"


def test_load_atlas_starts_every_loaded_records_history():
    from provisions.management.commands.load_atlas import record_initial_history

    provision = make.provision()
    provision.history.all().delete()  # as after loaddata's raw saves
    assert record_initial_history() >= 1
    assert provision.history.count() == 1
    assert provision.history.get().history_change_reason == "Loaded from fixtures/"
    assert record_initial_history() == 0  # records with history keep it as it is


# Accounts


def test_setup_groups_is_idempotent():
    from django.contrib.auth.models import Group

    call_command("setup_groups", stdout=io.StringIO())
    first = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    call_command("setup_groups", stdout=io.StringIO())
    again = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert first == again
    assert "publish_provision" in first["Reviewers"]
    assert "publish_provision" not in first["Editors"]
    assert "change_provision" in first["Editors"]
    assert "delete_provision" not in first["Editors"]


def test_create_editor_for_scripts(monkeypatch):
    from django.contrib.auth.models import User

    monkeypatch.setitem(os.environ, "ATLAS_EDITOR_PASSWORD", "a long and unusual passphrase")
    call_command("create_editor", "--username", "ed", stdout=io.StringIO())
    user = User.objects.get(username="ed")
    assert user.is_staff and not user.is_superuser
    assert [g.name for g in user.groups.all()] == ["Editors"]
    assert user.check_password("a long and unusual passphrase")

    monkeypatch.setitem(os.environ, "ATLAS_EDITOR_PASSWORD", "short")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_editor", "--username", "ed2", stdout=io.StringIO())
    with pytest.raises(CommandError, match="already an account"):
        call_command("create_editor", "--username", "ed", stdout=io.StringIO())
