"""Every public URL of the atlas, from the URLconf and the records in the database.

``public_urls()`` fills every public route with real slugs and ids of published records (and the
old URLs that earlier labels keep alive). ``uncovered_routes()`` names the public routes that no
URL in that list reaches, so a new page cannot slip past the hostile-input tests and the link
snapshot: when it fails, teach ``public_urls`` the new route.
"""

import contextlib

from django.conf import settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

from comparisons.models import Comparison
from provisions.models import (
    Argument,
    EarlierLabel,
    EditorialState,
    Instrument,
    Jurisdiction,
    ModelProfile,
    Provision,
    Topic,
)

PUBLISHED = EditorialState.PUBLISHED
# Not public pages: the admin (its own tests), the load balancer's probe.
PRIVATE_PREFIXES = (settings.ADMIN_URL,)


def public_routes() -> set[str]:
    """(route text, name) of every public URL pattern, e.g. "<slug:jurisdiction>/ provisions:…"."""
    found = set()

    def walk(patterns, prefix, namespace):
        for p in patterns:
            # Joined as Django joins ResolverMatch.route: a nested regex loses its "^".
            route = prefix + str(p.pattern).removeprefix("^") if prefix else str(p.pattern)
            if route.startswith(PRIVATE_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                walk(p.url_patterns, route, ns)
            elif isinstance(p, URLPattern):
                found.add(route)

    walk(get_resolver().url_patterns, "", "")
    return found


def _route_of(url: str) -> str:
    match = resolve(url.split("?")[0])
    return match.route


def _api(name: str, **kwargs) -> list[str]:
    try:
        url = reverse(f"comparisons:api:{name}", kwargs=kwargs)
    except NoReverseMatch:
        return []
    # Each API route also answers with a format suffix (.json).
    base = url.rstrip("/")
    return [url, f"{base}.json"]


def public_urls() -> list[str]:
    urls = {reverse("healthz")}
    for name in ("home", "components", "search", "about", "timeline"):
        urls.add(reverse(f"comparisons:{name}"))
    urls.add(reverse("comparisons:arguments"))
    urls.add(reverse("comparisons:api-search") + "?q=open+source")  # search's JSON
    urls.update(j.get_absolute_url() for j in Jurisdiction.objects.all())
    instruments = Instrument.objects.published().select_related("jurisdiction")
    urls.update(i.get_absolute_url() for i in instruments)
    provisions = Provision.objects.public().select_related("instrument__jurisdiction")
    urls.update(p.get_absolute_url() for p in provisions)
    # Each provision's citation, in every format offered.
    from comparisons.records.citations import FORMATS

    urls.update(f"{p.get_absolute_url()}cite.{fmt}" for p in provisions for fmt in FORMATS)
    urls.update([reverse("comparisons:sitemap"), reverse("comparisons:robots")])
    urls.update(a.get_absolute_url() for a in Argument.objects.published())
    comparisons = Comparison.objects.published()
    urls.update(c.get_absolute_url() for c in comparisons)
    urls.update(reverse("comparisons:comparison", kwargs={"slug": c.slug}) for c in comparisons)
    # Old labels of public provisions answer with a redirect to the current URL.
    for earlier in EarlierLabel.objects.filter(provision__in=provisions).select_related(
        "instrument__jurisdiction"
    ):
        urls.add(
            reverse(
                "comparisons:provision",
                kwargs={
                    "jurisdiction": earlier.instrument.jurisdiction.code,
                    "instrument": earlier.instrument.slug,
                    "provision": earlier.slug,
                },
            )
        )
    # Each provision's redline between versions (the default dates), each question's briefing,
    # what changed between two dates, and the calendars of what applies next.
    urls.update(
        reverse(
            "comparisons:provision-changes",
            kwargs={
                "jurisdiction": p.instrument.jurisdiction.code,
                "instrument": p.instrument.slug,
                "provision": p.slug,
            },
        )
        for p in provisions
    )
    urls.update(
        reverse("comparisons:briefing", kwargs={"slug": t.slug}) for t in Topic.objects.all()
    )
    urls.update(
        [
            reverse("comparisons:timeline-between"),
            reverse("comparisons:timeline-between-json"),
            reverse("comparisons:calendar"),
        ]
    )
    urls.update(
        reverse("comparisons:calendar-jurisdiction", kwargs={"code": j.code})
        for j in Jurisdiction.objects.all()
    )
    # What changed (page and feeds), and the open-data exports.
    urls.add(reverse("comparisons:changes"))
    urls.add(reverse("comparisons:feed-changes"))
    urls.add(reverse("comparisons:feed-legal-developments"))  # the law's own developments
    urls.update(
        reverse("comparisons:feed-topic", kwargs={"slug": t.slug}) for t in Topic.objects.all()
    )
    # Each question's texts side by side (every jurisdiction; a set is a query string).
    urls.update(reverse("comparisons:texts", kwargs={"slug": t.slug}) for t in Topic.objects.all())
    urls.update(
        reverse("comparisons:feed-jurisdiction", kwargs={"code": j.code})
        for j in Jurisdiction.objects.all()
    )
    urls.add(reverse("comparisons:downloads:atlas"))
    for c in comparisons:
        for name in ("matrix-csv", "matrix-json", "matrix-svg"):
            urls.add(reverse(f"comparisons:downloads:{name}", kwargs={"slug": c.slug}))
    # The API: its root, schema, lists, and the detail of every public record.
    for name in ("api-root", "schema", "docs"):
        with contextlib.suppress(NoReverseMatch):
            urls.add(reverse(f"comparisons:api:{name}"))
    if "/api/" in urls:
        urls.add("/api/.json")  # the root with a format suffix
    for kind in ("jurisdiction", "topic", "instrument", "provision", "argument"):
        urls.update(_api(f"{kind}-list"))
    for j in Jurisdiction.objects.all():
        urls.update(_api("jurisdiction-detail", code=j.code))
    for t in Topic.objects.all():
        urls.update(_api("topic-detail", slug=t.slug))
    for i in instruments:
        urls.update(_api("instrument-detail", pk=i.pk))
    for p in provisions:
        urls.update(_api("provision-detail", pk=p.pk))
    for a in Argument.objects.published():
        urls.update(_api("argument-detail", pk=a.pk))
    # Models: the grid, its downloads and feed, each profile (page and API), the checker.
    models = ModelProfile.objects.published()
    for name in ("models", "model-check", "model-compare", "models-csv", "models-json"):
        urls.add(reverse(f"comparisons:{name}"))
    urls.add(reverse("comparisons:feed-models"))
    urls.update(m.get_absolute_url() for m in models)
    urls.update(_api("modelprofile-list"))
    for m in models:
        urls.update(_api("modelprofile-detail", slug=m.slug))
    return sorted(urls)


def uncovered_routes(urls: list[str]) -> set[str]:
    return public_routes() - {_route_of(u) for u in urls}


def withdrawn_urls() -> set[str]:
    """The URLs of records that were public and have been withdrawn: each answers 410 Gone.

    A provision's page, its citation downloads, its earlier labels' URLs and its API record;
    an instrument's page and API record (its provisions go with it); an argument's page and
    API record.
    """
    from django.db.models import Q

    from comparisons.records.citations import FORMATS
    from provisions import withdrawals

    urls: set[str] = set()
    provisions = (
        Provision.objects.filter(
            Q(state=EditorialState.WITHDRAWN) | Q(instrument__state=EditorialState.WITHDRAWN)
        )
        .select_related(*withdrawals.PROVISION_LOADING)
        .prefetch_related("earlier_labels")
    )
    for p in provisions:
        if withdrawals.provision_withdrawal(p) is None:
            continue
        page = p.get_absolute_url()
        urls.add(page)
        urls.update(f"{page}cite.{fmt}" for fmt in FORMATS)
        for earlier in p.earlier_labels.all():
            urls.add(page.removesuffix(f"{p.slug}/") + f"{earlier.slug}/")
        urls.update(_api("provision-detail", pk=p.pk))
    for i in Instrument.objects.filter(state=EditorialState.WITHDRAWN).select_related(
        *withdrawals.INSTRUMENT_LOADING
    ):
        if withdrawals.instrument_withdrawal(i):
            urls.add(i.get_absolute_url())
            urls.update(_api("instrument-detail", pk=i.pk))
    for a in Argument.objects.filter(state=EditorialState.WITHDRAWN):
        if withdrawals.argument_withdrawal(a):
            urls.add(a.get_absolute_url())
            urls.update(_api("argument-detail", pk=a.pk))
    return urls
