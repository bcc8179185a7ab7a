"""Deleting in the admin never silently takes other records with it.

For every model in the admin, a record that others refer to is deleted through the admin over
HTTP, one at a time and as a bulk action. Either the admin refuses (and nothing changes), or
only the record and its own parts go: no other curated record, and no link that belongs to
another record (a provision's topics, an argument's provisions …), may disappear.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from comparisons.models import ComparisonColumn
from provisions.models import (
    ArgumentComponent,
    ArgumentProvision,
    ArgumentTopic,
    EarlierLabel,
    InstrumentEvent,
    InstrumentRelation,
    LinkCheck,
    ModelSource,
    MovedPath,
    ProvisionText,
    SearchSynonym,
)
from tests.builders import published as make

# Rows owned by the record they point at through this foreign key: they go with it, as its
# parts shown in its own admin form (inlines) and listed on the confirmation page.
PARTS = {
    (InstrumentEvent, "instrument"),
    (InstrumentRelation, "source"),
    (EarlierLabel, "provision"),
    (ProvisionText, "provision"),
    (ModelSource, "profile"),
    (ComparisonColumn, "comparison"),
    (ArgumentProvision, "argument"),
    (ArgumentTopic, "argument"),
    (ArgumentComponent, "argument"),
}


def dataset_tables():
    for label in ("provisions", "comparisons"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not model.__name__.startswith("Historical"):
                yield model


def rows() -> dict[type, set[tuple]]:
    return {
        m: {tuple(map(_hashable, r)) for r in m._base_manager.values_list(*_columns(m))}
        for m in dataset_tables()
    }


def _hashable(value):
    """Array columns (a model source's facts) come back as lists: compare them as tuples."""
    return tuple(value) if isinstance(value, list) else value


def _columns(model):
    return [f.attname for f in model._meta.concrete_fields if f.attname not in ("updated_at",)]


def allowed_to_vanish(obj, model, row: dict) -> bool:
    """A row that may go with ``obj``: obj itself, its own m2m links, its own parts."""
    if model is type(obj):
        return row["id"] == obj.pk
    if model._meta.auto_created:  # an m2m table: only the links *of* obj, not links *to* it
        owner = model._meta.auto_created
        if owner is type(obj):
            source = next(f for f in model._meta.concrete_fields if f.related_model is owner)
            return row[source.attname] == obj.pk
        return False
    return any(
        row[f"{fk}_id"] == obj.pk
        for part, fk in PARTS
        if model is part and model._meta.get_field(fk).related_model is type(obj)
    )


@pytest.fixture
def world(db):
    """Every kind of record, each referred to by others."""
    eu = make.jurisdiction(code="eu")
    us = make.jurisdiction(code="us")
    topic, weights, monetised = make.topic(), make.component(), make.condition()
    act = make.instrument(jurisdiction=eu)
    guidance = make.instrument(jurisdiction=eu)
    article = make.provision(
        instrument=act, topics=[topic], components=[weights], conditions=[monetised]
    )
    make.provision(instrument=act, parent=article, topics=[topic], components=[weights])
    make.earlier_label(article)
    make.event(act)
    make.relation(guidance, "implements", act)
    source = make.source()
    make.argument(source=source, provisions=[article], topics=[topic], components=[weights])
    make.silence(jurisdiction=us, topics=[topic], components=[weights])
    make.comparison(jurisdictions=[eu, us], topics=[topic], components=[weights], is_home=True)
    # A model profile is referred to by its sources (its parts); it also brings an openness
    # condition on the article, which is a leaf.
    make.model_profile(article)
    # Records no table refers to (leaves): each still has links of its own that must go with
    # it and nothing else. A silence names instruments, topics and components; a moved page
    # stands beside the provision it now points at.
    finding = make.silence(jurisdiction=eu, topics=[topic], components=[weights])
    finding.instruments.set([act])
    MovedPath.objects.create(old_path="/eu/old-act/art-1/", new_path=article.get_absolute_url())
    # A provision's text, a synonym group and a link check: nothing refers to them either.
    ProvisionText.objects.create(
        provision=article, language="en", kind="authentic", version_label="Original", body="1. W."
    )
    SearchSynonym.objects.create(terms="open weights\nwidely available model weights")
    LinkCheck.objects.create(
        url="https://example.org/checked", checked_at=timezone.now(), status=200, ok=True
    )


def leaf(model) -> bool:
    """True when no table refers to ``model`` (its history aside): nothing can point at it."""
    return not [
        rel
        for rel in model._meta.related_objects
        if not rel.related_model.__name__.startswith("Historical")
    ]


def referred_to(model):
    """A record of ``model`` that something else refers to; for a leaf model, any record."""
    if leaf(model):
        return model._base_manager.order_by("pk").first()
    for obj in model._base_manager.order_by("pk"):
        for rel in model._meta.related_objects:
            accessor = rel.get_accessor_name()
            related = getattr(obj, accessor, None)
            if related is None:
                continue
            if hasattr(related, "exists") and related.exists():
                return obj
            if not hasattr(related, "exists"):
                return obj  # one-to-one
    return None


def registered():
    return sorted(
        (m for m in admin.site._registry if m._meta.app_label in ("provisions", "comparisons")),
        key=lambda m: m._meta.label,
    )


def check_nothing_else_vanished(obj, before, after):
    for model, old in before.items():
        gone = old - after[model]
        columns = _columns(model)
        for values in gone:
            row = dict(zip(columns, values, strict=True))
            assert allowed_to_vanish(obj, model, row), (
                f"deleting {type(obj).__name__} {obj} silently removed {model.__name__} {row}"
            )


@pytest.mark.parametrize("how", ["delete view", "bulk action"])
@pytest.mark.parametrize("model", registered(), ids=lambda m: m.__name__)
def test_deleting_a_record_others_refer_to_never_cascades_silently(admin_client, world, model, how):
    obj = referred_to(model)
    assert obj is not None, f"the world has no {model.__name__} that others refer to"
    meta = model._meta
    before = rows()
    if how == "delete view":
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])
        response = admin_client.post(url, {"post": "yes"})
    else:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = admin_client.post(
            url, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
        )
    assert response.status_code in (200, 302, 403)
    after = rows()
    if model._base_manager.filter(pk=obj.pk).exists():
        # Refused: the page says why, and nothing at all changed.
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            body = response.content.decode()
            assert "protected related objects" in body or "would require deleting" in body
        assert after == before
    else:
        check_nothing_else_vanished(obj, before, after)
