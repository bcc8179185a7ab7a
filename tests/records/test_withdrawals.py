"""Withdrawals keep their URL: 410 Gone with a page (and JSON in the API), and a feed entry."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from provisions.models import EditorialState
from tests.builders import drafts as staff_data
from tests.builders import published as make

pytestmark = pytest.mark.django_db

WITHDRAWN = EditorialState.WITHDRAWN


@pytest.fixture
def atlas():
    eu = make.jurisdiction(code="eu", name="European Union")
    act = make.instrument(jurisdiction=eu, slug="ai-act", short_title="AI Act")
    old = make.provision(instrument=act, label="Art. 5", slug="art-5", summary="What Art. 5 said.")
    make.earlier_label(old, label="Art. 4a", slug="art-4a")
    new = make.provision(instrument=act, label="Art. 6", slug="art-6")
    return {"eu": eu, "act": act, "old": old, "new": new}


def withdraw_in_the_admin(record, reason="", successor=None):
    """As a reviewer does it: reason and successor in the form, then the Withdraw action."""
    client = Client()
    client.force_login(staff_data.staff("Reviewers", "rita"))
    record.withdrawal_reason = reason
    record.successor = successor
    record.save()
    opts = record._meta
    response = client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "withdraw", "_selected_action": [record.pk]},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.state == WITHDRAWN
    return record


def test_a_withdrawn_provision_answers_410_with_what_when_why_and_where(client, atlas):
    old = withdraw_in_the_admin(
        atlas["old"], reason="Merged into Art. 6 in the corrigendum.", successor=atlas["new"]
    )
    assert old.withdrawn_on == timezone.localdate()
    response = client.get("/eu/ai-act/art-5/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "<h1>Withdrawn: AI Act Art. 5</h1>" in html
    assert "What Art. 5 said." in html
    assert "Merged into Art. 6 in the corrigendum." in html
    assert f'datetime="{old.withdrawn_on.isoformat()}"' in html
    assert 'Replaced by <a href="/eu/ai-act/art-6/">AI Act Art. 6</a>' in html
    # Its earlier label's URL and its citation files say so too.
    assert client.get("/eu/ai-act/art-4a/").status_code == 410
    assert client.get("/eu/ai-act/art-5/cite.ris").status_code == 410
    # The API says the same, in JSON.
    response = client.get(f"/api/provisions/{old.pk}/")
    assert response.status_code == 410
    data = json.loads(response.content)
    assert data["status"] == "withdrawn"
    assert data["reason"] == "Merged into Art. 6 in the corrigendum."
    assert data["withdrawn_on"] == old.withdrawn_on.isoformat()
    assert data["successor"]["url"].endswith("/eu/ai-act/art-6/")
    assert data["successor"]["api_url"].endswith(f"/api/provisions/{atlas['new'].pk}/")
    assert client.get(f"/api/provisions/{old.pk}.json").status_code == 410


def test_without_a_reason_or_successor_the_page_still_points_somewhere(client, atlas):
    withdraw_in_the_admin(atlas["old"])
    html = client.get("/eu/ai-act/art-5/").content.decode()
    assert "No reason was recorded." in html
    assert "Replaced by" not in html
    assert 'href="/eu/ai-act/"' in html  # its instrument, still public


def test_a_withdrawn_instrument_takes_its_provisions_with_it(client, atlas):
    successor = make.instrument(jurisdiction=atlas["eu"], slug="ai-act-2", short_title="AI Act 2")
    withdraw_in_the_admin(atlas["act"], reason="Replaced by a recast.", successor=successor)
    response = client.get("/eu/ai-act/")
    assert response.status_code == 410
    assert "Replaced by a recast." in response.content.decode()
    response = client.get("/eu/ai-act/art-6/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "with the whole instrument it belongs to" in html
    assert 'href="/eu/ai-act-2/"' in html
    assert client.get(f"/api/instruments/{atlas['act'].pk}/").status_code == 410


def test_a_withdrawn_argument_answers_410(client, atlas):
    argument = make.argument(slug="open-weights-help", provisions=[atlas["new"]])
    withdraw_in_the_admin(argument, reason="The study was retracted.")
    response = client.get("/arguments/open-weights-help/")
    assert response.status_code == 410
    assert "The study was retracted." in response.content.decode()
    assert client.get(f"/api/arguments/{argument.pk}/").status_code == 410


def test_a_record_never_published_stays_a_404(client, atlas):
    abandoned = make.provision(instrument=atlas["act"], slug="art-77", state=WITHDRAWN)
    assert client.get("/eu/ai-act/art-77/").status_code == 404
    assert client.get(f"/api/provisions/{abandoned.pk}/").status_code == 404
    assert client.get("/eu/ai-act/art-404/").status_code == 404
    assert client.get("/api/provisions/999999/").status_code == 404


def test_withdrawals_appear_in_what_changed_and_its_feeds(client, atlas):
    withdraw_in_the_admin(atlas["old"], reason="Merged into Art. 6.")
    for url in ("/feeds/changes.atom", "/feeds/eu.atom"):
        feed = client.get(url).content.decode()
        assert "<title>Withdrawn: AI Act Art. 5</title>" in feed, url
        assert "Withdrawn. Merged into Art. 6." in feed
        # Writing the reason before withdrawing is not an update of the public page.
        assert "why it was withdrawn" not in feed
        assert 'href="http://testserver/eu/ai-act/art-5/"' in feed
    page = client.get("/changes/").content.decode()
    assert '<span class="badge badge-withdrawn">Withdrawn</span>' in page
    assert '<a href="/eu/ai-act/art-5/">AI Act Art. 5</a>' in page


def test_the_withdrawal_date_an_editor_gives_is_kept(atlas):
    old = atlas["old"]
    old.state = WITHDRAWN
    old.withdrawn_on = datetime.date(2026, 1, 2)
    old.save()
    old.refresh_from_db()
    assert old.withdrawn_on == datetime.date(2026, 1, 2)
