"""Every validation rule twice: the database refuses the bad row, and the form explains it."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.forms import modelform_factory

from provisions.models import (
    EarlierLabel,
    EditorialState,
    InstrumentRelation,
    LegalStatus,
    Provision,
    Verification,
)
from tests.builders import drafts as make

pytestmark = pytest.mark.django_db

D = datetime.date


def refused(write) -> bool:
    """True if the database refuses ``write`` (deferred constraints are checked at once)."""
    try:
        with transaction.atomic():
            write()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    except IntegrityError:
        return True
    return False


def form_errors(instance, **changes) -> dict:
    """The errors an editor sees when saving ``instance`` with ``changes`` through its form."""
    model = type(instance)
    form_class = modelform_factory(model, fields="__all__")
    data = {}
    for name, value in form_class(instance=instance).initial.items():
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = getattr(value, "pk", value)
    data.update({k: getattr(v, "pk", v) for k, v in changes.items()})
    data = {k: v for k, v in data.items() if v is not None}
    form = form_class(data=data, instance=instance)
    assert not form.is_valid()
    return {k: " ".join(v) for k, v in form.errors.items()}


def update(obj, **changes):
    return lambda: type(obj).objects.filter(pk=obj.pk).update(**changes)


# Dates out of order


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"proposed_on": D(2024, 7, 1)}, "adopted_on", "before the proposal"),
        ({"in_force_on": D(2024, 1, 1)}, "in_force_on", "in force before it was adopted"),
        (
            {"status": LegalStatus.REVOKED, "ended_on": D(2020, 1, 1)},
            "ended_on",
            "ends before it starts",
        ),
        ({"status": LegalStatus.REVOKED}, "ended_on", "needs the date it ended"),
        ({"ended_on": D(2025, 1, 1)}, "status", "must be revoked, vetoed"),
    ],
)
def test_instrument_dates_out_of_order(changes, field, message):
    inst = make.instrument()
    assert refused(update(inst, **changes))
    assert message in form_errors(inst, **changes)[field]


def test_an_instrument_cannot_end_itself():
    inst = make.instrument(status=LegalStatus.REVOKED, ended_on=D(2025, 1, 20))
    assert refused(update(inst, ended_by=inst))
    assert "cannot end itself" in form_errors(inst, ended_by=inst)["ended_by"]


def test_an_instrument_cannot_be_linked_to_itself():
    inst = make.instrument()
    assert refused(
        lambda: InstrumentRelation.objects.create(source=inst, kind="amends", target=inst)
    )
    errors = form_errors(InstrumentRelation(source=inst, kind="amends", target=inst))
    assert "cannot be linked to itself" in errors["__all__"]


def test_provision_must_apply_before_it_ceases():
    p = make.provision(applies_from=D(2025, 8, 2))
    assert refused(update(p, ceases_on=D(2025, 8, 1)))
    assert "apply before it ceases" in form_errors(p, ceases_on=D(2025, 8, 1))["ceases_on"]


def test_silence_period_in_order():
    s = make.silence(period_start=D(2019, 1, 1))
    assert refused(update(s, period_end=D(2018, 12, 31)))
    assert "ends before it starts" in form_errors(s, period_end=D(2018, 12, 31))["period_end"]


# Published without a source, a check date or a verification level


@pytest.mark.parametrize(
    ("model", "missing", "message"),
    [
        ("provision", "source_url", "URL of its source"),
        ("provision", "checked_on", "date its source was checked"),
        ("provision", "verification", "unverified record cannot be published"),
        ("instrument", "checked_on", "date its source was checked"),
        ("argument", "source_url", "URL of its source"),
        ("silence", "verification", "unverified record cannot be published"),
    ],
)
def test_published_record_needs_source_check_date_and_verification(model, missing, message):
    record = getattr(make, model)(**make.SOURCED)
    blank = {"source_url": "", "checked_on": None, "verification": Verification.UNVERIFIED}
    changes = {"state": EditorialState.PUBLISHED, missing: blank[missing]}
    if missing == "checked_on":
        # A record with no check of its own still has the day it was entered; with neither,
        # it says nothing of when anyone looked.
        changes["entered_on"] = None
    assert refused(update(record, **changes))
    assert message in form_errors(record, **changes)[missing]
    # Complete, it publishes.
    assert not refused(update(record, state=EditorialState.PUBLISHED))


# Earlier labels


def test_earlier_label_cannot_be_another_provisions_current_label():
    inst = make.instrument()
    current = make.provision(instrument=inst, slug="art-2-12", label="Art. 2(12)")
    other = make.provision(instrument=inst)
    assert refused(
        lambda: EarlierLabel.objects.create(
            provision=other, label="Art. 2(12)", slug="art-2-12", text_version="Draft"
        )
    )
    errors = form_errors(
        EarlierLabel(provision=other), label="Art. 2(12)", slug="art-2-12", text_version="Draft"
    )
    assert f"“{current.label}” is the current label of another provision" in errors["slug"]


def test_earlier_label_of_another_instrument_may_share_a_slug():
    make.provision(slug="art-5")
    other = make.provision()
    assert not refused(
        lambda: EarlierLabel.objects.create(
            provision=other, label="Art. 5", slug="art-5", text_version="Draft"
        )
    )


def test_earlier_label_cannot_be_another_provisions_earlier_label():
    inst = make.instrument()
    make.earlier_label(provision=make.provision(instrument=inst), slug="art-2-5g")
    other = make.provision(instrument=inst)
    assert refused(
        lambda: EarlierLabel.objects.create(
            provision=other, label="Art. 2(5g)", slug="art-2-5g", text_version="Draft"
        )
    )
    errors = form_errors(
        EarlierLabel(provision=other), label="Art. 2(5g)", slug="art-2-5g", text_version="Draft"
    )
    assert "already had this earlier label" in errors["slug"]


def test_current_label_cannot_take_another_provisions_earlier_label():
    inst = make.instrument()
    make.earlier_label(provision=make.provision(instrument=inst), slug="art-2-5g")
    other = make.provision(instrument=inst)
    assert refused(update(other, slug="art-2-5g"))
    assert "had this label earlier" in form_errors(other, slug="art-2-5g")["slug"]


def test_earlier_label_instrument_always_follows_its_provision():
    label = make.earlier_label()
    elsewhere = make.instrument()
    assert refused(update(label, instrument=elsewhere))
    # Moving the provision moves its earlier labels with it.
    Provision.objects.filter(pk=label.provision_id).update(instrument=elsewhere)
    label.refresh_from_db()
    assert label.instrument_id == elsewhere.pk


# Nesting


def test_nesting_cannot_make_a_cycle():
    top = make.provision()
    middle = make.provision(instrument=top.instrument, parent=top)
    bottom = make.provision(instrument=top.instrument, parent=middle)
    assert refused(update(top, parent=bottom))
    assert refused(update(top, parent=top))
    assert "makes a cycle" in form_errors(top, parent=bottom)["parent"]


def test_parent_from_another_instrument_is_refused():
    p = make.provision()
    foreign = make.provision()
    assert refused(update(p, parent=foreign))
    assert "same instrument" in form_errors(p, parent=foreign)["parent"]


def test_a_provision_with_parts_cannot_move_alone_to_another_instrument():
    top = make.provision()
    make.provision(instrument=top.instrument, parent=top)
    elsewhere = make.instrument()
    assert refused(update(top, instrument=elsewhere))
    assert "has parts" in form_errors(top, instrument=elsewhere)["instrument"]


def test_jurisdiction_nesting_cannot_make_a_cycle():
    us = make.jurisdiction(code="us")
    ca = make.jurisdiction(code="us-ca", parent=us)
    assert refused(update(us, parent=ca))
    assert refused(update(us, parent=us))
    assert "cannot be part of itself" in form_errors(us, parent=ca)["parent"]


def test_jurisdiction_code_cannot_take_a_site_path():
    j = make.jurisdiction()
    assert refused(update(j, code="admin"))
    assert "used by another part of the site" in form_errors(j, code="admin")["code"]
