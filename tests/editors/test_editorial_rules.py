"""What an editor is told when a record cannot be published yet (Sourced.sourcing_errors).

Found by make mutation: the messages were matched only in part, so their wording could change
unnoticed; these are what editors read next to each field in the admin.
"""

import datetime

from provisions.models import EditorialState, Provision, Verification


def test_a_published_record_without_sourcing_gets_one_message_per_missing_fact():
    record = Provision(state=EditorialState.PUBLISHED, verification=Verification.UNVERIFIED)
    assert {k: str(v) for k, v in record.sourcing_errors().items()} == {
        "source_url": "A published record needs the URL of its source.",
        # No check date is asked of a new record: saving it records the day it was entered.
        "verification": "An unverified record cannot be published: check it against the "
        "official text or a secondary source first.",
    }


def test_a_sourced_or_unpublished_record_gets_none():
    sourced = Provision(
        state=EditorialState.PUBLISHED,
        source_url="https://example.org/official",
        checked_on=datetime.date(2026, 11, 1),
        verification=Verification.SECONDARY,
    )
    assert sourced.sourcing_errors() == {}
    for state in (EditorialState.DRAFT, EditorialState.IN_REVIEW, EditorialState.WITHDRAWN):
        assert Provision(state=state).sourcing_errors() == {}
