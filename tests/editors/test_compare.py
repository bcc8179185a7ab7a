"""Compare two revisions of a record: a word redline of its texts, before/after for the rest."""

import re

import pytest
from django.urls import reverse

from provisions.models import EditorialState, ProvisionText, Treatment
from provisions.redline import Piece, redline
from tests.admin_forms import form_data
from tests.builders import drafts as make

pytestmark = pytest.mark.django_db

PUBLISHED, IN_REVIEW = EditorialState.PUBLISHED, EditorialState.IN_REVIEW


def url(obj, view: str) -> str:
    return reverse(f"admin:provisions_provision_{view}", args=[obj.pk])


def inserted(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\[inserted: |\]", "", m) for m in re.findall(r"<ins>(.*?)</ins>", html)
    ]


def deleted(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>|\[deleted: |\]", "", m) for m in re.findall(r"<del>(.*?)</del>", html)]


def test_words_inserted_and_deleted():
    assert redline(
        "Providers shall publish a summary.", "Providers must publish a detailed summary."
    ) == [
        Piece("equal", "Providers "),
        Piece("delete", "shall "),
        Piece("insert", "must "),
        Piece("equal", "publish a "),
        Piece("insert", "detailed "),
        Piece("equal", "summary."),
    ]


@pytest.fixture
def edited(client):
    """A provision and its text, both changed once through the admin by an editor."""
    editor = make.staff("Editors", "edith")
    client.force_login(editor)
    provision = make.provision(summary="Providers shall publish a summary of training data.")
    text = make.text(provision=provision, body="(a) the model is published under a free licence;")
    first = provision.history.latest()
    page = client.get(url(provision, "change"))
    changes = {
        "summary": "Providers must publish a detailed summary of training data.",
        "treatment": Treatment.REQUIRES,
        "texts-0-body": "(a) the model is released under a free and open-source licence;",
    }
    assert client.post(url(provision, "change"), form_data(page, **changes)).status_code == 302
    return {
        "provision": provision,
        "text": text,
        "first": first,
        "last": provision.history.latest(),
    }


def test_comparing_two_revisions_shows_the_words_of_summary_and_text(client, edited):
    provision = edited["provision"]
    history = client.get(url(provision, "history")).content.decode()
    assert "Compare two versions" in history and 'name="from"' in history

    response = client.get(
        url(provision, "compare"),
        {"from": edited["first"].history_id, "to": edited["last"].history_id},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert inserted(html) == ["must ", "detailed ", "released ", "and open-source "]
    assert deleted(html) == ["shall ", "published "]
    assert "[inserted: " in html and "[deleted: " in html  # words, not colour alone
    # Not a text: before and after.
    assert "Before: Exempts" in html and "After: Requires" in html


def test_what_changed_since_it_was_last_published(client, edited):
    provision = edited["provision"]
    provision.refresh_from_db()
    provision.state = PUBLISHED
    provision.source_url, provision.checked_on = make.SOURCED["source_url"], make.CHECKED
    provision.verification = make.SOURCED["verification"]
    provision.save()
    provision.summary = "Providers must publish a summary."
    provision.state = IN_REVIEW
    provision.save()
    client.force_login(make.staff("Reviewers", "rita"))
    queue = client.get(reverse("admin:provisions_provision_changelist") + "?desk=review")
    link = url(provision, "compare") + "?since=published"
    assert link in queue.content.decode()
    html = client.get(link).content.decode()
    assert "the last published version" in html
    assert deleted(html) == ["detailed summary of training data."]
    assert inserted(html) == ["summary."]
    assert "Before: Published" in html and "After: In review" in html


def test_a_bad_version_is_ignored_with_a_message(client, edited):
    response = client.get(url(edited["provision"], "compare"), {"from": "nonsense", "to": "1'"})
    assert response.status_code == 200
    assert "is not a version of this record" in response.content.decode()
    other = make.provision()
    response = client.get(
        url(edited["provision"], "compare"), {"from": other.history.latest().history_id}
    )
    assert response.status_code == 200
    assert "is not a version of this record" in response.content.decode()
    assert ProvisionText.objects.count() == 1


def test_the_review_queue_shows_each_records_latest_comment_escaped(
    client, django_assert_max_num_queries
):
    reviewer = make.staff("Reviewers", "rita")
    client.force_login(reviewer)
    queue = reverse("admin:provisions_provision_changelist") + "?desk=review"
    from provisions.models import ReviewComment

    def add(n):
        for _ in range(n):
            record = make.provision(state=IN_REVIEW)
            ReviewComment.objects.create(record=record, author=reviewer, body="<i>Older</i>")
            ReviewComment.objects.create(record=record, author=reviewer, body="<i>Newest</i> words")

    add(2)
    client.get(queue)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        html = client.get(queue).content.decode()
    assert html.count("&lt;i&gt;Newest&lt;/i&gt; words") == 2
    assert "Older" not in html and "<i>Newest" not in html
    add(5)
    with CaptureQueriesContext(connection) as more:
        html = client.get(queue).content.decode()
    assert html.count("&lt;i&gt;Newest&lt;/i&gt; words") == 7
    assert len(more) == len(few)


def test_comparing_costs_the_same_queries_however_long_the_history(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(make.staff("Reviewers", "rita"))
    provision = make.provision(summary="One.")
    make.text(provision=provision, body="(a) One.")

    def queries_after(saves: int) -> int:
        for n in range(saves):
            provision.summary = f"Summary, version {n}."
            provision.save()
            text = provision.texts.get()
            text.body = f"(a) Body, version {n}."
            text.save()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(provision, "compare"))
        assert "[inserted: " in response.content.decode()
        return len(captured)

    assert queries_after(2) == queries_after(10)
