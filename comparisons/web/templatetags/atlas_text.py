"""How editors' text reaches a page. Plain text everywhere: Django's autoescaping does the rest.

Editors write summaries, notes and quotations as plain text (rendered with ``linebreaks``, which
escapes), so no markup of theirs ever reaches a page. The one place where their input becomes
markup is a link: ``href="{{ url }}"`` escapes quotes but would happily carry ``javascript:``.
URL fields are validated in forms, but an import or a fixture bypasses forms, so pages pass
every editor-supplied URL through ``external_url``.
"""

from urllib.parse import urlsplit

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info

from provisions.models import DatePrecision
from provisions.textmarkup import SUPERSCRIPT

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


@register.filter
def precise_date(value, precision="day") -> str:
    """A date as precisely as it is known: "14 Mar 2025", "March 2025" or "2025".

    A date known only to the month is stored as the 1st; printing that day would invent it.
    """
    if not value:
        return ""
    if precision == DatePrecision.YEAR:
        return date_format(value, "Y")
    if precision == DatePrecision.MONTH:
        return date_format(value, "F Y")
    return date_format(value, "j M Y")


@register.filter
def check_age(value) -> str:
    """How old a check is, in words, from today: "today", "2 days ago", "14 months ago"."""
    if not value:
        return ""
    days = (timezone.localdate() - value).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


@register.filter
def language_name(code) -> str:
    """“zh-Hans” → “Chinese (Simplified)”; an unknown tag is shown as it is."""
    try:
        return get_language_info(str(code).lower())["name"]
    except KeyError:
        return str(code)


def superscripts(value) -> SafeString:
    """Our words as the texts print them: "10^25" as 10 with a superscript 25 (the texts' rule,
    provisions/textmarkup.py), after escaping (and marking Chinese runs, when given safe HTML)."""
    text = value if isinstance(value, SafeString) else escape(str(value))
    return mark_safe(SUPERSCRIPT.sub(r"<sup>\1</sup>", text))


# Registered by call, not with @register.filter: mutmut (make mutation) skips decorated functions.
register.filter("external_url", external_url)
register.filter("superscripts", superscripts, is_safe=True)
