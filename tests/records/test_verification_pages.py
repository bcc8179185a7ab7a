"""Verification is visible wherever a fact appears, and a date says how much of it is known.

Template tests on records made here (the shipped dataset is checked in test_dataset_2026.py).
"""

import datetime

import pytest

from comparisons.web.templatetags.atlas_text import check_age, precise_date
from provisions.models import (
    DatePrecision,
    InstrumentEvent,
    InstrumentRelation,
    LegalStatus,
    StatusBadge,
    Verification,
)
from tests.builders import published as make

pytestmark = pytest.mark.django_db


def test_each_earlier_label_shows_its_grade_and_an_unverified_one_is_marked(client):
    article = make.provision(label="Art. 9", slug="art-9")
    make.earlier_label(article, label="Art. 7b", slug="art-7b", verification=Verification.SECONDARY)
    make.earlier_label(
        article, label="Art. 7x", slug="art-7x", verification=Verification.UNVERIFIED
    )
    html = client.get(article.get_absolute_url()).content.decode()
    secondary = html[html.index("Art. 7b") : html.index("</li>", html.index("Art. 7b"))]
    unverified = html[html.index("Art. 7x") : html.index("</li>", html.index("Art. 7x"))]
    assert "From a secondary source" in secondary and "Unverified" not in secondary
    assert 'class="verification verification-unverified">Unverified' in unverified
    assert 'class="earlier-label earlier-label-unverified"' in html


def test_timeline_events_and_links_show_their_grade_and_precision(client):
    law = make.instrument(
        title="A law under test", adopted_on=datetime.date(2025, 3, 1), in_force_on=None
    )
    law.adopted_on_precision = DatePrecision.MONTH
    law.save()
    InstrumentEvent.objects.create(
        instrument=law,
        date=datetime.date(2023, 6, 1),
        date_precision=DatePrecision.MONTH,
        description="A vote reported in a forum post.",
        verification=Verification.UNVERIFIED,
    )
    InstrumentEvent.objects.create(
        instrument=law,
        date=datetime.date(2025, 9, 1),
        description="Takes effect.",
        verification=Verification.OFFICIAL,
    )
    order = make.instrument(title="An amending order")
    InstrumentRelation.objects.create(
        source=order, kind="amends", target=law, verification=Verification.SECONDARY
    )
    html = client.get(law.get_absolute_url()).content.decode()
    vote = html[html.index('datetime="2023-06"') : html.index("</li>", html.index("2023-06"))]
    assert ">June 2023</time>" in vote and "Unverified" in vote
    effect = html[html.index(">1 Sep 2025</time>") : html.index("</li>", html.index("1 Sep 2025"))]
    assert "Checked against the official text" in effect
    assert ">March 2025</time> Adopted or issued" in html  # the instrument's own month-only date
    link = html[html.index("An amending order") : html.index("</li>", html.index("An amending"))]
    assert "From a secondary source" in link


def test_an_instrument_can_be_enacted_with_its_in_force_date_unknown(client):
    law = make.instrument(status=LegalStatus.ENACTED, in_force_on=None)
    law.full_clean()
    html = client.get(law.get_absolute_url()).content.decode()
    assert "Enacted, in force date unknown" in html
    assert "the date it takes effect is not known to us" in html
    # Its provisions are not shown as in force: they apply at a date nobody knows yet.
    article = make.provision(instrument=law, label="Sec. 2", slug="sec-2")
    assert article.status_on(datetime.date.today()) == (StatusBadge.APPLIES_LATER, None)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "In force date unknown" in page and ">In force<" not in page


def test_precise_date_never_prints_an_unknown_day():
    day = datetime.date(2025, 8, 1)
    assert precise_date(day, DatePrecision.DAY) == "1 Aug 2025"
    assert precise_date(day, DatePrecision.MONTH) == "August 2025"
    assert precise_date(day, DatePrecision.YEAR) == "2025"


def test_check_age_in_words():
    today = datetime.date.today()
    assert check_age(today) == "today"
    assert check_age(today - datetime.timedelta(days=1)) == "yesterday"
    assert check_age(today - datetime.timedelta(days=12)) == "12 days ago"
    assert check_age(today - datetime.timedelta(days=400)) == "13 months ago"
