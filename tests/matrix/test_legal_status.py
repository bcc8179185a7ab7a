"""A provision's legal standing on a day, and which instruments exist on a day.

The standing is one rule with two forms, side by side in provisions/models/provisions.py: Python
(``Provision.status_on``, which pages show) and SQL (``badge_on``, which the filters and the API
use). Both are checked here against the expected badge on the days where it changes, using the
records of ``hard_cases`` (tests/builders.py): a provision that ceases, one without dates of its
own in an instrument that comes into force after adoption, a bill, a proposal without any date,
a revoked order.
Each test names the one-line bug it was seen to catch (planted, run, reverted).
"""

import datetime
import re

import pytest

from comparisons.matrix.filters import BADGE_CHOICES, ProvisionFilter, standing
from config import dataversion
from provisions.models import Instrument, LegalStatus, StatusBadge
from tests.builders import published as make

pytestmark = pytest.mark.django_db

ALL_STATUSES = [value for value, _ in BADGE_CHOICES]
D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


@pytest.fixture
def cases():
    eu = make.place("eu")
    topic = make.topic(slug="duties", name="Duties")
    mixed = make.topic(slug="mixed", name="Mixed")
    made = make.hard_cases(jurisdiction=eu, topic=topic, mixed_topic=mixed)
    make.comparison(jurisdictions=[eu], topics=[topic, mixed], is_home=True, slug="home")
    return made


# (record, day, expected badge, expected date)
EXPECTED = [
    ("undated", make.LATE_ADOPTED - ONE_DAY, StatusBadge.PROPOSAL, None),
    ("undated", make.LATE_ADOPTED, StatusBadge.APPLIES_LATER, make.LATE_IN_FORCE),
    ("undated", make.LATE_IN_FORCE - ONE_DAY, StatusBadge.APPLIES_LATER, make.LATE_IN_FORCE),
    ("undated", make.LATE_IN_FORCE, StatusBadge.IN_FORCE, None),
    ("ceasing", make.LATE_IN_FORCE - ONE_DAY, StatusBadge.APPLIES_LATER, make.LATE_IN_FORCE),
    ("ceasing", make.CEASES - ONE_DAY, StatusBadge.IN_FORCE, None),
    ("ceasing", make.CEASES, StatusBadge.ENDED, make.CEASES),
    ("ceasing", D(2026, 1, 1), StatusBadge.ENDED, make.CEASES),
    ("revoked_provision", make.REVOKED_ON - ONE_DAY, StatusBadge.IN_FORCE, None),
    ("revoked_provision", make.REVOKED_ON, StatusBadge.ENDED, make.REVOKED_ON),
    ("bill_provision", D(2024, 1, 1), StatusBadge.PROPOSAL, None),
    # Placed from its record's check date, so compared on that day.
    ("dateless_provision", make.CHECKED, StatusBadge.PROPOSAL, None),
]


@pytest.mark.parametrize(("name", "day", "badge", "date"), EXPECTED)
def test_status_on_changes_on_the_right_day(cases, name, day, badge, date):
    """Planted and caught: ``ceases_on < day`` for ``<=`` (ended a day late); ``start =
    self.applies_from`` without the instrument's ``in_force_on`` fallback (in force before the
    instrument is); ``instrument.ended_on < day`` (revoked a day late)."""
    provision = cases[name]
    provision.refresh_from_db()
    assert provision.status_on(day) == (badge, date)


DAYS = sorted({day for _, day, _, _ in EXPECTED} | {make.LATE_PROPOSED, make.BILL_PROPOSED})


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_sql_badge_agrees_with_status_on_where_standing_changes(cases, day):
    """The SQL twin. Planted and caught: ``ceases_on__lt`` for ``__lte`` in ``badge_on``; the
    ``applies_from__isnull=True, instrument__in_force_on__gt`` branch dropped."""
    filterset = ProvisionFilter({"as_of": day.isoformat(), "status": ALL_STATUSES})
    rows = list(filterset.base())
    assert rows, "nothing to compare on this day"
    for provision in rows:
        assert provision.badge == provision.status_on(day)[0], (provision, day)
    expected = {cases[name].pk: badge for name, d, badge, _ in EXPECTED if d == day}
    assert {p.pk: p.badge for p in rows if p.pk in expected} == expected


