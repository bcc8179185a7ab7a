"""How editors' text reaches a page. Plain text everywhere: Django's autoescaping does the rest.

Editors write summaries, notes and quotations as plain text (rendered with ``linebreaks``, which
escapes), so no markup of theirs ever reaches a page. The one place where their input becomes
markup is a link: ``href="{{ url }}"`` escapes quotes but would happily carry ``javascript:``.
URL fields are validated in forms, but an import or a fixture bypasses forms, so pages pass
every editor-supplied URL through ``external_url``.
"""

from urllib.parse import urlsplit

from django import template

register = template.Library()

ALLOWED_SCHEMES = frozenset({"http", "https"})


def external_url(value) -> str:
    """The URL if it is an http(s) link, else "" (javascript:, data:, vbscript: … dropped)."""
    if not value:
        return ""
    text = str(value).strip()
    # Browsers ignore tabs and newlines inside a scheme ("java\tscript:"); so does this check.
    cleaned = "".join(ch for ch in text if ch not in "\t\n\r")
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return ""
    return text if scheme in ALLOWED_SCHEMES else ""


# Registered by call, not with @register.filter: mutmut (make mutation) skips decorated functions.
register.filter("external_url", external_url)
