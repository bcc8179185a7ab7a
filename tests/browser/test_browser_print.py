"""On paper, printed by Chromium and read back with pypdf: the home matrix in at most six A4
landscape pages with every summary whole, and a one- or two-page briefing on a question."""

import io
import re
import unicodedata

import pytest
from pypdf import PdfReader

from provisions.models import Provision

pytestmark = pytest.mark.browser

DAY = "2026-12-07"  # a fixed day: the dataset's texts and bans apply from dates around it


def printed(page, **options) -> list[str]:
    page.emulate_media(media="print")
    pdf = page.pdf(**options)
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def squeezed(text: str) -> str:
    """Without whitespace (a PDF's lines break words where the page did) and with ligatures
    spelt out ("ﬁ" is "fi")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_the_home_matrix_prints_on_six_a4_landscape_pages_with_whole_summaries(live_atlas, page):
    page.goto(live_atlas.url + f"/?as_of={DAY}")
    summaries = page.locator("#matrix table.matrix .summary").all_text_contents()
    pages = printed(page, format="A4", landscape=True)
    assert 1 <= len(pages) <= 6, len(pages)
    assert "…" not in "".join(pages)  # nothing cut
    flat = squeezed("".join(pages))
    assert len(summaries) >= 30
    cut = [s for s in summaries if squeezed(s) not in flat]
    assert not cut, cut[:3]
    # Each summary is the provision's whole summary, not a shortened copy of it.
    # (Printed with superscripts: "10^25" reads "1025" in the page's text.)
    whole = {
        squeezed(s.replace("^", "")) for s in Provision.objects.values_list("summary", flat=True)
    }
    assert {squeezed(s) for s in summaries} <= whole
    # The cover line, and no controls.
    text = " ".join(" ".join(pages).split())
    assert "Openness Atlas. The law as of 7 December 2026." in text
    assert "Permalink:" in text
    for control in ("Apply filters", "Download this view", "Print / PDF", "Filter the matrix"):
        assert control not in text, control


def test_a_briefing_on_scope_exemption_is_one_or_two_pages_with_answers_and_citations(
    live_atlas, page
):
    page.goto(live_atlas.url + f"/briefing/scope-exemption/?j=us&j=eu&j=cn&as_of={DAY}")
    pages = printed(page, prefer_css_page_size=True)  # A4 portrait, from the page's CSS
    assert 1 <= len(pages) <= 2, len(pages)
    text = " ".join(" ".join(pages).split())
    flat = squeezed(text)
    answers = text.split("The answers", 1)[1]
    # The three headline answers, in the order asked, and the official citations.
    us, eu, cn = (answers.index(name) for name in ("United States", "European Union", "China"))
    assert us < eu < cn
    assert "— Silent after review" in answers[us:eu]
    assert "◐ Exempts, with conditions" in answers[eu:cn]
    assert "○ Silent on openness" in answers[cn:]
    for citation in (
        "Regulation (EU) 2024/1689, Art. 2(12), OJ L, 12.7.2024",
        "Regulation (EU) 2024/1689, Art. 113",
        "Interim Measures for the Management of Generative Artificial Intelligence Services",
    ):
        assert squeezed(citation) in flat, citation
    assert squeezed("This Regulation does not apply to AI systems released under free") in flat
    assert "The law as of 7 December 2026" in text
    assert squeezed(f"/briefing/scope-exemption/?j=us&j=eu&j=cn&as_of={DAY}") in flat
    assert "Print or save as PDF" not in text