def shown(client, day) -> set[str]:
    html = client.get("/", {"as_of": day.isoformat(), "status": ALL_STATUSES}).content.decode()
    return set(re.findall(r'<a class="citation" href="[^"]+">([^<]+)</a>', html))


def test_an_instrument_is_not_placed_on_days_before_it_existed(client, cases):
    """Product rule: an instrument is shown from the first day it is known to exist (proposed
    or adopted); one with no known date at all is shown, as a proposal, from the day its record
    was checked (``checked_on``), never earlier.

    Planted and caught: ``existing_on`` keeping instruments without an adoption date on any day
    (``instrument__adopted_on__isnull=True`` for the proposal-date test), and dropping the
    ``proposed_on__lte`` branch (a bill would vanish until adopted)."""
    dateless = f"Dateless Draft Code {cases['dateless_provision'].label}"
    bill = f"Open Models Bill {cases['bill_provision'].label}"
    late = "Late Start Act Art. 1"
    assert shown(client, D(2020, 1, 1)) == set()
    assert shown(client, make.LATE_PROPOSED - ONE_DAY) == set()
    assert dateless not in shown(client, make.CHECKED - ONE_DAY)
    assert dateless in shown(client, make.CHECKED)
    on_proposal = shown(client, make.LATE_PROPOSED)
    assert late in on_proposal and bill not in on_proposal
    assert bill not in shown(client, make.BILL_PROPOSED - ONE_DAY)
    assert bill in shown(client, make.BILL_PROPOSED)
    assert "Revoked Order" not in " ".join(shown(client, D(2023, 10, 29)))
    assert any(c.startswith("Revoked Order") for c in shown(client, D(2023, 10, 30)))


def test_a_proposal_shows_as_a_proposal_before_adoption(client, cases):
    html = client.get(
        "/", {"as_of": (make.LATE_ADOPTED - ONE_DAY).isoformat(), "status": "proposal"}
    ).content.decode()
    cell = re.search(r'<td id="cell-duties-eu"[^>]*>(.*?)</td>', html, re.S).group(1)
    assert "Late Start Act Art. 1" in cell
    assert 'badge-proposal">Proposal<' in cell


def test_non_binding_and_adopted_proposals_are_filtered_by_their_own_badge(client, cases):
    """A non-binding instrument in force shows as "Non-binding", and an instrument whose record
    is still a proposal shows as "Proposal" even when it carries an adoption date (a
    Commission proposal is "adopted" by the Commission): the status filter finds each under its
    own badge only, on the page as in Python.

    Found by ``make mutation``: ``badge_on`` without its ``binding=False`` branch (or testing
    ``binding=None``) put the guidance under "In force"; ``badge_on`` testing
    ``status=None`` for ``status=PROPOSED`` put the adopted proposal under "In force"."""
    eu, topic = cases["late"].jurisdiction, cases["undated"].topics.get()
    guidance = make.instrument(
        jurisdiction=eu,
        short_title="Model Guidance",
        kind=Instrument.Kind.GUIDANCE,
        binding=False,
        status=LegalStatus.PUBLISHED,
    )
    make.provision(instrument=guidance, label="Point 3", topics=[topic])
    proposal = make.instrument(
        jurisdiction=eu,
        short_title="Commission Proposal",
        kind=Instrument.Kind.BILL,
        status=LegalStatus.PROPOSED,
        proposed_on=D(2024, 1, 10),
        adopted_on=D(2024, 1, 10),
        in_force_on=None,
    )
    make.provision(instrument=proposal, label="Art. 4", topics=[topic])
    day = D(2025, 3, 1)

    def under(status):
        html = client.get("/", {"as_of": day.isoformat(), "status": status}).content.decode()
        return set(re.findall(r'<a class="citation" href="[^"]+">([^<]+)</a>', html))

    assert "Model Guidance Point 3" in under("non_binding")
    assert "Commission Proposal Art. 4" in under("proposal")
    in_force = under("in_force")
    assert "Model Guidance Point 3" not in in_force
    assert "Commission Proposal Art. 4" not in in_force
    assert "Model Guidance Point 3" not in under("proposal")
    for name, badge in (("Point 3", StatusBadge.NON_BINDING), ("Art. 4", StatusBadge.PROPOSAL)):
        (row,) = (
            ProvisionFilter({"as_of": day.isoformat(), "status": ALL_STATUSES})
            .base()
            .filter(label=name, instrument__jurisdiction=eu)
        )
        assert row.badge == row.status_on(day)[0] == badge


