"""What applies next, as iCalendar: the feed parses with the icalendar library (as a calendar
application reads it), lists the dated legal events still ahead on a fixed day — among them
2 August 2027, when GPAI models placed on the market before 2 August 2025 must comply (Art.
111(3)) — each with a link to its page, and the timeline page lists the same events."""

import datetime

import icalendar
import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def fixed_day(monkeypatch):
    now = datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)


def events(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


@pytest.mark.usefixtures("atlas", "fixed_day")
class TestTheDataset:
    def test_the_atlas_calendar_lists_2_august_2027_with_its_page(self, client):
        found = events(client.get("/calendar.ics"))
        on_day = [e for e in found if e.decoded("DTSTART") == datetime.date(2027, 8, 2)]
        grace = [e for e in on_day if "111(3)" in str(e["SUMMARY"])]
        assert len(grace) == 1, on_day
        [grace] = grace
        assert str(grace["URL"]) == "http://testserver/eu/ai-act/"
        # Only what is still ahead: nothing on or before the fixed day.
        assert all(e.decoded("DTSTART") > TODAY for e in found)
        assert len({str(e["UID"]) for e in found}) == len(found)

    def test_a_provision_that_begins_to_apply_links_the_provision(self, client):
        found = events(client.get("/calendar/eu.ics"))
        art = [e for e in found if str(e["URL"]) == "http://testserver/eu/ai-act/art-25-4/"]
        assert [(e.decoded("DTSTART"), str(e["SUMMARY"])) for e in art] == [
            (
                datetime.date(2027, 12, 2),
                "AI Act Art. 25(4), first subpara., second sentence begins to apply",
            )
        ]

    def test_one_jurisdiction_only_and_its_sub_jurisdictions(self, client):
        eu = events(client.get("/calendar/eu.ics"))
        assert eu and all("/eu/" in str(e["URL"]) for e in eu)
        us = events(client.get("/calendar/us.ics"))
        # New York's RAISE Act takes effect on 1 January 2027: New York is under the US.
        assert any(str(e["URL"]).startswith("http://testserver/us-ny/") for e in us)
        assert client.get("/calendar/atlantis.ics").status_code == 404

    def test_the_timeline_lists_what_the_calendar_holds(self, client):
        page = client.get("/timeline/").content.decode()
        assert 'href="/calendar.ics"' in page
        for event in events(client.get("/calendar.ics")):
            path = str(event["URL"]).removeprefix("http://testserver")
            assert f'href="{path}"' in page, path
