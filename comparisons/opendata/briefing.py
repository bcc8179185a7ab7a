"""A briefing on one question, made for paper: ``/briefing/<question>/?j=us&j=eu&j=cn``.

The question, each jurisdiction's headline answer (the matrix's, comparisons/web/headline.py),
then per jurisdiction the provisions with their official citations, a short quote of the
authentic text in force, the date and the permalink. The PDF is the browser's print of this
page (A4, one or two pages): no PDF library on the server, and the page is the same HTML that
readers, screen readers and the accessibility checks see.
"""

import datetime

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.text import Truncator
from django.views.decorators.http import require_safe

from comparisons.matrix.build import build_matrix, comparisons_with_layout
from comparisons.matrix.filters import ProvisionFilter
from comparisons.models import Comparison
from comparisons.records.citations import official_citation
from comparisons.web.pagecache import cached_page, understood
from provisions.models import Provision, Topic
from provisions.models.texts import authentic_text
from provisions.queries import published_texts

QUOTE_WORDS = 40  # a short quote: the page links to the whole text
# What a briefing reads of the query: the columns and the date, as the matrix names them.
BRIEFING_PARAMS = ("j", "as_of")


def briefing_matrix(topic: Topic, query: QueryDict):
    """The one-row matrix of ``topic``: the columns asked for, else the home matrix's."""
    home = comparisons_with_layout().filter(is_home=True).first()
    # A comparison of this one question: the home matrix's columns (the default), whatever
    # questions the home matrix itself shows.
    layout = Comparison(slug=home.slug if home else "", rows=Comparison.Rows.TOPICS)
    layout.column_ids = home.column_ids if home else []
    layout.topic_ids, layout.component_ids = [topic.pk], []
    data = QueryDict(mutable=True)
    for name in BRIEFING_PARAMS:
        data.setlist(name, query.getlist(name))
    data.setlist("topic", [topic.slug])
    filterset = ProvisionFilter(data)
    return filterset, build_matrix(layout, filterset, path="/", cap=None)


def quotes_and_citations(pks: set[int], day: datetime.date) -> dict[int, tuple[str, str, str]]:
    """Per provision: its official citation, a short quote of its authentic text in force on
    ``day`` (empty when it has none) and that text's language (2 queries)."""
    found = {}
    provisions = (
        Provision.objects.filter(pk__in=pks)
        .select_related("instrument__jurisdiction")
        .prefetch_related(published_texts())
    )
    for provision in provisions:
        text = authentic_text(provision.public_texts, day)
        words = text.body if text else ""
        language = text.language if text else ""
        quote = Truncator(" ".join(words.split())).words(QUOTE_WORDS, truncate=" […]")
        found[provision.pk] = (official_citation(provision, text), quote, language)
    return found


@require_safe
@cached_page(params=BRIEFING_PARAMS)
def briefing(request: HttpRequest, slug: str) -> HttpResponse:
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Http404("No such question.")
    filterset, matrix = briefing_matrix(topic, request.GET)
    query = filterset.cleaned_query()
    query.pop("topic", None)  # in the path
    understood(request, query)
    cells = matrix.rows[0].cells if matrix.rows else []
    pks = {entry.provision.pk for cell in cells for entry in cell.entries}
    details = quotes_and_citations(pks, matrix.day)
    for cell in cells:
        for entry in cell.entries:
            entry.official, entry.quote, entry.quote_language = details[entry.provision.pk]
    encoded = query.urlencode()
    return render(
        request,
        "comparisons/briefing.html",
        {
            "topic": topic,
            "matrix": matrix,
            "cells": cells,
            "messages": [m for name in BRIEFING_PARAMS for m in filterset.messages.get(name, [])],
            "permalink": request.build_absolute_uri(
                f"{request.path}?{encoded}" if encoded else request.path
            ),
            "matrix_url": f"/?topic={topic.slug}" + (f"&{encoded}" if encoded else ""),
        },
    )
