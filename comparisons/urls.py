"""Every public URL of the atlas, in one URLconf (namespace ``comparisons``).

Pages first, then the machine-readable routes (the API and the downloads are included from their
own modules, as namespaces ``comparisons:api`` and ``comparisons:downloads``), and last the record
pages under ``<slug:jurisdiction>/``, which would otherwise answer any one-word path. The first
path segments here are the reserved words a jurisdiction code may not take (the DB constraint in
provisions/models/taxonomy.py; tests/search/test_reserved_words.py keeps the two equal).
"""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from comparisons.ai_models import views as ai_models
from comparisons.matrix import views as matrix
from comparisons.opendata import briefing, feeds, sitemaps
from comparisons.opendata import views as opendata
from comparisons.records import citations, versions
from comparisons.records import views as records
from comparisons.search import views as search
from comparisons.texts import views as texts
from comparisons.timeline import changes
from comparisons.timeline import views as timeline

app_name = "comparisons"

urlpatterns = [
    path("", matrix.home, name="home"),
    path("components/", matrix.components, name="components"),
    path("compare/<slug:slug>/", matrix.comparison, name="comparison"),
    path("search/", search.search, name="search"),
    path("texts/<slug:slug>/", texts.texts, name="texts"),
    path("briefing/<slug:slug>/", briefing.briefing, name="briefing"),
    path("about/", opendata.about, name="about"),
    path("timeline/", timeline.timeline, name="timeline"),
    path("timeline/between/", timeline.between_page, name="timeline-between"),
    path("timeline/between.json", timeline.between_json, name="timeline-between-json"),
    path("changes/", changes.changes_page, name="changes"),
    path("calendar.ics", timeline.calendar_ics, name="calendar"),
    path("calendar/<slug:code>.ics", timeline.calendar_ics, name="calendar-jurisdiction"),
    path("models/", ai_models.model_list, name="models"),
    path("models/check/", ai_models.model_check, name="model-check"),
    path("models/compare/", ai_models.model_compare, name="model-compare"),
    path("models/export.csv", ai_models.model_export_csv, name="models-csv"),
    path("models/export.json", ai_models.model_export_json, name="models-json"),
    path("models/<slug:slug>/", ai_models.model_detail, name="model"),
    path("arguments/", records.argument_list, name="arguments"),
    path("arguments/<slug:slug>/", records.argument_detail, name="argument"),
    # Machine-readable: the JSON API (with search's JSON), downloads, feeds, sitemap.
    # Search lives with the pages (comparisons/search/views.py); its JSON sits with the APIs.
    path("api/search", search.search_json, name="api-search"),
    path("api/", include("comparisons.opendata.api")),
    path("export/", include("comparisons.opendata.downloads")),
    # GET and HEAD only: a feed is read, never posted to (OPTIONS and TRACE answer 405 too).
    path("feeds/changes.atom", require_safe(feeds.ChangesFeed()), name="feed-changes"),
    path("feeds/models.atom", require_safe(feeds.ModelChangesFeed()), name="feed-models"),
    path(
        "feeds/legal-developments.atom",
        require_safe(feeds.LegalDevelopmentsFeed()),
        name="feed-legal-developments",
    ),
    path(
        "feeds/topics/<slug:slug>.atom",
        require_safe(feeds.TopicChangesFeed()),
        name="feed-topic",
    ),
    path(
        "feeds/<slug:code>.atom",
        require_safe(feeds.JurisdictionChangesFeed()),
        name="feed-jurisdiction",
    ),
    # GET and HEAD only (django.contrib.sitemaps answers any method).
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": sitemaps.SITEMAPS}, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    # Record pages: last, since a jurisdiction's code is any one-word path.
    path("<slug:jurisdiction>/", records.jurisdiction_detail, name="jurisdiction"),
    path(
        "<slug:jurisdiction>/<slug:instrument>/",
        records.instrument_detail,
        name="instrument",
    ),
    path(
        "<slug:jurisdiction>/<slug:instrument>/<slug:provision>/",
        records.provision_detail,
        name="provision",
    ),
    path(
        "<slug:jurisdiction>/<slug:instrument>/<slug:provision>/changes/",
        versions.provision_changes,
        name="provision-changes",
    ),
    path(
        "<slug:jurisdiction>/<slug:instrument>/<slug:provision>/cite.<str:file_format>",
        citations.citation_download,
        name="cite",
    ),
]
