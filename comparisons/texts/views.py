"""One question's texts side by side (``/texts/<topic>/``)."""

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from comparisons.texts.compare import compare_texts
from comparisons.web.pagecache import cached_page, understood
from provisions.models import Topic


@require_safe
@cached_page(params=("j", "jurisdiction"))  # the columns asked for change the page
def texts(request: HttpRequest, slug: str) -> HttpResponse:
    """One question's official texts side by side, a column per jurisdiction
    (``?j=us&j=eu``, as the matrix; the home matrix's columns when none is given).
    ``jurisdiction=`` is the older name of ``j``: links made before still work."""
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Http404("No such question.")
    today = timezone.localdate()
    asked = request.GET.getlist("j") + request.GET.getlist("jurisdiction")
    comparison = compare_texts(topic, asked, today)
    # Only the codes the atlas knows were understood: a page that says "left out: xx" is
    # rendered each time, so junk values cannot fill the cache with one entry each.
    answered = QueryDict(mutable=True)
    for name in ("j", "jurisdiction"):
        known = [code for code in request.GET.getlist(name) if code not in comparison.ignored]
        answered.setlist(name, known)
    understood(request, answered)
    chosen = {column.jurisdiction.code for column in comparison.columns} | {
        j.code for j in comparison.unreviewed
    }
    return render(
        request,
        "comparisons/texts.html",
        {"text_comparison": comparison, "topic": topic, "today": today, "chosen": chosen},
    )
