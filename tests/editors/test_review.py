"""Moving work with the buttons on a record's form, and the review comments that go with it."""

import datetime

import pytest
from django.urls import reverse

from provisions.models import EditorialState, Provision, ReviewComment
from tests.admin_forms import form_data
from tests.builders import drafts as make

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW = EditorialState.DRAFT, EditorialState.IN_REVIEW
PUBLISHED, WITHDRAWN = EditorialState.PUBLISHED, EditorialState.WITHDRAWN


def change_url(obj) -> str:
    return reverse("admin:provisions_provision_change", args=[obj.pk])


def ready_draft(**fields) -> Provision:
    """A draft that has everything a published provision needs."""
    return make.provision(
        instrument=make.instrument(state=PUBLISHED, **make.SOURCED), **make.SOURCED, **fields
    )


def state_of(obj) -> str:
    return type(obj).objects.values_list("state", flat=True).get(pk=obj.pk)


def press(client, obj, button: str, **changes):
    """Open the record's form, change fields, press a workflow button."""
    page = client.get(change_url(obj))
    assert page.status_code == 200
    return client.post(change_url(obj), form_data(page, _transition=button, **changes))


def buttons(html: str) -> list[str]:
    keys = ("submit", "send_back", "publish", "withdraw")
    return [key for key in keys if f'value="{key}"' in html]


def test_the_form_leads_with_the_state_and_offers_each_user_only_their_moves(client):
    draft = ready_draft()
    client.force_login(make.staff("Editors", "edith"))
    html = client.get(change_url(draft)).content.decode()
    assert "Editorial state: <span" in html and ">Draft</span>" in html
    assert html.index("Editorial state:") < html.index('name="label"')  # above the fields
    assert buttons(html) == ["submit"]

    client.force_login(make.staff("Reviewers", "rita"))
    assert buttons(client.get(change_url(draft)).content.decode()) == ["submit", "publish"]
    draft.state = IN_REVIEW
    draft.save()
    assert buttons(client.get(change_url(draft)).content.decode()) == ["send_back", "publish"]
    draft.state = PUBLISHED
    draft.save()
    assert buttons(client.get(change_url(draft)).content.decode()) == ["withdraw"]


def test_an_editor_submits_from_the_form_and_the_history_says_who(client):
    editor = make.staff("Editors", "edith")
    client.force_login(editor)
    draft = ready_draft()
    response = press(client, draft, "submit", summary="Clearer words.")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.summary) == (IN_REVIEW, "Clearer words.")
    latest = draft.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason == "Submitted for review; changed Summary (our words)"


def test_an_editor_cannot_press_a_reviewers_button(client):
    client.force_login(make.staff("Editors", "edith"))
    draft = ready_draft()
    for button in ("publish", "withdraw", "send_back"):
        response = press(client, draft, button, review_comment="Let me.")
        assert response.status_code == 200
        assert "not open to you" in response.content.decode()
        assert state_of(draft) == DRAFT
    assert not ReviewComment.objects.exists()


def test_sending_back_needs_a_comment_and_keeps_it_in_the_thread(client):
    reviewer = make.staff("Reviewers", "rita")
    client.force_login(reviewer)
    draft = ready_draft(state=IN_REVIEW)
    response = press(client, draft, "send_back")
    assert response.status_code == 200
    assert "sending back needs a comment" in response.content.decode()
    assert state_of(draft) == IN_REVIEW

    response = press(client, draft, "send_back", review_comment="Cite the OJ page, please.")
    assert response.status_code == 302
    assert state_of(draft) == DRAFT
    comment = ReviewComment.objects.on(draft).get()
    assert (comment.author, comment.body, comment.sends_back) == (
        reviewer,
        "Cite the OJ page, please.",
        True,
    )
    assert draft.history.latest().history_user == reviewer
    assert draft.history.latest().history_change_reason == "Sent back for changes"
    html = client.get(change_url(draft)).content.decode()
    assert "Sent back for changes." in html
    assert "Cite the OJ page, please." in html and "rita" in html


def test_publishing_from_the_button_meets_the_same_rules(client):
    client.force_login(make.staff("Reviewers", "rita"))
    unsourced = make.provision(state=IN_REVIEW)
    response = press(client, unsourced, "publish")
    assert response.status_code == 200
    assert "URL of its source" in response.content.decode()
    assert state_of(unsourced) == IN_REVIEW


def test_a_reviewer_withdraws_with_a_reason_and_a_replacement(client):
    client.force_login(make.staff("Reviewers", "rita"))
    published = ready_draft(state=PUBLISHED)
    replacement = ready_draft(state=PUBLISHED)
    response = press(
        client,
        published,
        "withdraw",
        withdrawal_reason="Merged into another provision.",
        successor=str(replacement.pk),
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.state == WITHDRAWN
    assert published.withdrawal_reason == "Merged into another provision."
    assert published.successor == replacement
    assert isinstance(published.withdrawn_on, datetime.date)
    assert published.history.latest().history_change_reason.startswith("Withdrawn")


def test_comments_cannot_inject_markup(client):
    client.force_login(make.staff("Reviewers", "rita"))
    draft = ready_draft(state=IN_REVIEW)
    attack = '<script>alert(1)</script><img src=x onerror="alert(2)"> & <b>bold</b>'
    assert press(client, draft, "send_back", review_comment=attack).status_code == 302
    html = client.get(change_url(draft)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def my_work(client) -> dict[str, tuple[int, set]]:
    """The desk's "My work" rows for provisions: count, and the records its link lists."""
    from tests.editors.test_desk import desk_cell

    html = client.get(reverse("admin:index")).content.decode()
    found = {}
    for key in ("mine", "mine-in-review", "mine-sent-back"):
        count, url = desk_cell(html, key, Provision)
        listed = client.get(url).context["cl"].queryset.values_list("pk", flat=True)
        found[key] = (count, set(listed))
    return found


def test_my_work_follows_a_record_through_review(client):
    editor, reviewer = make.staff("Editors", "edith"), make.staff("Reviewers", "rita")
    draft = ready_draft()
    client.force_login(editor)
    assert press(client, draft, "submit", summary="My words.").status_code == 302
    # Submitted, it leaves "My drafts" but stays in sight.
    assert my_work(client) == {
        "mine": (0, set()),
        "mine-in-review": (1, {draft.pk}),
        "mine-sent-back": (0, set()),
    }

    client.force_login(reviewer)
    press(client, draft, "send_back", review_comment="Which paragraph?")
    assert my_work(client)["mine-sent-back"] == (0, set())  # not the reviewer's work

    client.force_login(editor)
    assert my_work(client) == {
        "mine": (1, {draft.pk}),
        "mine-in-review": (0, set()),
        "mine-sent-back": (1, {draft.pk}),
    }
    assert press(client, draft, "submit").status_code == 302
    assert my_work(client)["mine-sent-back"] == (0, set())
    assert ReviewComment.objects.on(draft).get().resolved_at is not None
