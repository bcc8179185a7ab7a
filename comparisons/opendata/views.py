"""The about page: how to read the atlas and how to reuse its data."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from comparisons.matrix.filters import BADGE_CHOICES
from comparisons.matrix.legend import STATES, TREATMENTS
from comparisons.opendata.downloads import LICENCE
from provisions.models import Verification


def about(request: HttpRequest) -> HttpResponse:
    """How to read the atlas: the treatment scale, the states of a cell, how records are kept."""
    return render(
        request,
        "comparisons/about.html",
        {
            "treatment_keys": TREATMENTS,
            "state_keys": STATES,
            "verifications": Verification.choices,
            "badges": BADGE_CHOICES,
            "licence": LICENCE,
            "error_reports": getattr(settings, "ATLAS_ERROR_REPORTS", ""),
        },
    )
