"""Acceptance 4: the Nu HTML checker (npm vnu-jar) reports no error on the public pages."""

PAGES = {
    "matrix (home)": "/",
    "matrix filtered": "/?j=eu&j=us&treatment=exempts",
    "matrix with ignored filters": "/?j=xx&as_of=2024-13-45&status=nope",
    "components view": "/components/",
    "curated comparison": "/compare/us-federal-and-california/",
    "provision": "/eu/ai-act/art-53-2/",
    "provision with Chinese text and translation": "/cn/genai-interim-measures/art-2-para-3/",
    "amended provision, other versions": "/eu/ai-act/art-25-4/",
    "redline of an amended text": "/eu/ai-act/art-25-4/changes/?from=2025-01-01&to=2026-12-07",
    "changes between two dates": "/timeline/between/?from=2025-01-01&to=2026-12-07&j=eu",
    "texts side by side": "/texts/scope-exemption/?jurisdiction=us&jurisdiction=eu&jurisdiction=cn",
    "instrument": "/eu/ai-act/",
    "jurisdiction": "/eu/",
    "argument list": "/arguments/",
    "argument": "/arguments/safety-fine-tuning-can-be-removed/",
    "search with results": "/search/?q=open+source",
    "search without results": "/search/?q=zzyzxq",
    "search, a typo corrected": "/search/?q=open+sorce+exemption",
    "search, Chinese with English equivalents": "/search/?q=%E5%BC%80%E6%BA%90",
    "world comparison": "/compare/world/",
    "timeline": "/timeline/",
    "timeline filtered": "/timeline/?j=kr&j=eu&topic=frontier-safety",
    "jurisdiction profile (South Korea)": "/kr/",
    "instrument (AI Basic Act)": "/kr/ai-basic-act/",
}


# Checked in the same run as a control: proves the checker ran and reports what it finds.
BROKEN = "<!doctype html><html lang=en><title>x</title><p><a hx-get=/>x</a>"


def test_public_pages_are_valid_html(atlas, client, html_errors):
    pages = {}
    for name, path in PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        pages[name] = response.content.decode()
    # One JVM start for every page.
    errors, report = html_errors({**pages, "control": BROKEN})
    assert "Attribute “hx-get” not allowed" in report
    del errors["control"]
    assert not errors, report
