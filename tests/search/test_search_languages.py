"""A published text in another language than English is found by its own words, as typed:
such texts are indexed word for word, where the English stemmer would cut the query's words."""

import datetime

import pytest

from comparisons.search.engine import search
from provisions.models import EditorialState, Verification
from tests.builders import published as make

pytestmark = pytest.mark.django_db


def test_a_portuguese_text_is_found_by_its_words():
    provision = make.provision(label="Art. 1, § 2", summary="National regulatory sandbox.")
    make.text(
        provision=provision,
        language="pt",
        body="§ 2º A fim de promover o desenvolvimento tecnológico nacional.",
        state=EditorialState.PUBLISHED,
        source_url="https://example.org/pl-2338",
        checked_on=datetime.date(2026, 11, 1),
        verification=Verification.OFFICIAL,
    )
    for query in ("desenvolvimento tecnológico nacional", "nacional"):
        assert [hit.url for hit in search(query).provisions] == [provision.get_absolute_url()]
