"""The benchmark's synthetic atlas: deterministic, realistic in shape, and never over real data."""

import pytest
from django.db.models import Max

from bench import synthetic
from comparisons.models import Comparison
from provisions.models import EarlierLabel, Jurisdiction, Provision

pytestmark = pytest.mark.django_db

SMALL = synthetic.Scale(
    jurisdictions=6,
    subnational=2,
    instruments=24,
    provisions=300,
    arguments=40,
    sources=10,
    topics=12,
    components=8,
    conditions=4,
    silences=6,
    earlier_labels=20,
)


def snapshot():
    return list(
        Provision.objects.order_by("pk").values_list(
            "pk", "instrument__slug", "parent_id", "label", "slug", "state", "summary", "treatment"
        )
    )


def depth(provision_id, parents):
    d = 1
    while parents[provision_id]:
        provision_id = parents[provision_id]
        d += 1
    return d


def test_the_same_seed_gives_the_same_atlas_and_another_seed_another():
    synthetic.generate(seed=7, scale=SMALL)
    first = snapshot()
    synthetic.generate(seed=7, scale=SMALL)
    assert snapshot() == first
    synthetic.generate(seed=8, scale=SMALL)
    assert snapshot() != first


def test_the_atlas_has_the_asked_for_size_and_shape():
    synthetic.generate(seed=1, scale=SMALL)
    assert Jurisdiction.objects.count() == SMALL.jurisdictions
    assert Jurisdiction.objects.filter(parent__isnull=False).count() == SMALL.subnational
    assert Provision.objects.count() == SMALL.provisions
    parents = dict(Provision.objects.values_list("pk", "parent_id"))
    depths = {depth(pk, parents) for pk in parents}
    assert max(depths) == 4 and min(depths) == 1
    states = set(Provision.objects.values_list("state", flat=True))
    assert {"published", "draft"} <= states
    assert Provision.objects.public().count() > SMALL.provisions * 0.7
    assert EarlierLabel.objects.count() == SMALL.earlier_labels
    assert Provision.history.count() > SMALL.provisions
    home = Comparison.objects.get(is_home=True)
    assert home.columns.count() == 3
    everyone = Comparison.objects.get(slug="all-jurisdictions")
    assert everyone.columns.count() == SMALL.jurisdictions
    assert Provision.objects.aggregate(n=Max("order"))["n"] >= 4


def test_it_refuses_a_database_with_the_curated_data_unless_forced():
    Jurisdiction.objects.create(code="eu", name="European Union", short_name="EU")
    with pytest.raises(SystemExit, match="did not make"):
        synthetic.main(["--seed", "1"])
    assert list(Jurisdiction.objects.values_list("code", flat=True)) == ["eu"]
    synthetic.generate(seed=1, scale=SMALL, force=True)
    assert not Jurisdiction.objects.filter(code="eu").exists()
    # Once synthetic, it may be regenerated without --force.
    synthetic.generate(seed=2, scale=SMALL)
    assert synthetic.database_comment() == synthetic.marker(2, SMALL)


def test_the_fast_path_makes_the_same_rows_with_search_vectors():
    synthetic.generate(seed=3, scale=SMALL)
    checked = snapshot()
    synthetic.generate(seed=3, scale=SMALL, fast=True)
    assert snapshot() == checked
    assert not Provision.objects.filter(search__isnull=True).exists()
    assert Provision.objects.filter(search="weights").exists()
