"""sitemap.xml and robots.txt: every published page, for search engines and archivists."""

from django.contrib.sitemaps import Sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from comparisons.models import Comparison
from provisions.models import (
    Argument,
    Instrument,
    Jurisdiction,
    ModelProfile,
    Provision,
    Topic,
)


class ComparisonSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return Comparison.objects.published().order_by("-is_home", "slug")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    """Pages that are not records: lists and the change log."""

    changefreq = "daily"

    def items(self):
        # (The components view shows a comparison already listed at its own address.)
        return [
            "comparisons:arguments",
            "comparisons:changes",
            "comparisons:api:docs",
            "comparisons:models",
            "comparisons:model-check",
            "comparisons:about",
        ]

    def location(self, item):
        return reverse(item)


class TextsSitemap(Sitemap):
    """Each question's official texts side by side (every jurisdiction)."""

    changefreq = "weekly"

    def items(self):
        return Topic.objects.order_by("order", "slug")

    def location(self, item):
        return reverse("comparisons:texts", kwargs={"slug": item.slug})


class JurisdictionSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Jurisdiction.objects.order_by("order", "code")


class InstrumentSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Instrument.objects.published().select_related("jurisdiction").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ProvisionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Provision.objects.public().select_related("instrument__jurisdiction").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ArgumentSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Argument.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ModelSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return ModelProfile.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {
    "comparisons": ComparisonSitemap,
    "pages": PageSitemap,
    "texts": TextsSitemap,
    "jurisdictions": JurisdictionSitemap,
    "instruments": InstrumentSitemap,
    "provisions": ProvisionSitemap,
    "arguments": ArgumentSitemap,
    "models": ModelSitemap,
}


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    # Downloads and search results are endless variations of pages already listed; the admin's
    # address is not named here (it may be a secret one).
    lines = [
        "User-agent: *",
        "Disallow: /export/",
        "Disallow: /search/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('comparisons:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