def test_a_provision_applying_before_its_instrument_is_in_force_follows_its_own_date(cases):
    """A provision may apply before the instrument as a whole enters into force (an article
    applying from publication): its own date decides, in SQL as in Python.

    Found by ``make mutation``: ``badge_on`` testing ``instrument__in_force_on__gt=day``
    without ``applies_from__isnull=True`` called it "applies later" until the instrument's
    date."""
    early = make.provision(
        instrument=cases["late"],
        label="Art. 7",
        applies_from=make.LATE_ADOPTED,
        topics=[cases["undated"].topics.get()],
    )
    day = make.LATE_IN_FORCE - ONE_DAY
    (row,) = (
        ProvisionFilter({"as_of": day.isoformat(), "status": ALL_STATUSES})
        .base()
        .filter(pk=early.pk)
    )
    assert row.badge == StatusBadge.IN_FORCE
    assert early.status_on(day) == (StatusBadge.IN_FORCE, None)


def test_an_enacted_law_without_a_known_start_applies_later_unless_a_provision_has_a_date(
    client, cases
):
    """An enacted instrument whose entry into force is unknown: its provisions without a date
    of their own show "Applies later" (no date), one with its own past date is in force; the
    status filter on the page agrees.

    Found by ``make mutation``: ``badge_on`` testing ``instrument__status=None`` for
    ``ENACTED`` (the dateless provision showed as in force), and dropping
    ``applies_from__isnull=True`` from that branch (the dated one showed as applying later)."""
    eu, topic = cases["late"].jurisdiction, cases["undated"].topics.get()
    enacted = make.instrument(
        jurisdiction=eu,
        short_title="Enacted Code",
        status=LegalStatus.ENACTED,
        adopted_on=D(2024, 2, 1),
        in_force_on=None,
    )
    dateless = make.provision(instrument=enacted, label="Sec. 1", topics=[topic])
    dated = make.provision(
        instrument=enacted, label="Sec. 2", applies_from=D(2024, 3, 1), topics=[topic]
    )
    day = D(2025, 3, 1)
    rows = {
        row.pk: row.badge
        for row in ProvisionFilter({"as_of": day.isoformat(), "status": ALL_STATUSES})
        .base()
        .filter(instrument=enacted)
    }
    assert rows == {dateless.pk: StatusBadge.APPLIES_LATER, dated.pk: StatusBadge.IN_FORCE}
    assert dateless.status_on(day) == (StatusBadge.APPLIES_LATER, None)
    assert dated.status_on(day) == (StatusBadge.IN_FORCE, None)
    html = client.get("/", {"as_of": day.isoformat(), "status": "in_force"}).content.decode()
    assert "Enacted Code Sec. 2" in html
    assert "Enacted Code Sec. 1" not in html
    # Once the date is recorded (before anyone updates the status), the date decides.
    # Found by ``make mutation``: the ``ENACTED`` branch without
    # ``instrument__in_force_on__isnull=True`` kept such provisions "applying later".
    type(enacted).objects.filter(pk=enacted.pk).update(in_force_on=D(2024, 6, 1))
    dateless.refresh_from_db()
    (row,) = (
        ProvisionFilter({"as_of": day.isoformat(), "status": ALL_STATUSES})
        .base()
        .filter(pk=dateless.pk)
    )
    assert row.badge == dateless.status_on(day)[0] == StatusBadge.IN_FORCE


def test_a_law_recorded_in_force_without_a_date_is_in_force(cases):
    """An instrument recorded as in force whose start date we do not know is in force (only
    an *enacted* one without a date "applies later").

    Found by ``make mutation``: the ``applies later`` branch of ``badge_on`` without its
    ``instrument__status=ENACTED`` test put every dateless in-force law under "applies later"."""
    law = make.instrument(
        jurisdiction=cases["late"].jurisdiction,
        short_title="Old Law",
        status=LegalStatus.IN_FORCE,
        adopted_on=D(2019, 5, 1),
        in_force_on=None,
    )
    old = make.provision(instrument=law, label="Sec. 9", topics=[cases["undated"].topics.get()])
    day = D(2025, 3, 1)
    (row,) = (
        ProvisionFilter({"as_of": day.isoformat(), "status": ALL_STATUSES}).base().filter(pk=old.pk)
    )
    assert row.badge == StatusBadge.IN_FORCE
    assert old.status_on(day) == (StatusBadge.IN_FORCE, None)


