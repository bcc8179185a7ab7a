"""Draft preview: a record rendered exactly as its public page would show it, for editors only.

The views live here, with the public pages they render; the admin (provisions/admin/preview.py)
routes them, and learns of them from ``ComparisonsConfig.ready`` (``PREVIEWS``), so the data layer
never imports the public one.

At ``<admin>/provisions/<model>/<id>/preview/``. Not behind the admin's login redirect: anyone
who may not view the record gets a plain 404, so the address reveals nothing. The page carries a
"Preview — not published" banner (base.html reads ``request.atlas_preview``), is never cached
(neither by browsers nor by the page cache: the public view is called without its cache) and
tells robots not to index it. Drafts stay out of every public list: those read published
records only.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from comparisons.records import views
from provisions.models import Instrument, Provision


def may_preview(request: HttpRequest, model) -> bool:
    user = request.user
    opts = model._meta
    return (
        user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )


def record_id(object_id: str) -> int | None:
    """The id in the address, or None: ASCII digits only ("²" is a digit to str.isdigit(),
    and no number to int() or PostgreSQL)."""
    return int(object_id) if object_id.isascii() and object_id.isdigit() else None


def mark_as_preview(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def provision_preview(request: HttpRequest, object_id: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or not may_preview(request, Provision):
        raise Http404
    found = Provision.objects.filter(pk=record_id(object_id)).select_related(
        "instrument__jurisdiction"
    )
    provision = found.first()
    if provision is None:
        raise Http404
    request.atlas_preview = True
    return mark_as_preview(
        views.provision_page(
            request,
            provision.instrument.jurisdiction.code,
            provision.instrument.slug,
            provision.slug,
            among=Provision.objects.filter(pk=provision.pk),
        )
    )


@never_cache
def instrument_preview(request: HttpRequest, object_id: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or not may_preview(request, Instrument):
        raise Http404
    instrument = (
        Instrument.objects.filter(pk=record_id(object_id)).select_related("jurisdiction").first()
    )
    if instrument is None:
        raise Http404
    request.atlas_preview = True
    return mark_as_preview(
        views.instrument_page(
            request,
            instrument.jurisdiction.code,
            instrument.slug,
            among=Instrument.objects.filter(pk=instrument.pk),
        )
    )


PREVIEWS = {Provision: provision_preview, Instrument: instrument_preview}
