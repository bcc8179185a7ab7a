"""load_atlas starts every loaded record's history with one "created" entry, nothing else."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from comparisons.models import Comparison
from provisions.models import Argument, Provision, Silence


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Provision, Argument, Silence, Comparison])
def test_each_loaded_record_has_one_created_history_entry(model):
    """Records with many-to-many fields too: loading them must not log them as changed."""
    call_command("load_atlas", verbosity=0)
    assert model.objects.exists()
    entries = model.history.values("history_type", "history_change_reason").annotate(n=Count("pk"))
    assert list(entries) == [
        {
            "history_type": "+",
            "history_change_reason": "Loaded from fixtures/",
            "n": model.objects.count(),
        }
    ]