def test_an_instrument_with_a_single_date_is_placed_from_that_date_not_from_its_check(
    client, cases
):
    """The check date places only an instrument with no date at all. A bill announced for a
    later introduction, or a law known only by its adoption date, is placed from that date
    even when its record was checked earlier.

    Found by ``make mutation``: ``existing_on``'s check-date branch without
    ``proposed_on__isnull=True`` (or without ``adopted_on__isnull=True``) placed them from the
    check date."""
    eu, topic = cases["late"].jurisdiction, cases["undated"].topics.get()
    announced = make.instrument(
        jurisdiction=eu,
        short_title="Announced Bill",
        kind=Instrument.Kind.BILL,
        status=LegalStatus.PROPOSED,
        proposed_on=D(2024, 6, 1),
        adopted_on=None,
        in_force_on=None,
        checked_on=D(2024, 1, 15),
    )
    make.provision(instrument=announced, label="Cl. 1", topics=[topic])
    adopted = make.instrument(
        jurisdiction=eu,
        short_title="Adopted Act",
        proposed_on=None,
        adopted_on=D(2024, 6, 1),
        in_force_on=D(2024, 6, 1),
        checked_on=D(2024, 1, 15),
    )
    make.provision(instrument=adopted, label="Art. 3", topics=[topic])
    before = shown(client, D(2024, 3, 1))
    assert "Announced Bill Cl. 1" not in before
    assert "Adopted Act Art. 3" not in before
    on_the_day = shown(client, D(2024, 6, 1))
    assert {"Announced Bill Cl. 1", "Adopted Act Art. 3"} <= on_the_day


# Every day on which a hard case's standing or existence changes, and the days either side.
TURNING_DAYS = sorted(
    {
        turn + shift
        for turn in (
            make.LATE_PROPOSED,
            make.LATE_ADOPTED,
            make.LATE_IN_FORCE,
            make.CEASES,
            make.BILL_PROPOSED,
            make.REVOKED_ON,
            make.CHECKED,
        )
        for shift in (-ONE_DAY, datetime.timedelta(0), ONE_DAY)
    }
)


def as_compared(rows):
    # SQL says NULL, not false, for "existed" when a date is unknown: the same for every reader.
    return [row._replace(existed=bool(row.existed)) for row in rows]


@pytest.mark.parametrize("day", TURNING_DAYS, ids=str)
def test_the_matrix_memo_of_standing_agrees_with_sql_on_every_turning_day(cases, day):
    """An uncached matrix reads its universe from the process's memo of the provisions' dates
    (``Standing``) and works out each day's badge and existence in Python
    (``Provision.status_on``, ``Instrument.existed_on``). On each day a hard case changes, and
    the days either side, the rows are those the SQL gives, row for row and in order.

    Planted and caught: ``existed_on`` with ``adopted_on < day`` and ``proposed_on < day`` (a
    bill appears a day late); ``checked_on < day`` (a dateless draft a day late); ``on()``
    giving every row the first situation's badge."""
    filterset = ProvisionFilter({"as_of": day.isoformat(), "status": ALL_STATUSES})
    in_sql = filterset.universe_in_sql()
    assert in_sql, "nothing to compare on this day"
    assert as_compared(filterset.universe()) == as_compared(in_sql)


def test_the_memo_of_standing_is_keyed_by_the_data_version(cases):
    """A publish changes the data version, and the universe read after it holds the new
    provision at once; the memo kept for the old version still answers for that version (a
    process up to a second behind keys its pages on the old version too).

    Planted and caught: the memo keyed without the version (the new provision missing)."""
    before = dataversion.current()
    day = {"as_of": "2026-01-01", "status": ALL_STATUSES}
    old = {row.pk for row in ProvisionFilter(day).universe()}
    added = make.provision(
        instrument=cases["late"], label="Art. 99", topics=[cases["undated"].topics.get()]
    )
    assert dataversion.current() != before
    assert added.pk in {row.pk for row in ProvisionFilter(day).universe()}
    queryset = ProvisionFilter(day).queryset
    assert {row.pk for row in standing(queryset, before).on(datetime.date(2026, 1, 1))} == old
