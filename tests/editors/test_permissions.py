"""Who sees and does what, over HTTP: the public sees published records only, anywhere; the admin
is closed to anonymous visitors; Editors draft but cannot publish; Reviewers publish."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from provisions.models import EditorialState, Provision
from tests.builders import published as make
from tests.public_urls import public_urls

HIDDEN = [EditorialState.DRAFT, EditorialState.IN_REVIEW, EditorialState.WITHDRAWN]


@pytest.fixture
def world(db):
    """A published atlas with unpublished records of every kind mixed in, each with a marker."""
    eu = make.jurisdiction(code="eu")
    topic, weights = make.topic(), make.component()
    act = make.instrument(jurisdiction=eu, slug="ai-act")
    shown = make.provision(instrument=act, topics=[topic], components=[weights])
    make.comparison(jurisdictions=[eu], topics=[topic], is_home=True)
    hidden = {}
    public_relatives = []
    for state in HIDDEN:
        marker = f"zq{state.replace('_', '')}marker"
        hidden[marker] = [
            make.instrument(jurisdiction=eu, state=state, title=f"Instrument {marker}"),
            make.provision(
                instrument=act,
                state=state,
                summary=f"Provision {marker}",
                heading=marker,
                topics=[topic],
                components=[weights],
            ),
            # A published provision of an unpublished instrument is not public either.
            make.provision(
                instrument=make.instrument(jurisdiction=eu, state=state),
                summary=f"Orphan {marker}",
                topics=[topic],
                components=[weights],
            ),
            make.argument(state=state, title=f"Argument {marker}", provisions=[shown]),
            make.silence(jurisdiction=eu, state=state, statement=f"Silence {marker}"),
        ]
        make.comparison(
            jurisdictions=[eu], state=state, title=f"Comparison {marker}", slug=f"c-{state}"
        )
        # Drafts reached through a published record: an unpublished parent of a published
        # provision, an unpublished child of one (hard_cases in tests/builders.py).
        relatives = make.hard_cases(
            jurisdiction=eu,
            topic=topic,
            mixed_topic=make.topic(),
            hidden_state=state,
            marker=f"zq{state.replace('_', '')}relative",
        )
        hidden[f"zq{state.replace('_', '')}relative"] = [
            relatives["hidden_parent"],
            relatives["hidden_child"],
        ]
        public_relatives.append(relatives)
    return {"shown": shown, "hidden": hidden, "relatives": public_relatives}


def test_the_public_never_sees_an_unpublished_record_anywhere(world):
    """Planted and caught (drafts through relations): the provision page's parent shown
    without its ``is_published`` test, its children prefetched without ``.published()``, the
    API's ``parent`` id given for an unpublished parent."""
    client = Client()
    urls = public_urls()
    # Search for the words around the markers (a query for the marker itself is echoed back).
    urls += [f"/search/?q={word}" for word in ("Orphan", "Provision", "Argument", "Silence")]
    urls += ["/search/?q=Instrument", "/search/?q=Comparison"]
    urls += ["/api/provisions/?j=eu", "/api/instruments/?jurisdiction=eu", "/?j=eu"]
    for url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            body = client.get(url, headers=headers, follow=True).content.decode()
            for marker in world["hidden"]:
                assert marker not in body, f"{marker} shown on {url}"
    for relatives in world["relatives"]:
        # The API names a parent by id: a published child of an unpublished parent has none.
        child = client.get(f"/api/provisions/{relatives['child_of_hidden'].pk}/").json()
        assert child["parent"] is None
        parent = client.get(f"/api/provisions/{relatives['undated'].pk}/").json()
        assert parent["id"] == relatives["undated"].pk
        # ... and the public child of a published parent is still named on the page.
        page = client.get(relatives["undated"].get_absolute_url()).content.decode()
        assert "Shown child" in page
    for marker, records in world["hidden"].items():
        for record in records:
            if hasattr(record, "get_absolute_url"):
                assert client.get(record.get_absolute_url()).status_code == 404, record
        if marker.endswith("relative"):
            continue
        orphan = records[2]
        assert client.get(f"/api/provisions/{orphan.pk}/").status_code == 404
        assert client.get(f"/api/provisions/{records[1].pk}/").status_code == 404
        assert client.get(f"/api/instruments/{records[0].pk}/").status_code == 404
    for state in HIDDEN:
        assert client.get(f"/compare/c-{state}/").status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page_from_every_admin_page(world):
    client = Client()
    from django.contrib import admin

    provision = world["shown"]
    for model in admin.site._registry:
        meta = model._meta
        for view, args in [("changelist", []), ("add", [])]:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("admin:login")), url
    change = reverse("admin:provisions_provision_change", args=[provision.pk])
    assert client.get(change).status_code == 302
    response = client.post(change, {"summary": "Vandalised", "state": "draft"})
    assert response.status_code == 302
    provision.refresh_from_db()
    assert provision.summary != "Vandalised"


@pytest.fixture
def roles(db):
    call_command("setup_groups", verbosity=0)
    people = {}
    for name, group in [("edith", "Editors"), ("rachel", "Reviewers")]:
        user = User.objects.create_user(name, password="p" * 20, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        client = Client()
        client.force_login(user)
        people[name] = client
    return people


def publish_action(client, provision):
    return client.post(
        reverse("admin:provisions_provision_changelist"),
        {"action": "publish", "_selected_action": [provision.pk]},
    )


def test_an_editor_drafts_but_cannot_publish_and_a_reviewer_can(roles, world):
    draft = world["hidden"]["zqdraftmarker"][1]
    edith, rachel = roles["edith"], roles["rachel"]

    assert edith.get(reverse("admin:provisions_provision_changelist")).status_code == 200
    assert edith.get(reverse("admin:auth_user_changelist")).status_code == 403
    publish_action(edith, draft)
    draft.refresh_from_db()
    assert draft.state == EditorialState.DRAFT
    assert Client().get(draft.get_absolute_url()).status_code == 404

    publish_action(rachel, draft)
    draft.refresh_from_db()
    assert draft.state == EditorialState.PUBLISHED
    response = Client().get(draft.get_absolute_url())
    assert response.status_code == 200
    assert draft.summary in response.content.decode()  # the public now reads what she wrote


def test_an_editor_cannot_change_or_delete_a_published_record(roles, world):
    shown = world["shown"]
    edith = roles["edith"]
    change = reverse("admin:provisions_provision_change", args=[shown.pk])
    response = edith.post(change, {"summary": "Quietly rewritten"})
    assert response.status_code in (302, 403)
    delete = reverse("admin:provisions_provision_delete", args=[shown.pk])
    assert edith.post(delete, {"post": "yes"}).status_code == 403
    shown.refresh_from_db()
    assert shown.summary != "Quietly rewritten"
    assert Provision.objects.filter(pk=shown.pk).exists()
