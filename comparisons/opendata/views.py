"""The about page: how to read the atlas and how to reuse its data."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comparisons.matrix.filters import BADGE_CHOICES
from comparisons.matrix.legend import STATE_KEYS, STATES, TREATMENT_KEYS, TREATMENTS
from comparisons.opendata.downloads import LICENCE
from comparisons.web.headline import PRECEDENCE
from provisions.models import Verification


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    """How to read the atlas: the treatment scale, the states of a cell, how records are kept."""
    return render(
        request,
        "comparisons/about.html",
        {
            "treatment_keys": TREATMENTS,
            "state_keys": STATES,
            "precedence": [TREATMENT_KEYS[value] for value in PRECEDENCE],
            "regardless_key": STATE_KEYS["regardless"],
            "silent_key": STATE_KEYS["silent"],
            "unreviewed_key": STATE_KEYS["unreviewed"],
            "verifications": Verification.choices,
            "badges": BADGE_CHOICES,
            "licence": LICENCE,
            "error_reports": getattr(settings, "ATLAS_ERROR_REPORTS", ""),
        },
    )
