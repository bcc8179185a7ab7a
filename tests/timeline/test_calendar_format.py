"""The calendar feed's form: RFC 5545 text escaped and folded, and a constant number of
queries however many events (records made here, on a fixed day)."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from provisions.models import Provision
from tests.builders import published as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixed_day(monkeypatch):
    now = datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)


def events(response) -> list:
    assert response.status_code == 200
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_long_and_special_text_is_escaped_and_folded(client, fixed_day):
    instrument = make.instrument(short_title="A, B; C\\D", in_force_on=datetime.date(2030, 1, 1))
    make.provision(
        instrument=instrument,
        label="Art. 1 " + "漢字" * 20,
        slug="art-1",
        applies_from=datetime.date(2031, 1, 1),
    )
    response = client.get("/calendar.ics")
    for line in response.content.split(b"\r\n"):
        assert len(line) <= 75
    found = events(response)
    summaries = {str(e["SUMMARY"]) for e in found}
    assert "A, B; C\\D: In force" in summaries
    assert f"A, B; C\\D Art. 1 {'漢字' * 20} begins to apply" in summaries


@pytest.mark.parametrize("size", [1, 5])
def test_the_calendar_costs_the_same_queries_however_many_events(
    client, django_assert_num_queries, fixed_day, size
):
    for n in range(size):
        instrument = make.instrument(in_force_on=datetime.date(2030, 1, 1 + n))
        make.event(instrument, date=datetime.date(2031, 1, 1 + n))
        make.provision(instrument=instrument, applies_from=datetime.date(2032, 1, 1 + n))
    # The data version, the instruments, their events, the provisions' dates.
    with django_assert_num_queries(4):
        found = events(client.get("/calendar.ics"))
    assert len(found) == 3 * size
    assert Provision.objects.count() == size


@pytest.mark.parametrize("size", [1, 5])
def test_changes_between_two_dates_cost_the_same_queries_however_many(
    client, django_assert_num_queries, size
):
    for n in range(size):
        instrument = make.instrument(in_force_on=datetime.date(2025, 3, 1 + n))
        make.event(instrument, date=datetime.date(2025, 4, 1 + n))
        provision = make.provision(
            instrument=instrument, applies_from=datetime.date(2025, 5, 1 + n)
        )
        make.text(provision=provision, applies_from=datetime.date(2025, 6, 1 + n), **make.editorial)
    # The data version, the jurisdictions and questions (the filter), the instruments, their
    # events, the provisions' dates, the amended texts.
    with django_assert_num_queries(7):
        body = client.get("/timeline/between.json?from=2025-01-01&to=2025-12-31").json()
    kinds = [c["kind"] for c in body["changes"]]
    assert kinds.count("begins") == kinds.count("amended") == size
