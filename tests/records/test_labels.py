"""One table of words per enum: a provision's legal standing is named the same by the status
filter, the badges, the API and the About page (provisions/models/provisions.py)."""

import datetime

import pytest

from comparisons.matrix.build import badge_label
from comparisons.matrix.filters import BADGE_CHOICES, ProvisionFilter
from comparisons.opendata.serializers import StandingSerializer
from comparisons.web.facets import Taxonomy
from provisions.models.provisions import DATE_UNKNOWN, DATED_WORDS, StatusBadge, badge_words

DAY = datetime.date(2026, 8, 2)


def test_the_status_filter_offers_the_standings_by_their_names():
    assert dict(BADGE_CHOICES) == {badge: badge.label for badge, _ in BADGE_CHOICES}
    # The facet engine gives each filter its choices when the filter set is made; the status
    # facet's are the table's own (an empty taxonomy: no jurisdiction, topic or component).
    filterset = ProvisionFilter({}, taxonomy=Taxonomy(jurisdictions=[], topics=[], components=[]))
    field = filterset.form.fields["status"]
    assert dict(field.choices) == dict(BADGE_CHOICES)
    assert dict(BADGE_CHOICES)[StatusBadge.APPLIES_LATER] == "Applies later"


@pytest.mark.parametrize("badge", list(StatusBadge))
def test_a_badge_says_its_name_or_its_dated_words(badge):
    undated = badge_words(badge, DAY, dated=False)
    dated = badge_label(badge, DAY)
    assert undated == badge.label
    assert dated == DATED_WORDS.get(badge, badge.label)
    # A badge without its date never ends on a dangling "from".
    assert not undated.endswith("from")


def test_applies_later_without_a_date_says_the_date_is_unknown():
    for dated in (True, False):
        assert badge_words(StatusBadge.APPLIES_LATER, None, dated=dated) == DATE_UNKNOWN


def test_the_api_names_the_standings_from_the_same_table():
    choices = StandingSerializer().fields["badge"].choices
    assert choices == {badge.value: badge.label for badge in StatusBadge}


@pytest.mark.django_db
def test_the_about_page_explains_the_words_the_pages_use(client):
    html = client.get("/about/").content.decode()
    later, dated = StatusBadge.APPLIES_LATER.label, DATED_WORDS[StatusBadge.APPLIES_LATER]
    assert f"“{later}” shows as “{dated}” with the date" in html
